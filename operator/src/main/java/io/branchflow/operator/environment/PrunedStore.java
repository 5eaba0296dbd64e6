package io.branchflow.operator.environment;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * An informer's store that keeps only what a reconcile reads of each object: metadata without
 * managedFields, and status; pod templates and pod specs, the bulk of Deployments, StatefulSets,
 * Jobs and Pods, are dropped. An environment's cached objects shrink from ~0.5 MiB to a few KiB,
 * which is what lets one operator hold a thousand environments (docs/benchmarks.md).
 *
 * <p>Pruning happens in place as the informer stores the object, before its event is handed on:
 * event handlers (the secondary-to-primary mappers) read labels only.
 */
final class PrunedStore<R extends HasMetadata> implements ItemStore<R> {

  private final Map<String, R> items = new ConcurrentHashMap<>();
  private final Consumer<R> prune;

  private PrunedStore(Consumer<R> prune) {
    this.prune = prune;
  }

  /** A store for {@code type} that drops what {@link EnvironmentProvisioner} never reads. */
  static <R extends HasMetadata> PrunedStore<R> of(Class<R> type) {
    Consumer<HasMetadata> prune =
        switch (type.getSimpleName()) {
          case "Pod" -> o -> ((Pod) o).setSpec(null);
          case "Deployment" -> o -> ((Deployment) o).getSpec().setTemplate(null);
          case "StatefulSet" ->
              o -> {
                ((StatefulSet) o).getSpec().setTemplate(null);
                ((StatefulSet) o).getSpec().setVolumeClaimTemplates(null);
              };
          case "Job" -> o -> ((Job) o).getSpec().setTemplate(null);
          default -> o -> {};
        };
    return new PrunedStore<>(
        (R o) -> {
          o.getMetadata().setManagedFields(null);
          prune.accept(o);
        });
  }

  @Override
  public String getKey(R object) {
    return Cache.metaNamespaceKeyFunc(object);
  }

  @Override
  public R put(String key, R object) {
    prune.accept(object);
    return items.put(key, object);
  }

  @Override
  public R remove(String key) {
    return items.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return items.keySet().stream();
  }

  @Override
  public Stream<R> values() {
    return items.values().stream();
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public R get(String key) {
    return items.get(key);
  }
}
