package io.branchflow.operator.inspect;

/**
 * What one poll learnt of an environment's Airflow: the secondary resource the reconciler reads.
 * Equal observations are one: only a change wakes a reconcile.
 *
 * @param revision the commit whose DAGs Airflow loaded last; null when it loaded none yet or could
 *     not be asked
 * @param problem why Airflow could not be read (for the status); null when it answered
 * @param imports the import errors of {@code revision}; null until they are known: Airflow could
 *     not be asked, runs an older commit than the last push, or moved to it since the poll before,
 *     so its files may still be parsing ({@link InspectionSchedule#SETTLE})
 * @param failures the task instances that failed; null when Airflow could not be asked
 * @param activity DAG runs and the event log, for limits.idleAfter; null when not asked (no
 *     idleAfter) or Airflow could not be asked
 */
public record AirflowObservation(
    String revision,
    String problem,
    ImportErrors imports,
    FailedTasks failures,
    AirflowActivity activity) {

  /** Before task failures and activity are known (or for what does not read them). */
  public AirflowObservation(String revision, String problem, ImportErrors imports) {
    this(revision, problem, imports, null, null);
  }

  public static AirflowObservation unavailable(String problem) {
    return new AirflowObservation(null, problem, null, null, null);
  }

  /** Whether Airflow answered (as opposed to {@link #problem}). */
  public boolean answered() {
    return problem == null;
  }
}
