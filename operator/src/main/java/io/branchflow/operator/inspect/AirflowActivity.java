package io.branchflow.operator.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Whether anything happens in an environment's Airflow, for {@code limits.idleAfter}: the DAG runs
 * queued or running now, and the newest entry of Airflow's event log. Airflow writes an entry when
 * a task starts and when it ends, and for every action a person takes in the UI or the API
 * (trigger, pause, clear, mark, edit a Variable or Connection...); reading (browsing the UI, the
 * operator's own GETs) writes none. Parsing is pure.
 *
 * @param activeRuns DAG runs queued or running
 * @param lastEvent when the newest event-log entry was written; null when the log is empty
 */
public record AirflowActivity(int activeRuns, Instant lastEvent) {

  /** DAG runs queued or running, over every DAG: only {@code total_entries} is read. */
  static final String ACTIVE_RUNS = "api/v2/dags/~/dagRuns?state=queued&state=running&limit=1";

  /** The newest event-log entry. */
  static final String NEWEST_EVENT = "api/v2/eventLogs?order_by=-when&limit=1";

  /** From the answers to {@link #ACTIVE_RUNS} and {@link #NEWEST_EVENT}. */
  static AirflowActivity parse(JsonNode runs, JsonNode events) {
    JsonNode listed = runs.path("dag_runs");
    int active = runs.path("total_entries").asInt(listed.size());
    Instant last = null;
    for (JsonNode event : events.path("event_logs")) {
      Instant when = instant(event.path("when").asText(null));
      if (when != null && (last == null || when.isAfter(last))) {
        last = when;
      }
    }
    return new AirflowActivity(Math.max(active, listed.size()), last);
  }

  /** Airflow writes times with an offset ({@code +00:00}) or {@code Z}; null when unreadable. */
  static Instant instant(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
