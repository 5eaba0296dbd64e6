package io.branchflow.api.naming;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Derives an environment's object name and namespace from repository + branch.
 *
 * <p>The result is {@code <repo>-<branch>-<hash>} (namespace: {@code bf-} in front), where the
 * readable part is a lossy, truncated slug and the hash covers the exact inputs. The hash is always
 * there because the readable part alone is ambiguous: {@code feature/a-b}, {@code feature/a_b} and
 * {@code feature/A-B} slug alike, and so do repository {@code dags-hardy} with branch {@code x} and
 * repository {@code dags} with branch {@code hardy-x}. See docs/naming.md.
 */
public final class EnvironmentNames {

  /** A DNS-1123 label, which both the name and the namespace must be. */
  public static final Pattern DNS_1123_LABEL = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");

  public static final int MAX_LENGTH = 63;
  public static final String NAMESPACE_PREFIX = "bf-";
  static final int HASH_LENGTH = 10; // 40 bits: collision odds ~1e-4 even at 10^4 environments
  static final int MAX_REPOSITORY_PART = 20; // leave room for the branch, the part people read
  private static final String DROPPED_BRANCH_PREFIX = "feature/";
  private static final int MAX_READABLE = MAX_LENGTH - NAMESPACE_PREFIX.length() - 1 - HASH_LENGTH;

  private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");
  private static final Pattern NOT_ALLOWED = Pattern.compile("[^a-z0-9]+");

  private EnvironmentNames() {}

  /**
   * @param repository GitHub {@code owner/name}; case-insensitive, as on GitHub
   * @param branch branch name without {@code refs/heads/}; case-sensitive, as in git
   */
  public static EnvironmentName of(String repository, String branch) {
    if (repository == null || repository.isBlank() || branch == null || branch.isEmpty()) {
      throw new IllegalArgumentException("repository and branch are required");
    }
    String canonicalRepository = repository.strip().toLowerCase(Locale.ROOT);
    String repoName = canonicalRepository.substring(canonicalRepository.indexOf('/') + 1);
    String shortBranch =
        branch.startsWith(DROPPED_BRANCH_PREFIX) && branch.length() > DROPPED_BRANCH_PREFIX.length()
            ? branch.substring(DROPPED_BRANCH_PREFIX.length())
            : branch;

    String repoPart = truncate(orElse(slug(repoName), "repo"), MAX_REPOSITORY_PART);
    String branchPart = orElse(slug(shortBranch), "branch");
    String readable = truncate(repoPart + "-" + branchPart, MAX_READABLE);
    String name = readable + "-" + hash(canonicalRepository, branch);
    return new EnvironmentName(name, NAMESPACE_PREFIX + name);
  }

  /** Lower-case ASCII letters and digits; every other run of characters becomes one dash. */
  static String slug(String text) {
    String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD);
    String ascii = COMBINING_MARKS.matcher(decomposed).replaceAll("").toLowerCase(Locale.ROOT);
    return trimDashes(NOT_ALLOWED.matcher(ascii).replaceAll("-"));
  }

  private static String truncate(String text, int max) {
    return text.length() <= max ? text : trimDashes(text.substring(0, max));
  }

  private static String trimDashes(String text) {
    int start = 0;
    int end = text.length();
    while (start < end && text.charAt(start) == '-') {
      start++;
    }
    while (end > start && text.charAt(end - 1) == '-') {
      end--;
    }
    return text.substring(start, end);
  }

  private static String orElse(String text, String fallback) {
    return text.isEmpty() ? fallback : text;
  }

  private static String hash(String canonicalRepository, String branch) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      // The newline cannot occur in either part, so (a/b, c) and (a, b/c)-style splits differ.
      byte[] digest =
          sha256.digest((canonicalRepository + "\n" + branch).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, HASH_LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
