package io.branchflow.operator.environment;

import io.branchflow.api.v1alpha1.TaskFailure;
import io.branchflow.api.v1alpha1.TaskFailures;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentStatus;
import io.branchflow.operator.inspect.AirflowObservation;
import io.branchflow.operator.inspect.FailedTasks;

/**
 * {@code status.taskFailures}: the task instances that failed in the environment's Airflow, as the
 * last poll that could ask reported them. Level-triggered: it is what Airflow holds, not a stream
 * of events, so a restarted operator reads the same and the Slack reporter tells new from replied
 * by what it recorded. While Airflow is not asked or cannot answer, the last report stands.
 */
final class TaskFailuresStatus {

  private TaskFailuresStatus() {}

  static void add(
      WorkflowEnvironmentStatus previous, DagsReport dags, WorkflowEnvironmentStatus status) {
    if (!dags.airflowReports()) {
      return; // Airflow 2: not read
    }
    AirflowObservation observed = dags.observed();
    status.setTaskFailures(
        observed != null && observed.failures() != null
            ? of(observed.failures())
            : previous.getTaskFailures());
  }

  static TaskFailures of(FailedTasks failed) {
    TaskFailures failures = new TaskFailures();
    failures.setCount(failed.total());
    failures.setNewest(
        failed.newest().stream()
            .map(
                t -> {
                  TaskFailure failure = new TaskFailure();
                  failure.setDagId(t.dagId());
                  failure.setTaskId(t.taskId());
                  failure.setRunId(t.runId());
                  failure.setMapIndex(t.mapIndex());
                  failure.setTryNumber(t.tryNumber());
                  failure.setEndDate(t.endDate());
                  return failure;
                })
            .toList());
    return failures;
  }
}
