package io.branchflow.receiver;

import io.branchflow.api.branches.EnvironmentQueue;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.quarkus.runtime.Shutdown;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * The WorkflowEnvironments of the Branchflow namespace, held in an informer so that telling a
 * pusher where the branch waits under limits.maxEnvironments costs no list call per delivery
 * (thousands of branches would make every delivery read thousands of objects).
 */
@ApplicationScoped
public class EnvironmentDirectory {

  private final KubernetesClient client;
  private final String namespace;
  private SharedIndexInformer<WorkflowEnvironment> informer;

  EnvironmentDirectory(KubernetesClient client, RepositoryDirectory repositories) {
    this.client = client;
    this.namespace = repositories.namespace();
  }

  @Startup
  void start() {
    informer = client.resources(WorkflowEnvironment.class).inNamespace(namespace).inform();
  }

  @Shutdown
  void stop() {
    if (informer != null) {
      informer.close();
    }
  }

  /**
   * Where environment {@code name} of {@code repository} waits, by the operator's rule applied to
   * the environments' status (the operator's decision in the environment's status is the
   * authority); empty when it runs, or before the cache is filled.
   */
  Optional<EnvironmentQueue.Queued> queued(WorkflowRepository repository, String name) {
    if (informer == null || !informer.hasSynced()) {
      return Optional.empty();
    }
    return EnvironmentQueue.fromStatus(repository, name, informer.getStore().list())
            instanceof EnvironmentQueue.Queued q
        ? Optional.of(q)
        : Optional.empty();
  }
}
