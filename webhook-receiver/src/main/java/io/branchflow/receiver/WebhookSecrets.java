package io.branchflow.receiver;

import io.branchflow.api.v1alpha1.SecretKeyRef;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The webhook Secrets the WorkflowRepositories name, each held by its own informer that lists and
 * watches that one name ({@code fieldSelector=metadata.name=<name>}): a delivery costs no API call,
 * a rotated secret is seen within a watch event, and no other Secret of the namespace (where the
 * production credentials live too) is ever listed or kept in memory. Because each list and watch
 * names its Secret, the Role can restrict them with {@code resourceNames} (docs/events-in.md).
 * Values are never logged.
 */
final class WebhookSecrets implements AutoCloseable {

  private final KubernetesClient client;
  private final String namespace;
  private final Map<String, SharedIndexInformer<Secret>> informers = new ConcurrentHashMap<>();

  WebhookSecrets(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /**
   * The value {@code ref} names, empty when its Secret or key is missing. The first lookup of a
   * name starts its informer and waits for its first listing; an API error propagates (503).
   */
  Optional<String> value(SecretKeyRef ref) {
    if (ref == null || ref.getName() == null || ref.getKey() == null) {
      return Optional.empty();
    }
    Secret secret =
        informers
            .computeIfAbsent(ref.getName(), this::inform)
            .getStore()
            .getByKey(namespace + "/" + ref.getName());
    if (secret == null || secret.getData() == null || secret.getData().get(ref.getKey()) == null) {
      return Optional.empty();
    }
    String value =
        new String(
            Base64.getDecoder().decode(secret.getData().get(ref.getKey())), StandardCharsets.UTF_8);
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  /** Stops watching the Secrets no repository names any more. */
  void retain(Set<String> names) {
    informers
        .entrySet()
        .removeIf(
            e -> {
              if (names.contains(e.getKey())) {
                return false;
              }
              e.getValue().close();
              return true;
            });
  }

  private SharedIndexInformer<Secret> inform(String name) {
    return client.secrets().inNamespace(namespace).withName(name).inform();
  }

  @Override
  public void close() {
    retain(Set.of());
  }
}
