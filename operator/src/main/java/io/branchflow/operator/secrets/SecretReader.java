package io.branchflow.operator.secrets;

import io.branchflow.api.v1alpha1.SecretKeyRef;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/**
 * Reads the key of a Secret that a WorkflowRepository names (a token, a clone credential), for the
 * environments, the resync and the reporters alike.
 */
public final class SecretReader {

  private final KubernetesClient client;

  public SecretReader(KubernetesClient client) {
    this.client = client;
  }

  /** The key's value as stored; empty when the Secret or the key is missing. */
  public Optional<String> value(String namespace, SecretKeyRef ref) {
    return SecretData.value(
        client.secrets().inNamespace(namespace).withName(ref.getName()).get(), ref.getKey());
  }

  /** The value without surrounding white space (Secrets often end in \n); empty when blank. */
  public static Optional<String> trimmed(Optional<String> value) {
    return value.map(String::strip).filter(v -> !v.isEmpty());
  }

  /** How a Secret key is named to the user, with the field that names it. */
  public static String describe(String namespace, SecretKeyRef ref, String field) {
    return "key "
        + ref.getKey()
        + " of Secret "
        + namespace
        + "/"
        + ref.getName()
        + " ("
        + field
        + ")";
  }
}
