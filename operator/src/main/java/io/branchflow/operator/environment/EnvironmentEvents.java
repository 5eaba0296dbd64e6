package io.branchflow.operator.environment;

import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.operator.desired.ShortHash;
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

  /**
   * limits.ttl: the environment goes soon unless its branch is pushed. Once per push: the message
   * names the push and the removal time, and one Event is recorded per message.
   */
  void expiryWarning(WorkflowEnvironment env, String message) {
    LOG.infof("%s/%s: %s", env.getMetadata().getNamespace(), env.getMetadata().getName(), message);
    recorder.recordOnce(
        env, true, "ExpiryWarning", message, "expiry-warning-" + ShortHash.of(message, 12));
  }

  /** limits.ttl: the environment was deleted; its teardown follows. */
  void expired(WorkflowEnvironment env, String message) {
    logged(env, false, "Expired", message);
  }

  /** An Event that is also an INFO line, like a phase change. */
  private void logged(WorkflowEnvironment env, boolean warning, String reason, String message) {
    LOG.infof("%s/%s: %s", env.getMetadata().getNamespace(), env.getMetadata().getName(), message);
    emit(
        env.getMetadata().getNamespace(),
        env.getMetadata().getName(),
        env.getMetadata().getUid(),
        warning,
        reason,
        message);
  }

  /** One Event on the named WorkflowEnvironment; failing to record it is only logged. */
  private void emit(
      String namespace, String name, String uid, boolean warning, String reason, String message) {
    recorder.record(WorkflowEnvironment.class, namespace, name, uid, warning, reason, message);
  }
}
