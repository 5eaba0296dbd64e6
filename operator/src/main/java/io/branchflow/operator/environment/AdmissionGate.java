package io.branchflow.operator.environment;

import io.branchflow.api.Labels;
import io.branchflow.api.branches.EnvironmentQueue;
import io.branchflow.api.branches.EnvironmentQueue.Admission;
import io.branchflow.api.branches.EnvironmentQueue.Admitted;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.operator.desired.EnvironmentInputs;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Enforces {@code limits.maxEnvironments} ({@link EnvironmentQueue}) where environments come into
 * being: the creation of their namespace. "Provisioned" is read from the namespaces that exist (the
 * API server, not a cache that may not yet show the one created a moment ago), and deciding and
 * creating the namespace happen under one lock per repository, so two environments reconciled at
 * once never both take the last slot. One operator process makes these decisions (leader election),
 * so an in-process lock is enough. Being level-triggered, a restarted operator decides the same:
 * the namespaces and creation times are in the cluster.
 */
final class AdmissionGate {

  private final KubernetesClient client;
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  AdmissionGate(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Whether {@code env} may exist; when it is admitted and has no namespace yet, {@code
   * createNamespace} runs before any other environment of the repository is decided.
   *
   * @param siblings the environments in {@code env}'s namespace, from the informer cache
   */
  Admission admit(
      WorkflowEnvironment env,
      WorkflowRepository repository,
      Stream<WorkflowEnvironment> siblings,
      Runnable createNamespace) {
    String ownerNamespace = env.getMetadata().getNamespace();
    String repositoryName = repository.getMetadata().getName();
    List<WorkflowEnvironment> ofRepository =
        siblings
            .filter(e -> repositoryName.equals(e.getSpec().getRepositoryRef()))
            .filter(e -> !e.getMetadata().getName().equals(env.getMetadata().getName()))
            .toList();
    Object lock = locks.computeIfAbsent(ownerNamespace + "/" + repositoryName, k -> new Object());
    synchronized (lock) {
      Set<String> provisioned = provisioned(ownerNamespace, repositoryName);
      List<EnvironmentQueue.Member> members =
          Stream.concat(Stream.of(env), ofRepository.stream())
              // One being deleted holds its slot until its namespace is gone; then it leaves.
              .filter(
                  e ->
                      e.getMetadata().getDeletionTimestamp() == null
                          || provisioned.contains(e.getMetadata().getName()))
              .map(
                  e ->
                      new EnvironmentQueue.Member(
                          e.getMetadata().getName(),
                          e.getMetadata().getCreationTimestamp(),
                          provisioned.contains(e.getMetadata().getName())))
              .toList();
      Admission admission =
          EnvironmentQueue.decide(
              env.getMetadata().getName(), members, EnvironmentQueue.maxOf(repository));
      if (admission instanceof Admitted && !provisioned.contains(env.getMetadata().getName())) {
        createNamespace.run();
      }
      return admission;
    }
  }

  /** Names of the repository's environments whose namespace exists (terminating or not). */
  private Set<String> provisioned(String ownerNamespace, String repositoryName) {
    return client
        .namespaces()
        .withLabels(
            Map.of(
                Labels.MANAGED_BY,
                Labels.MANAGED_BY_VALUE,
                EnvironmentInputs.OWNER_NAMESPACE,
                ownerNamespace,
                Labels.REPOSITORY,
                repositoryName))
        .list()
        .getItems()
        .stream()
        .map(n -> n.getMetadata().getLabels().get(Labels.ENVIRONMENT))
        .filter(java.util.Objects::nonNull)
        .collect(Collectors.toSet());
  }
}
