package io.branchflow.receiver;

import io.branchflow.api.v1alpha1.SecretKeyRef;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.Shutdown;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The WorkflowRepositories of the Branchflow namespace, held in an informer so a delivery costs no
 * list call, and the webhook secrets they name, read when needed (never cached, never logged).
 */
@ApplicationScoped
public class RepositoryDirectory {

  private final KubernetesClient client;
  private final String namespace;
  private SharedIndexInformer<WorkflowRepository> informer;

  RepositoryDirectory(
      KubernetesClient client, @ConfigProperty(name = "branchflow.namespace") Optional<String> ns) {
    this.client = client;
    this.namespace = ns.filter(s -> !s.isBlank()).orElseGet(client::getNamespace);
  }

  @Startup
  void start() {
    informer = client.resources(WorkflowRepository.class).inNamespace(namespace).inform();
  }

  @Shutdown
  void stop() {
    if (informer != null) {
      informer.close();
    }
  }

  boolean synced() {
    return informer != null && informer.hasSynced();
  }

  String namespace() {
    return namespace;
  }

  /** Every WorkflowRepository registered for GitHub's {@code owner/name}, case-insensitively. */
  List<WorkflowRepository> find(String fullName) {
    String wanted = fullName.toLowerCase(Locale.ROOT);
    return informer.getStore().list().stream()
        .filter(r -> r.getSpec() != null && r.getSpec().getRepository() != null)
        .filter(r -> r.getSpec().getRepository().toLowerCase(Locale.ROOT).equals(wanted))
        .toList();
  }

  /** The webhook secret of {@code repository}, empty when its Secret or key is missing. */
  Optional<String> webhookSecret(WorkflowRepository repository) {
    SecretKeyRef ref = repository.getSpec().getWebhookSecretRef();
    if (ref == null) {
      return Optional.empty();
    }
    Secret secret =
        client
            .secrets()
            .inNamespace(repository.getMetadata().getNamespace())
            .withName(ref.getName())
            .get();
    if (secret == null || secret.getData() == null || secret.getData().get(ref.getKey()) == null) {
      return Optional.empty();
    }
    return Optional.of(
        new String(
            Base64.getDecoder().decode(secret.getData().get(ref.getKey())),
            StandardCharsets.UTF_8));
  }
}
