package io.branchflow.operator.environment;

import io.branchflow.api.Labels;
import io.branchflow.api.branches.EnvironmentQueue;
import io.branchflow.api.branches.EnvironmentQueue.Admission;
import io.branchflow.api.branches.EnvironmentQueue.Admitted;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.operator.desired.EnvironmentInputs;
import io.fabric8.kubernetes.api.model.Namespace;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Enforces {@code limits.maxEnvironments} ({@link EnvironmentQueue}) where environments come into
 * being: the creation of their namespace. "Provisioned" is read from the namespaces the informer
 * holds, together with those this process created that the informer does not show yet (a LIST of
 * the API server on every pass would cost O(environments) per pass); deciding and creating the
 * namespace happen under one lock per repository, so two environments reconciled at once never both
 * take the last slot. One operator process makes these decisions (leader election), so an
 * in-process lock and memory are enough. Being level-triggered, a restarted operator decides the
 * same: the namespaces and creation times are in the cluster, and JOSDK starts reconciling only
 * once the informers have synced.
 */
final class AdmissionGate {

  /** How long a namespace created here may stay unseen by the informer before it is not counted. */
  private static final Duration UNSEEN_GRACE = Duration.ofMinutes(1);

  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  /**
   * Per repository, the environments whose namespace this process created, with when: counted until
   * the informer shows the namespace. Read and written under the repository's lock.
   */
  private final Map<String, Map<String, Instant>> createdHere = new ConcurrentHashMap<>();

  /**
   * Whether {@code env} may exist; when it is admitted and has no namespace yet, {@code
   * createNamespace} runs before any other environment of the repository is decided.
   *
   * @param siblings the environments in {@code env}'s namespace, from the informer cache
   * @param caches where the namespaces that exist are read
   */
  Admission admit(
      WorkflowEnvironment env,
      WorkflowRepository repository,
      Stream<WorkflowEnvironment> siblings,
      InformerCaches caches,
      Runnable createNamespace) {
    String ownerNamespace = env.getMetadata().getNamespace();
    String repositoryName = repository.getMetadata().getName();
    List<WorkflowEnvironment> ofRepository =
        siblings
            .filter(e -> repositoryName.equals(e.getSpec().getRepositoryRef()))
            .filter(e -> !e.getMetadata().getName().equals(env.getMetadata().getName()))
            .toList();
    String key = ownerNamespace + "/" + repositoryName;
    Object lock = locks.computeIfAbsent(key, k -> new Object());
    synchronized (lock) {
      Set<String> provisioned = provisioned(caches, ownerNamespace, repositoryName);
      Map<String, Instant> pending = createdHere.computeIfAbsent(key, k -> new HashMap<>());
      Instant unseenSince = Instant.now().minus(UNSEEN_GRACE);
      pending
          .entrySet()
          .removeIf(e -> provisioned.contains(e.getKey()) || e.getValue().isBefore(unseenSince));
      provisioned.addAll(pending.keySet());
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
        pending.put(env.getMetadata().getName(), Instant.now());
      }
      return admission;
    }
  }

  /** Names of the repository's environments whose namespace exists (terminating or not). */
  private Set<String> provisioned(
      InformerCaches caches, String ownerNamespace, String repositoryName) {
    Map<String, String> labels =
        Map.of(
            Labels.MANAGED_BY,
            Labels.MANAGED_BY_VALUE,
            EnvironmentInputs.OWNER_NAMESPACE,
            ownerNamespace,
            Labels.REPOSITORY,
            repositoryName);
    List<Namespace> cached =
        caches.all(
            Namespace.class,
            n ->
                n.getMetadata().getLabels() != null
                    && n.getMetadata().getLabels().entrySet().containsAll(labels.entrySet()));
    return cached.stream()
        .map(n -> n.getMetadata().getLabels().get(Labels.ENVIRONMENT))
        .filter(Objects::nonNull)
        .collect(Collectors.toCollection(HashSet::new));
  }
}
