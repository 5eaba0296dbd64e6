package io.branchflow.operator.environment;

import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.operator.events.EventRecorder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.jboss.logging.Logger;

/** Kubernetes Events on the WorkflowEnvironment for the transitions its users care about. */
final class EnvironmentEvents {

  private static final Logger LOG = Logger.getLogger(EnvironmentEvents.class);

  private final EventRecorder recorder;

  EnvironmentEvents(KubernetesClient client) {
    this.recorder = new EventRecorder(client);
  }

  void phaseChanged(WorkflowEnvironment env, Phase from, Phase to, String message) {
    boolean warning = to == Phase.Failed || to == Phase.Degraded;
    LOG.infof(
        "%s/%s: %s -> %s: %s",
        env.getMetadata().getNamespace(), env.getMetadata().getName(), from, to, message);
    emit(
        env.getMetadata().getNamespace(),
        env.getMetadata().getName(),
        env.getMetadata().getUid(),
        warning,
        to.name(),
        (from == null ? "" : from + " -> " + to + ": ") + message);
  }

  /** One Event on the named WorkflowEnvironment; failing to record it is only logged. */
  private void emit(
      String namespace, String name, String uid, boolean warning, String reason, String message) {
    recorder.record(WorkflowEnvironment.class, namespace, name, uid, warning, reason, message);
  }
}
