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
import java.util.stream.Stream;

/**
 * An informer's store that keeps only what a reconcile reads of each object: metadata without
 * managedFields, and status; pod templates and pod specs, the bulk of Deployments, StatefulSets,
 * Jobs and Pods, are dropped. An environment's cached objects shrink from ~0.5 MiB to a few KiB,
 * which keeps the informers' share of the heap small at hundreds of environments
 * (docs/benchmarks.md).
 *
 * <p>Pruning happens in place as the informer stores the object, before its event is handed on:
 * event handlers (the secondary-to-primary mappers) read labels only.
 */
final class PrunedStore<R extends HasMetadata> implements ItemStore<R> {

  private final Map<String, R> items = new ConcurrentHashMap<>();

  /** Drops what {@link EnvironmentProvisioner} never reads of {@code object}. */
  private static void prune(HasMetadata object) {
    object.getMetadata().setManagedFields(null);
    if (object instanceof Pod pod) {
      pod.setSpec(null);
    } else if (object instanceof Deployment deployment) {
      deployment.getSpec().setTemplate(null);
    } else if (object instanceof StatefulSet statefulSet) {
      statefulSet.getSpec().setTemplate(null);
      statefulSet.getSpec().setVolumeClaimTemplates(null);
    } else if (object instanceof Job job) {
      job.getSpec().setTemplate(null);
    }
  }

  @Override
  public String getKey(R object) {
    return Cache.metaNamespaceKeyFunc(object);
  }

  @Override
  public R put(String key, R object) {
    prune(object);
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
