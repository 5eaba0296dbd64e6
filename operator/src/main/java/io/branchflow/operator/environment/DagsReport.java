package io.branchflow.operator.environment;

import io.branchflow.operator.desired.ResolvedTemplate;
import io.branchflow.operator.inspect.AirflowObservation;
import io.branchflow.operator.inspect.AirflowObservations;
import java.util.Optional;

/**
 * What the status may say about the branch's DAGs in Airflow. Airflow 3 records the commit of every
 * parse and its import errors, and the poller reads them ({@link AirflowObservation}); Airflow 2
 * (git-sync) cannot tell, so there the pushed commit stands in and imports are not reported.
 *
 * @param airflowReports whether Airflow can say which commit it loaded (Airflow 3)
 * @param observed what the last poll saw; null when there is none to use (not ready yet)
 * @param refreshSeconds how often Airflow fetches the branch, for the message while it catches up
 */
record DagsReport(boolean airflowReports, AirflowObservation observed, int refreshSeconds) {

  /**
   * What a pass may report for an environment of template {@code t} in {@code state}: the poller's
   * last observation of a ready Airflow 3 ({@link AirflowObservations}), never asked here.
   */
  static DagsReport of(
      ResolvedTemplate t, ProvisioningState state, Optional<AirflowObservation> lastObserved) {
    if (!t.airflow3()) {
      return pushedOnly();
    }
    if (!state.componentsReady() || state.suspended()) {
      return notAsked(t.gitSyncPeriodSeconds());
    }
    return lastObserved
        .map(o -> observed(o, t.gitSyncPeriodSeconds()))
        .orElseGet(() -> notAsked(t.gitSyncPeriodSeconds()));
  }

  static DagsReport pushedOnly() {
    return new DagsReport(false, null, 0);
  }

  static DagsReport notAsked(int refreshSeconds) {
    return new DagsReport(true, null, refreshSeconds);
  }

  static DagsReport observed(AirflowObservation observed, int refreshSeconds) {
    return new DagsReport(true, observed, refreshSeconds);
  }
}
