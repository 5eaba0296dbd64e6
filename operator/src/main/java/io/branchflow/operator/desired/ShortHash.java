package io.branchflow.operator.desired;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The leading hex digits of a SHA-256, where a name or an annotation must change exactly when its
 * inputs do. The values are in clusters (Job names, pod annotations): the way they are computed
 * must not change, or an upgrade would migrate or roll every environment.
 */
public final class ShortHash {

  private ShortHash() {}

  /** The first {@code hexDigits} hex digits of the SHA-256 of {@code text}. */
  public static String of(String text, int hexDigits) {
    MessageDigest sha = sha256();
    sha.update(text.getBytes(StandardCharsets.UTF_8));
    return hex(sha, hexDigits);
  }

  /**
   * The same of several parts, each ended by a NUL byte so that moving text from one part to the
   * next changes the hash.
   */
  public static String ofParts(List<String> parts, int hexDigits) {
    MessageDigest sha = sha256();
    for (String part : parts) {
      sha.update(part.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
    }
    return hex(sha, hexDigits);
  }

  private static String hex(MessageDigest sha, int hexDigits) {
    return HexFormat.of().formatHex(sha.digest()).substring(0, hexDigits);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
