package io.branchflow.operator.environment;

import io.branchflow.operator.environment.AirflowApi.LoadedRevision;
import java.time.Duration;

/**
 * What the status may say about the branch's commit Airflow runs. Airflow 3 records the commit of
 * every parse and the operator asks it ({@link AirflowApi}); Airflow 2 (git-sync) cannot tell, so
 * there the pushed commit stands in.
 *
 * @param airflowReports whether Airflow can say which commit it loaded (Airflow 3)
 * @param loaded what it said on this pass; null when it was not asked (not ready yet)
 * @param refreshSeconds how often Airflow fetches the branch, for the message while it catches up
 * @param askAgainIn when to ask again (see {@link LoadedRevisionSchedule}); null: not before the
 *     next change
 */
record DagsReport(
    boolean airflowReports, LoadedRevision loaded, int refreshSeconds, Duration askAgainIn) {

  static DagsReport pushedOnly() {
    return new DagsReport(false, null, 0, null);
  }

  static DagsReport notAsked(int refreshSeconds) {
    return new DagsReport(true, null, refreshSeconds, null);
  }

  static DagsReport answered(LoadedRevision loaded, int refreshSeconds, Duration askAgainIn) {
    return new DagsReport(true, loaded, refreshSeconds, askAgainIn);
  }
}
