package io.branchflow.bench;

import io.branchflow.api.Labels;
import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Watches, not polls: informers record the first moment (System.nanoTime) each environment reached
 * a milestone, keyed by environment name.
 *
 * <ul>
 *   <li>{@code applied}: its Ingress exists, the last object a provisioning pass applies
 *       (EnvironmentProvisioner), so every object of the environment has been applied;
 *   <li>{@code database}: its database StatefulSet exists (the first pass reached it);
 *   <li>{@code databaseReady}: that StatefulSet reports a ready replica (StatefulSet controller,
 *       scheduler and kwok's node, not the operator);
 *   <li>{@code migration}: its migration Job exists, i.e. the operator saw the database ready;
 *   <li>{@code migrationComplete}: that Job is Complete (Job controller and kwok's node);
 *   <li>{@code ready}: the WorkflowEnvironment's status.phase is Ready;
 *   <li>{@code namespaceGone}: its namespace was deleted from the API (the namespace controller
 *       finished emptying it);
 *   <li>{@code gone}: the WorkflowEnvironment was removed (the finalizer is released only once the
 *       namespace is gone).
 * </ul>
 */
final class Stopwatch implements AutoCloseable {

  final Map<String, Long> applied = new ConcurrentHashMap<>();
  final Map<String, Long> database = new ConcurrentHashMap<>();
  final Map<String, Long> databaseReady = new ConcurrentHashMap<>();
  final Map<String, Long> migration = new ConcurrentHashMap<>();
  final Map<String, Long> migrationComplete = new ConcurrentHashMap<>();
  final Map<String, Long> ready = new ConcurrentHashMap<>();
  final Map<String, Long> namespaceGone = new ConcurrentHashMap<>();
  final Map<String, Long> gone = new ConcurrentHashMap<>();
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

  Stopwatch(KubernetesClient client, String branchflowNamespace) {
    informers.add(
        client
            .resources(WorkflowEnvironment.class)
            .inNamespace(branchflowNamespace)
            .inform(
                handler(
                    e -> {
                      if (e.getStatus() != null && e.getStatus().getPhase() == Phase.Ready) {
                        ready.putIfAbsent(e.getMetadata().getName(), System.nanoTime());
                      }
                    },
                    e -> gone.putIfAbsent(e.getMetadata().getName(), System.nanoTime()))));
    informers.add(
        client
            .network()
            .v1()
            .ingresses()
            .inAnyNamespace()
            .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
            .inform(handler(first(applied, Stopwatch::environment), x -> {})));
    informers.add(
        client
            .batch()
            .v1()
            .jobs()
            .inAnyNamespace()
            .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
            .inform(
                handler(
                    (Job j) -> {
                      migration.putIfAbsent(environment(j), System.nanoTime());
                      if (j.getStatus() != null
                          && j.getStatus().getConditions() != null
                          && j.getStatus().getConditions().stream()
                              .anyMatch(
                                  c ->
                                      "Complete".equals(c.getType())
                                          && "True".equals(c.getStatus()))) {
                        migrationComplete.putIfAbsent(environment(j), System.nanoTime());
                      }
                    },
                    x -> {})));
    informers.add(
        client
            .apps()
            .statefulSets()
            .inAnyNamespace()
            .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
            .inform(
                handler(
                    (StatefulSet s) -> {
                      database.putIfAbsent(environment(s), System.nanoTime());
                      Integer readyReplicas =
                          s.getStatus() == null ? null : s.getStatus().getReadyReplicas();
                      if (readyReplicas != null && readyReplicas >= 1) {
                        databaseReady.putIfAbsent(environment(s), System.nanoTime());
                      }
                    },
                    x -> {})));
    informers.add(
        client
            .namespaces()
            .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
            .inform(
                handler(
                    (Namespace n) -> {},
                    n -> namespaceGone.putIfAbsent(environment(n), System.nanoTime()))));
  }

  private static String environment(HasMetadata o) {
    Map<String, String> labels = o.getMetadata().getLabels();
    return labels == null ? "" : labels.getOrDefault(Labels.ENVIRONMENT, "");
  }

  private static <T extends HasMetadata> Consumer<T> first(
      Map<String, Long> into, Function<T, String> key) {
    return o -> into.putIfAbsent(key.apply(o), System.nanoTime());
  }

  private static <T> ResourceEventHandler<T> handler(Consumer<T> seen, Consumer<T> deleted) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        seen.accept(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        seen.accept(newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        deleted.accept(obj);
      }
    };
  }

  @Override
  public void close() {
    informers.forEach(SharedIndexInformer::close);
  }
}
