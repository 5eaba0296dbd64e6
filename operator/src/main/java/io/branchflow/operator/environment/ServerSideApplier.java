package io.branchflow.operator.environment;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.Optional;

/**
 * Writes desired objects with server-side apply under one field manager: fields we set are ours and
 * restored (drift), fields others set are left alone. Only what changed is sent ({@link
 * AppliedObjects}): a pass in which nothing changed writes nothing.
 */
final class ServerSideApplier {

  private final KubernetesClient client;
  private final String fieldManager;
  private final AppliedObjects applied;

  ServerSideApplier(KubernetesClient client, String fieldManager) {
    this.client = client;
    this.fieldManager = fieldManager;
    this.applied = new AppliedObjects(client.getKubernetesSerialization(), Clock.systemUTC());
  }

  /** Applies {@code desired} unless {@code observed}, an informer's copy, is what we applied. */
  <T extends HasMetadata> T applyWatched(T desired, T observed) {
    return applied.upToDate(desired, observed) ? observed : apply(desired);
  }

  /**
   * Applies {@code desired}, an object no informer watches, unless this process applied the same
   * recently ({@link AppliedObjects#UNWATCHED_REAPPLY}): the API server's answer, or empty when
   * nothing was sent.
   */
  <T extends HasMetadata> Optional<T> applyUnwatched(T desired) {
    return applied.recentlyApplied(desired) ? Optional.empty() : Optional.of(apply(desired));
  }

  /** Applies {@code desired} whatever was applied before. */
  <T extends HasMetadata> T apply(T desired) {
    // Our objects live in namespaces we own: a conflicting manager is drift to undo.
    T result =
        client.resource(desired).fieldManager(fieldManager).forceConflicts().serverSideApply();
    applied.record(desired, result);
    return result;
  }

  /** Forgets an object we deleted: wanted again, it is applied again. */
  void forget(String namespace, String kind, String name) {
    applied.forget(namespace, kind, name);
  }

  /** The namespace is going: nothing in it is ours to remember. */
  void forgetNamespace(String namespace) {
    applied.forgetNamespace(namespace);
  }
}
