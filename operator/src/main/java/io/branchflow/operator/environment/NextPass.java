package io.branchflow.operator.environment;

import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.util.Optional;

/** When a pass asks JOSDK to come back: its timer, no polling loop of our own. */
final class NextPass {

  private NextPass() {}

  /**
   * {@code control}, brought back no later than {@code wakeUp} (null: no need). A wake-up beyond
   * the reconciler's maximum interval is left to that interval: a delay set here would replace it,
   * and with it the periodic pass that repairs drift.
   */
  static UpdateControl<WorkflowEnvironment> noLaterThan(
      UpdateControl<WorkflowEnvironment> control, Duration wakeUp) {
    if (wakeUp == null
        || wakeUp.compareTo(Duration.ofMinutes(WorkflowEnvironmentReconciler.MAX_INTERVAL_MINUTES))
            >= 0) {
      return control;
    }
    Optional<Long> scheduled = control.getScheduleDelay();
    return scheduled.isPresent() && scheduled.get() <= wakeUp.toMillis()
        ? control
        : control.rescheduleAfter(wakeUp);
  }
}
