package io.branchflow.operator.environment;

import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentStatus;
import io.branchflow.operator.desired.EnvironmentInputs;
import io.branchflow.operator.status.StatusPatch;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Writes the status a pass computed: only when it changed, with an Event when the phase did. The
 * reporters' fields ({@code github}, {@code slack}) are theirs: never written nor compared here.
 */
final class EnvironmentStatusWriter {

  private static final Logger LOG = Logger.getLogger(EnvironmentStatusWriter.class);

  private final KubernetesClient client;
  private final EnvironmentEvents events;

  EnvironmentStatusWriter(KubernetesClient client, EnvironmentEvents events) {
    this.client = client;
    this.events = events;
  }

  /** The status patch for JOSDK to send; none when {@code status} is what is already there. */
  UpdateControl<WorkflowEnvironment> patchIfChanged(
      WorkflowEnvironment env, WorkflowEnvironmentStatus status) {
    WorkflowEnvironmentStatus previous = env.getStatus();
    Phase before = previous == null ? null : previous.getPhase();
    if (before != status.getPhase()) {
      events.phaseChanged(env, before, status.getPhase(), status.getMessage());
    }
    if (Objects.equals(serialize(withoutReports(previous)), serialize(status))) {
      return UpdateControl.noUpdate();
    }
    return UpdateControl.patchStatus(statusOnly(env, status));
  }

  /**
   * Phase {@code Terminating} while the namespace goes, written at once (the Cleaner cannot return
   * a status); {@code expired}: why, when its TTL removed it. Best effort: teardown goes on.
   */
  void markTerminating(WorkflowEnvironment env, String namespace, String expired) {
    WorkflowEnvironmentStatus status =
        env.getStatus() == null ? new WorkflowEnvironmentStatus() : withoutReports(env.getStatus());
    Phase before = status.getPhase();
    status.setPhase(Phase.Terminating);
    status.setMessage(
        (expired == null ? "" : expired + ": ")
            + "deleting namespace "
            + namespace
            + " and everything in it");
    try {
      client.resource(statusOnly(env, status)).patchStatus();
      events.phaseChanged(env, before, Phase.Terminating, status.getMessage());
    } catch (RuntimeException e) {
      LOG.debugf("could not mark %s terminating: %s", env.getMetadata().getName(), e.getMessage());
    }
  }

  /**
   * What a pass that threw writes: condition {@code ReconcileError} with what went wrong, the phase
   * it had (JOSDK retries with back-off), and its clocks.
   */
  static WorkflowEnvironment reconcileError(WorkflowEnvironment env, Exception e, String now) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    // API errors can be long; keep the status readable. Messages never carry Secret data:
    // Secrets are written with server-side apply whose errors name fields, not values.
    message = message.length() > 300 ? message.substring(0, 300) + "..." : message;
    WorkflowEnvironmentStatus status =
        EnvironmentStatusCalculator.failed(
            env,
            EnvironmentInputs.namespaceOf(env),
            "ReconcileError",
            "reconcile failed, retrying with back-off: " + message,
            now);
    // The TTL and idle clocks survive a failing pass: this write replaces the whole status.
    keepClocks(env, status);
    status.setPhase(
        env.getStatus() != null && env.getStatus().getPhase() != null
            ? env.getStatus().getPhase()
            : Phase.Pending);
    return statusOnly(env, status);
  }

  /**
   * Carries the TTL and idle clocks over from the status already there, for a pass that does not
   * apply the limits (no repository, or a failing pass): its write replaces the whole status.
   */
  static void keepClocks(WorkflowEnvironment env, WorkflowEnvironmentStatus status) {
    status.setExpiry(env.getStatus() == null ? null : env.getStatus().getExpiry());
    status.setIdle(env.getStatus() == null ? null : env.getStatus().getIdle());
  }

  /** What a status write sends: the environment's identity and {@code status}, nothing else. */
  private static WorkflowEnvironment statusOnly(
      WorkflowEnvironment env, WorkflowEnvironmentStatus status) {
    return StatusPatch.of(env, status, WorkflowEnvironment::new);
  }

  /** The status without the reporters' fields, which the reconciler neither writes nor compares. */
  private static WorkflowEnvironmentStatus withoutReports(WorkflowEnvironmentStatus status) {
    if (status == null) {
      return null;
    }
    WorkflowEnvironmentStatus copy = Serialization.clone(status);
    copy.setGithub(null);
    copy.setSlack(null);
    return copy;
  }

  private static String serialize(WorkflowEnvironmentStatus status) {
    return status == null ? null : Serialization.asJson(status);
  }
}
