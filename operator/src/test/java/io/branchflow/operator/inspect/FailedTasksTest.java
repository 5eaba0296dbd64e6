package io.branchflow.operator.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.operator.inspect.FailedTasks.FailedTask;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/** Airflow's list of failed task instances, as the poller keeps it. */
class FailedTasksTest {

  private static FailedTasks parse(String json) {
    return FailedTasks.parse(
        Serialization.unmarshal(json, com.fasterxml.jackson.databind.JsonNode.class));
  }

  private static String instance(String task, int mapIndex, int tryNumber, String end) {
    return "{\"id\": \"0199\", \"dag_id\": \"etl\", \"task_id\": \""
        + task
        + "\", \"dag_run_id\": \"manual__2026-11-30T10:00:00+00:00\", \"map_index\": "
        + mapIndex
        + ", \"try_number\": "
        + tryNumber
        + ", \"state\": \"failed\", \"end_date\": "
        + (end == null ? "null" : "\"" + end + "\"")
        + ", \"operator\": \"PythonOperator\"}";
  }

  @Test
  void keepsWhatAReplyNeedsNewestFirstAsAirflowSortsThem() {
    FailedTasks failed =
        parse(
            "{\"task_instances\": ["
                + instance("load", -1, 2, "2026-11-30T10:00:05.5Z")
                + ", "
                + instance("fan_out", 3, 1, "2026-11-30T10:00:04Z")
                + "], \"total_entries\": 7}");

    assertThat(failed.total()).as("every failed instance, also those not listed").isEqualTo(7);
    assertThat(failed.newest())
        .containsExactly(
            new FailedTask(
                "etl",
                "load",
                "manual__2026-11-30T10:00:00+00:00",
                null,
                2,
                "2026-11-30T10:00:05.5Z"),
            new FailedTask(
                "etl",
                "fan_out",
                "manual__2026-11-30T10:00:00+00:00",
                3,
                1,
                "2026-11-30T10:00:04Z"));
  }

  @Test
  void atMostFiveAndNothingWithoutANameOrAnEnd() {
    StringBuilder many = new StringBuilder("{\"task_instances\": [");
    many.append(instance("no_end", -1, 1, null));
    for (int i = 0; i < 8; i++) {
      many.append(", ").append(instance("t" + i, -1, 1, "2026-11-30T10:00:0" + i + "Z"));
    }
    many.append("]}");
    FailedTasks failed = parse(many.toString());

    assertThat(failed.newest()).hasSize(FailedTasks.LISTED);
    assertThat(failed.newest())
        .extracting(FailedTask::taskId)
        .startsWith("t0")
        .doesNotContain("no_end");
    assertThat(failed.total()).as("no total_entries: at least what was listed").isEqualTo(5);
  }

  @Test
  void anEmptyOrOddAnswerIsNone() {
    assertThat(parse("{\"task_instances\": [], \"total_entries\": 0}")).isEqualTo(FailedTasks.NONE);
    assertThat(parse("{}")).isEqualTo(FailedTasks.NONE);
    assertThat(parse("{\"task_instances\": {\"not\": \"a list\"}}")).isEqualTo(FailedTasks.NONE);
  }
}
