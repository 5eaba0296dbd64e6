package io.branchflow.operator.environment;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Writes desired objects with server-side apply under one field manager: fields we set are ours and
 * restored on every reconcile (drift), fields others set are left alone.
 */
final class ServerSideApplier {

  private final KubernetesClient client;
  private final String fieldManager;

  ServerSideApplier(KubernetesClient client, String fieldManager) {
    this.client = client;
    this.fieldManager = fieldManager;
  }

  <T extends HasMetadata> T apply(T desired) {
    // Our objects live in namespaces we own: a conflicting manager is drift to undo.
    return client.resource(desired).fieldManager(fieldManager).forceConflicts().serverSideApply();
  }
}
