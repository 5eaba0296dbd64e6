package io.branchflow.operator.announce;

import io.branchflow.api.v1alpha1.SecretKeyRef;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Reads one key of a Secret. */
public final class Secrets {

  private Secrets() {}

  public static Optional<String> value(KubernetesClient client, String ns, SecretKeyRef ref) {
    Secret secret = client.secrets().inNamespace(ns).withName(ref.getName()).get();
    if (secret == null || secret.getData() == null || !secret.getData().containsKey(ref.getKey())) {
      return Optional.empty();
    }
    return Optional.of(
        new String(
            Base64.getDecoder().decode(secret.getData().get(ref.getKey())),
            StandardCharsets.UTF_8));
  }

  /** How a missing token is named to the user. */
  public static String describe(String ns, SecretKeyRef ref, String field) {
    return "key " + ref.getKey() + " of Secret " + ns + "/" + ref.getName() + " (" + field + ")";
  }
}
