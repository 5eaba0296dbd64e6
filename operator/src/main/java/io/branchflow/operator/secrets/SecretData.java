package io.branchflow.operator.secrets;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The one decoder of a Secret's data (base64 in the API, UTF-8 text to everyone here). */
public final class SecretData {

  private SecretData() {}

  /** Every key, decoded; empty for a missing Secret or one without data. */
  public static Map<String, String> decode(Secret secret) {
    Map<String, String> out = new TreeMap<>();
    if (secret != null && secret.getData() != null) {
      secret.getData().forEach((key, value) -> out.put(key, decode(value)));
    }
    return out;
  }

  /** One key, decoded as it is (not trimmed); empty when the Secret or the key is missing. */
  public static Optional<String> value(Secret secret, String key) {
    if (secret == null || secret.getData() == null || !secret.getData().containsKey(key)) {
      return Optional.empty();
    }
    return Optional.of(decode(secret.getData().get(key)));
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
