package io.branchflow.operator.announce;

import io.branchflow.api.v1alpha1.SecretKeyRef;
import io.branchflow.operator.secrets.SecretReader;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/** Where the reporters read their tokens: a key of a Secret, trimmed (Secrets often end in \n). */
@FunctionalInterface
public interface TokenSource {

  Optional<String> value(String namespace, SecretKeyRef ref);

  static TokenSource of(KubernetesClient client) {
    return new SecretReader(client)::value;
  }

  /** The token, or empty when the Secret or key is missing or blank. */
  default Optional<String> token(String namespace, String secret, String key) {
    return SecretReader.trimmed(value(namespace, ref(secret, key)));
  }

  /** How a missing token is named to the user. */
  static String missing(String service, String namespace, String secret, String key, String field) {
    return "no " + service + " token: " + SecretReader.describe(namespace, ref(secret, key), field);
  }

  private static SecretKeyRef ref(String secret, String key) {
    SecretKeyRef ref = new SecretKeyRef();
    ref.setName(secret);
    ref.setKey(key);
    return ref;
  }
}
