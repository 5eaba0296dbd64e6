package io.branchflow.operator.announce;

import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.jboss.logging.Logger;

/**
 * Writes a reporter's own part of an environment's status with server-side apply under the
 * reporter's field manager. The reconciler applies the rest of the status under {@code
 * branchflow-operator} and never sends these fields, so neither removes what the other wrote.
 */
public final class StatusRecorder {

  private static final Logger LOG = Logger.getLogger(StatusRecorder.class);

  private final KubernetesClient client;
  private final String fieldManager;

  public StatusRecorder(KubernetesClient client, String fieldManager) {
    this.client = client;
    this.fieldManager = fieldManager;
  }

  /**
   * Applies {@code status} (only the fields the reporter owns are set; null ones are left out, and
   * any this manager set before and no longer sends are removed). Returns false when the
   * environment is gone or the write failed; the next step records again.
   */
  public boolean apply(EnvironmentRef env, WorkflowEnvironmentStatus status) {
    WorkflowEnvironment patch = new WorkflowEnvironment();
    patch.setMetadata(
        new ObjectMetaBuilder().withName(env.name()).withNamespace(env.namespace()).build());
    patch.setStatus(status);
    try {
      client
          .resource(patch)
          .subresource("status")
          .patch(
              new PatchContext.Builder()
                  .withPatchType(PatchType.SERVER_SIDE_APPLY)
                  .withFieldManager(fieldManager)
                  .withForce(true)
                  .build());
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        LOG.debugf("%s gone; %s not recorded", env, fieldManager);
      } else {
        LOG.warnf("could not record %s status of %s: %s", fieldManager, env, e.getMessage());
      }
      return false;
    }
  }
}
