package io.branchflow.operator.environment;

import io.branchflow.operator.desired.ShortHash;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this operator process last applied, object by object, so a pass sends only what changed: an
 * object is applied again when its desired state changed, when it changed in the cluster, or when
 * this process has not applied it yet (so a restart re-applies everything once: the memory is an
 * optimisation, the cluster stays the truth).
 *
 * <p>"Changed in the cluster" is known two ways. Objects an informer holds (namespace, StatefulSet,
 * Deployments) are compared with the cached copy: same UID, same generation (a spec edit by anyone
 * bumps it, status updates do not) or, without generations, same resourceVersion, and our labels
 * and annotations still on it. Objects no informer holds (Secrets, ConfigMaps, RBAC, Services,
 * NetworkPolicies...: watching them would need cluster-wide read rights on Secrets and ConfigMaps,
 * see docs/security.md) are applied again once {@link #UNWATCHED_REAPPLY} has passed since the last
 * apply, which bounds how long a hand edit of them survives.
 *
 * <p>Server-side apply's own matcher (JOSDK's) compares managedFields, which would mean caching
 * every object in full; a hash of what we sent is enough to know whether we would send something
 * else.
 */
final class AppliedObjects {

  /** How long an object no informer watches is trusted to be as we applied it. */
  static final Duration UNWATCHED_REAPPLY = Duration.ofMinutes(10);

  private record Applied(
      String desiredHash, String uid, Long generation, String resourceVersion, Instant at) {}

  private final Map<String, Applied> applied = new ConcurrentHashMap<>();
  private final KubernetesSerialization serialization;
  private final Clock clock;

  AppliedObjects(KubernetesSerialization serialization, Clock clock) {
    this.serialization = serialization;
    this.clock = clock;
  }

  /** Whether {@code observed} (from an informer cache, null when absent) is what we applied. */
  boolean upToDate(HasMetadata desired, HasMetadata observed) {
    Applied last = applied.get(key(desired));
    if (last == null || observed == null || !last.desiredHash().equals(hash(desired))) {
      return false;
    }
    var meta = observed.getMetadata();
    boolean sameObject = Objects.equals(last.uid(), meta.getUid());
    boolean sameSpec =
        last.generation() != null && meta.getGeneration() != null
            ? last.generation().equals(meta.getGeneration())
            : Objects.equals(last.resourceVersion(), meta.getResourceVersion());
    return sameObject
        && sameSpec
        && contains(meta.getLabels(), desired.getMetadata().getLabels())
        && contains(meta.getAnnotations(), desired.getMetadata().getAnnotations());
  }

  /** Whether an object no informer watches was applied as {@code desired} recently enough. */
  boolean recentlyApplied(HasMetadata desired) {
    Applied last = applied.get(key(desired));
    return last != null
        && last.desiredHash().equals(hash(desired))
        && last.at().plus(UNWATCHED_REAPPLY).isAfter(clock.instant());
  }

  /** Remembers that {@code desired} was applied and the API server answered {@code result}. */
  void record(HasMetadata desired, HasMetadata result) {
    var meta = result.getMetadata();
    applied.put(
        key(desired),
        new Applied(
            hash(desired),
            meta.getUid(),
            meta.getGeneration(),
            meta.getResourceVersion(),
            clock.instant()));
  }

  /** Forgets one object (deleted by us), so it is applied again whenever it is wanted. */
  void forget(String namespace, String kind, String name) {
    applied.remove(key(namespace, kind, name));
  }

  /** Forgets everything in {@code namespace} (and the namespace itself): it is being deleted. */
  void forgetNamespace(String namespace) {
    applied.keySet().removeIf(k -> k.startsWith(namespace + "/") || k.equals("/" + namespace));
  }

  int size() {
    return applied.size();
  }

  private static String key(HasMetadata object) {
    return key(
        Objects.requireNonNullElse(object.getMetadata().getNamespace(), ""),
        object.getKind(),
        object.getMetadata().getName());
  }

  /** Namespaced objects first by namespace, so forgetNamespace finds them by prefix. */
  private static String key(String namespace, String kind, String name) {
    return namespace.isEmpty() ? "/" + name : namespace + "/" + kind + "/" + name;
  }

  private String hash(HasMetadata desired) {
    return ShortHash.of(serialization.asJson(desired), 32);
  }

  private static boolean contains(Map<String, String> actual, Map<String, String> wanted) {
    if (wanted == null || wanted.isEmpty()) {
      return true;
    }
    return actual != null && actual.entrySet().containsAll(wanted.entrySet());
  }
}
