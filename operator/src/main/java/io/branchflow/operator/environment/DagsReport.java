package io.branchflow.operator.environment;

import io.branchflow.operator.inspect.AirflowObservation;

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
