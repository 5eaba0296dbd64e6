package io.branchflow.operator.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The task instances that failed in an environment's Airflow, from {@code GET
 * /api/v2/dags/~/dagRuns/~/taskInstances?state=failed}: how many, and the {@link #LISTED} newest
 * with what a reply needs (which task, which try, when, where its log is). Parsing is pure:
 * Airflow's answer in, a short summary out.
 *
 * @param total {@code total_entries}: every failed task instance Airflow keeps, also those not
 *     listed
 * @param newest the last ones to fail, newest first
 */
public record FailedTasks(int total, List<FailedTask> newest) {

  /** How many are kept (and asked for). */
  public static final int LISTED = 5;

  /**
   * One failed task instance.
   *
   * @param runId the DAG run's ID ({@code manual__2026-...}): with dag and task, where its log is
   * @param mapIndex the index of a mapped task instance; null when the task is not mapped
   * @param endDate when it failed, as Airflow gives it (RFC 3339)
   */
  public record FailedTask(
      String dagId, String taskId, String runId, Integer mapIndex, int tryNumber, String endDate) {}

  public static final FailedTasks NONE = new FailedTasks(0, List.of());

  /**
   * Every DAG and run ({@code ~}), failed only, newest end first. The lower bound on end_date
   * leaves out the rare failed instance without an end date (marked failed before it ran):
   * PostgreSQL sorts nulls first in a descending order, and they would take the places of the
   * newest.
   */
  static final String PATH =
      "api/v2/dags/~/dagRuns/~/taskInstances?state=failed&end_date_gte=2000-01-01T00:00:00Z"
          + "&order_by=-end_date&limit="
          + LISTED;

  /** Airflow's {@code TaskInstanceCollectionResponse}; entries it cannot name are skipped. */
  static FailedTasks parse(JsonNode answer) {
    List<FailedTask> newest = new ArrayList<>();
    for (JsonNode ti : answer.path("task_instances")) {
      if (newest.size() == LISTED) {
        break;
      }
      String dag = ti.path("dag_id").asText(null);
      String task = ti.path("task_id").asText(null);
      String run = ti.path("dag_run_id").asText(null);
      String end = ti.path("end_date").asText(null);
      if (dag == null || task == null || run == null || end == null) {
        continue;
      }
      int mapIndex = ti.path("map_index").asInt(-1);
      newest.add(
          new FailedTask(
              dag,
              task,
              run,
              mapIndex < 0 ? null : mapIndex,
              Math.max(1, ti.path("try_number").asInt(1)),
              end));
    }
    int total = answer.path("total_entries").asInt(newest.size());
    return new FailedTasks(Math.max(total, newest.size()), List.copyOf(newest));
  }
}
