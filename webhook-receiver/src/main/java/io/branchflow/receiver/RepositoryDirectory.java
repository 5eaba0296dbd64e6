package io.branchflow.receiver;

import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.Shutdown;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The WorkflowRepositories of the Branchflow namespace, held in an informer so a delivery costs no
 * list call, and the webhook secrets they name, held by {@link WebhookSecrets} (one informer per
 * named Secret, never logged).
 */
@ApplicationScoped
public class RepositoryDirectory {

  private static final Logger LOG = Logger.getLogger(RepositoryDirectory.class);

  private final KubernetesClient client;
  private final String namespace;
  private final WebhookSecrets secrets;
  private SharedIndexInformer<WorkflowRepository> informer;

  RepositoryDirectory(
      KubernetesClient client, @ConfigProperty(name = "branchflow.namespace") Optional<String> ns) {
    this.client = client;
    this.namespace = ns.filter(s -> !s.isBlank()).orElseGet(client::getNamespace);
    this.secrets = new WebhookSecrets(client, namespace);
  }

  @Startup
  void start() {
    informer = client.resources(WorkflowRepository.class).inNamespace(namespace).inform();
    // Secrets follow the repositories: watched once named, no longer once nobody names them.
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(WorkflowRepository repository) {
            follow(repository);
          }

          @Override
          public void onUpdate(WorkflowRepository old, WorkflowRepository repository) {
            follow(repository);
          }

          @Override
          public void onDelete(WorkflowRepository repository, boolean unknownFinalState) {
            secrets.retain(secretNames());
          }
        });
  }

  @Shutdown
  void stop() {
    if (informer != null) {
      informer.close();
    }
    secrets.close();
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
    return all().stream()
        .filter(r -> r.getSpec().getRepository().toLowerCase(Locale.ROOT).equals(wanted))
        .toList();
  }

  /**
   * The repositories whose webhook secret made {@code signature} over {@code body}: checked before
   * the body is parsed, so nothing unauthenticated reaches the JSON parser. Each distinct secret is
   * tried once (a few microseconds per KB); repositories are few.
   */
  List<WorkflowRepository> signedBy(byte[] body, String signature) {
    Map<String, Boolean> verdicts = new HashMap<>();
    return all().stream()
        .filter(
            r ->
                secrets
                    .value(r.getSpec().getWebhookSecretRef())
                    .map(
                        secret ->
                            verdicts.computeIfAbsent(
                                secret, s -> WebhookSignature.verify(body, signature, s)))
                    .orElse(false))
        .toList();
  }

  private List<WorkflowRepository> all() {
    return informer.getStore().list().stream()
        .filter(r -> r.getSpec() != null && r.getSpec().getRepository() != null)
        .toList();
  }

  private void follow(WorkflowRepository repository) {
    secrets.retain(secretNames());
    try {
      secrets.value(
          repository.getSpec() == null ? null : repository.getSpec().getWebhookSecretRef());
    } catch (KubernetesClientException e) {
      // Retried at the first delivery for this repository, which then answers 503.
      LOG.warnf(
          "repository %s: cannot watch its webhook Secret yet: Kubernetes API error %d",
          repository.getMetadata().getName(), e.getCode());
    }
  }

  private Set<String> secretNames() {
    return informer.getStore().list().stream()
        .map(WorkflowRepository::getSpec)
        .filter(s -> s != null && s.getWebhookSecretRef() != null)
        .map(s -> s.getWebhookSecretRef().getName())
        .collect(Collectors.toSet());
  }
}
