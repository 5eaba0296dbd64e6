package io.branchflow.operator.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.operator.testing.ManualClock;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The poller's rules, with an Airflow that answers what the test says: when it asks, what it
 * reports, and that it never throws.
 */
class AirflowInspectorTest {

  private static final String PUSHED = "0123456789abcdef0123456789abcdef01234567";
  private static final String OLDER = "fedcba9876543210fedcba9876543210fedcba98";
  private static final String NS = "bf-dags-hardy";
  private static final String FAILED = FakeAirflow.FAILED_TASKS;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-30T10:00:00Z"));
  private final FakeAirflow airflow = new FakeAirflow(PUSHED);
  private boolean up = true;
  private final AirflowInspector inspector =
      new AirflowInspector(
          airflow,
          env -> up ? Optional.of(new AirflowTargets.Target(NS, "dags")) : Optional.empty(),
          clock);

  private static WorkflowEnvironment env(String pushed) {
    return FakeAirflow.environment(pushed);
  }

  private AirflowObservation poll(String pushed) {
    Set<AirflowObservation> seen = inspector.fetchResources(env(pushed));
    return seen.isEmpty() ? null : seen.iterator().next();
  }

  private Duration delay(String pushed) {
    return inspector.fetchDelay(Set.of(), env(pushed)).orElseThrow();
  }

  @Test
  void importErrorsAreAskedOnceTheLoadedCommitWasSeenTwiceThenRarely() {
    AirflowObservation first = poll(PUSHED);
    assertThat(first).isEqualTo(new AirflowObservation(PUSHED, null, null, FailedTasks.NONE, null));
    assertThat(airflow.asked).containsExactly("api/v2/dags", FAILED);
    assertThat(delay(PUSHED)).isEqualTo(InspectionSchedule.SETTLE);

    clock.advance(InspectionSchedule.SETTLE);
    airflow.importErrors =
        "{\"import_errors\": [{\"filename\": \"broken.py\", \"stack_trace\":"
            + " \"NameError: name 'x' is not defined\"}], \"total_entries\": 1}";
    AirflowObservation second = poll(PUSHED);
    assertThat(second.revision()).isEqualTo(PUSHED);
    assertThat(second.imports().total()).isEqualTo(1);
    assertThat(second.imports().first().get(0).file())
        .as("named as in the branch: Airflow's DAG folder is its dags/")
        .isEqualTo("dags/broken.py");
    assertThat(airflow.asked)
        .containsExactly("api/v2/dags", FAILED, "api/v2/dags", "api/v2/importErrors", FAILED);

    // Settled: the poller looks every tick, asks Airflow only every STEADY.
    assertThat(delay(PUSHED)).isEqualTo(InspectionSchedule.TICK);
    clock.advance(InspectionSchedule.TICK);
    assertThat(poll(PUSHED)).isEqualTo(second);
    assertThat(airflow.asked).hasSize(5);
    clock.advance(InspectionSchedule.STEADY);
    poll(PUSHED);
    assertThat(airflow.asked).hasSize(8);
  }

  @Test
  void aNewPushIsAskedAboutAtOnceAndAskedOftenUntilAirflowLoadedIt() {
    poll(PUSHED);
    clock.advance(InspectionSchedule.SETTLE);
    poll(PUSHED);
    airflow.asked.clear();

    String next = "abcdef0123456789abcdef0123456789abcdef01";
    assertThat(delay(next)).isEqualTo(AirflowInspector.SHORTEST_WAIT);
    AirflowObservation behind = poll(next);
    assertThat(behind.revision()).isEqualTo(PUSHED);
    assertThat(behind.imports())
        .as("not read while Airflow runs an older commit: the new one's files may be parsed")
        .isNull();
    assertThat(airflow.asked).containsExactly("api/v2/dags", FAILED);
    assertThat(delay(next)).isEqualTo(InspectionSchedule.CATCHING_UP);

    airflow.loaded = next;
    clock.advance(InspectionSchedule.CATCHING_UP);
    AirflowObservation caughtUp = poll(next);
    assertThat(caughtUp)
        .isEqualTo(new AirflowObservation(next, null, null, FailedTasks.NONE, null));
    clock.advance(InspectionSchedule.SETTLE);
    assertThat(poll(next).imports()).isEqualTo(ImportErrors.NONE);
  }

  @Test
  void failedTasksAreReadOnEveryAnswerWhicheverCommitAirflowRuns() {
    airflow.loaded = OLDER; // behind the last push: imports wait, failures do not
    airflow.failedTasks =
        "{\"task_instances\": [{\"dag_id\": \"etl\", \"task_id\": \"load\", \"dag_run_id\":"
            + " \"manual__1\", \"map_index\": -1, \"try_number\": 2, \"end_date\":"
            + " \"2026-11-30T09:59:30.123456Z\"}], \"total_entries\": 1}";
    AirflowObservation seen = poll(PUSHED);
    assertThat(seen.imports()).isNull();
    assertThat(seen.failures().total()).isEqualTo(1);
    assertThat(seen.failures().newest())
        .containsExactly(
            new FailedTasks.FailedTask(
                "etl", "load", "manual__1", null, 2, "2026-11-30T09:59:30.123456Z"));
  }

  @Test
  void anAirflowThatDoesNotAnswerIsAskedEverMoreRarelyAndTheReasonReported() {
    airflow.down = "Airflow's API did not answer within 5 s";
    AirflowObservation none = poll(PUSHED);
    assertThat(none).isEqualTo(AirflowObservation.unavailable(airflow.down));
    assertThat(delay(PUSHED)).isEqualTo(InspectionSchedule.TICK);

    clock.advance(InspectionSchedule.FIRST_RETRY.minusSeconds(1));
    poll(PUSHED);
    assertThat(airflow.asked).hasSize(1);
    clock.advance(Duration.ofSeconds(1));
    poll(PUSHED);
    assertThat(airflow.asked).hasSize(2);
    for (int i = 0; i < 10; i++) {
      clock.advance(InspectionSchedule.LAST_RETRY);
      poll(PUSHED);
    }
    int asked = airflow.asked.size();
    clock.advance(InspectionSchedule.LAST_RETRY.minusSeconds(1));
    poll(PUSHED);
    assertThat(airflow.asked).as("back-off capped at LAST_RETRY").hasSize(asked);
  }

  @Test
  void anOutageKeepsTheReasonItBeganWithSoItsChangingDetailWakesNoReconcile() {
    airflow.unreachable = true;
    airflow.down = "Airflow's API did not answer within 5 s";
    AirflowObservation began = poll(PUSHED);
    clock.advance(InspectionSchedule.LAST_RETRY);
    airflow.down =
        "Airflow's API could not be reached through the Kubernetes API server (HTTP 503)";
    assertThat(poll(PUSHED)).as("asked again, the same outage").isEqualTo(began);
    assertThat(airflow.asked).hasSize(2);

    // Another kind of problem is reported as it is.
    clock.advance(InspectionSchedule.LAST_RETRY);
    airflow.unreachable = false;
    airflow.down = "Airflow refused the airflow-login credentials (HTTP 401)";
    assertThat(poll(PUSHED).problem()).isEqualTo(airflow.down);

    // An answer ends the outage: the next one is reported with its own reason.
    clock.advance(InspectionSchedule.LAST_RETRY);
    airflow.down = null;
    assertThat(poll(PUSHED).answered()).isTrue();
    clock.advance(InspectionSchedule.LAST_RETRY);
    airflow.unreachable = true;
    airflow.down = "Airflow's API could not be reached: Connection refused";
    assertThat(poll(PUSHED).problem()).isEqualTo(airflow.down);
  }

  @Test
  void anAirflowThatIsNotUpIsNotAskedAndTheLastObservationStands() {
    AirflowObservation seen = poll(PUSHED);
    up = false;
    clock.advance(Duration.ofHours(1));
    assertThat(poll(PUSHED)).isEqualTo(seen);
    assertThat(poll("a-new-push")).isEqualTo(seen);
    assertThat(airflow.asked).hasSize(2);
    assertThat(inspector.worthPolling(env(PUSHED))).isFalse();
    assertThat(delay("a-new-push")).as("no spinning").isEqualTo(InspectionSchedule.TICK);
  }

  @Test
  void neverThrows() {
    AirflowInspector broken =
        new AirflowInspector(
            airflow,
            env -> {
              throw new IllegalStateException("odd data");
            },
            clock);
    assertThat(broken.fetchResources(env(PUSHED))).isEmpty();
    assertThat(broken.worthPolling(env(PUSHED))).isFalse();
  }

  @Test
  void theNewestParseNamesTheLoadedCommit() {
    JsonNode dags =
        Serialization.unmarshal(
            "{\"dags\": [{\"last_parsed_time\": \"2026-11-30T09:00:00Z\", \"bundle_version\": \""
                + OLDER
                + "\"}, {\"last_parsed_time\": \"2026-11-30T09:05:00Z\", \"bundle_version\": \""
                + PUSHED
                + "\"}, {\"last_parsed_time\": null}]}",
            JsonNode.class);
    assertThat(AirflowInspector.newestParse(dags)).isEqualTo(PUSHED);
    assertThat(AirflowInspector.newestParse(Serialization.unmarshal("{}", JsonNode.class)))
        .isNull();
  }

  @Test
  void activityIsAskedOnlyForIdleAfterAndReadsRunsAndTheNewestEvent() {
    poll(PUSHED);
    assertThat(airflow.asked).containsExactly("api/v2/dags", FAILED);

    AirflowInspector idleAware =
        new AirflowInspector(
            airflow,
            env -> Optional.of(new AirflowTargets.Target(NS, "dags", true)),
            new ManualClock(Instant.parse("2026-11-30T10:00:00Z")));
    airflow.asked.clear();
    // Airflow 3.3's answers: a run queued, the newest entry a task that ended (offset form).
    airflow.runs =
        "{\"dag_runs\": [{\"dag_run_id\": \"manual__1\", \"state\": \"queued\"}],"
            + " \"total_entries\": 2}";
    airflow.events =
        "{\"event_logs\": [{\"event_log_id\": 7, \"when\": \"2026-11-30T09:41:12.5+00:00\","
            + " \"event\": \"success\", \"owner\": \"airflow\"}], \"total_entries\": 7}";
    AirflowObservation seen = idleAware.fetchResources(env(PUSHED)).iterator().next();
    assertThat(seen.activity())
        .isEqualTo(new AirflowActivity(2, Instant.parse("2026-11-30T09:41:12.500Z")));
    assertThat(airflow.asked)
        .containsExactly("api/v2/dags", FAILED, "api/v2/dags/~/dagRuns", "api/v2/eventLogs");

    // An empty log (a fresh Airflow) and nothing running.
    airflow.runs = "{\"dag_runs\": [], \"total_entries\": 0}";
    airflow.events = "{\"event_logs\": [], \"total_entries\": 0}";
    assertThat(
            AirflowActivity.parse(
                Serialization.unmarshal(airflow.runs, JsonNode.class),
                Serialization.unmarshal(airflow.events, JsonNode.class)))
        .isEqualTo(new AirflowActivity(0, null));
  }
}
