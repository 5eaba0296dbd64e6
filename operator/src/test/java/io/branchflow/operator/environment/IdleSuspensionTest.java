package io.branchflow.operator.environment;

import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.v1alpha1.Condition;
import io.branchflow.api.v1alpha1.ConditionStatus;
import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentStatus;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.operator.environment.IdleSuspension.Action;
import io.branchflow.operator.environment.IdleSuspension.Decision;
import io.branchflow.operator.inspect.AirflowActivity;
import io.branchflow.operator.inspect.AirflowObservation;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import org.junit.jupiter.api.Test;

/**
 * limits.idleAfter over one environment, pass after pass, without a cluster: when it is suspended,
 * what wakes it, and whose suspend is never undone. Each pass's spec write is applied as the API
 * server would.
 */
class IdleSuspensionTest {

  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  private static final String NEW_SHA = "fedcba9876543210fedcba9876543210fedcba98";
  private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
  private static final AirflowActivity QUIET = new AirflowActivity(0, T0.minusSeconds(3600));

  private final WorkflowEnvironment env = EnvironmentExpiryTest.environment(SHA);
  private final WorkflowRepository repository = idleAfter("2h");

  /** Airflow 3 reported {@code activity} (null: not asked yet). */
  private static DagsReport airflow(AirflowActivity activity) {
    return DagsReport.observed(new AirflowObservation(SHA, null, null, null, activity), 10);
  }

  /**
   * One pass at {@code now} whose provisioning found {@code phase} (Ready since T0): the status it
   * writes becomes the environment's, and its spec write is applied.
   */
  private Decision pass(Instant now, Phase phase, DagsReport dags) {
    WorkflowEnvironmentStatus status = new WorkflowEnvironmentStatus();
    status.setPhase(phase);
    status.setMessage("computed by the pass");
    status.setReadyAt(T0.toString());
    EnvironmentExpiry.apply(env, repository, status, now);
    Decision decision = IdleSuspension.apply(env, repository, status, dags, now);
    env.setStatus(status);
    if (env.getMetadata().getAnnotations() == null) {
      env.getMetadata().setAnnotations(new HashMap<>());
    }
    switch (decision.action()) {
      case SUSPEND -> {
        env.getSpec().setSuspend(true);
        env.getMetadata().getAnnotations().put(IdleSuspension.ANNOTATION, SHA);
      }
      case WAKE -> {
        env.getSpec().setSuspend(false);
        env.getMetadata().getAnnotations().remove(IdleSuspension.ANNOTATION);
      }
      case FORGET -> env.getMetadata().getAnnotations().remove(IdleSuspension.ANNOTATION);
      default -> {}
    }
    return decision;
  }

  private Decision readyPass(Instant now, AirflowActivity activity) {
    return pass(now, Phase.Ready, airflow(activity));
  }

  @Test
  void theClockCountsFromTheLatestOfPushReadyAndAirflowsNewestEventThenSuspendsAtTheCommit() {
    // The push was seen at T0, Ready at T0; the event log's newest entry is older.
    assertThat(readyPass(T0, QUIET)).isEqualTo(new Decision(Action.NONE, Duration.ofHours(2)));
    assertThat(env.getStatus().getIdle().getSince()).isEqualTo(T0.toString());
    assertThat(idle().getStatus()).isEqualTo(ConditionStatus.True);
    assertThat(idle().getReason()).isEqualTo("Idle");
    assertThat(idle().getMessage())
        .isEqualTo(
            "idle since 2026-11-30T10:00:00Z; suspended at 2026-11-30T12:00:00Z (limits.idleAfter"
                + " 2h) unless a DAG run, an action in Airflow or a push comes first");

    // A task ended (or someone triggered a run) at 10:30: the clock starts again from there.
    Instant event = T0.plus(Duration.ofMinutes(30));
    assertThat(readyPass(T0.plus(Duration.ofHours(1)), new AirflowActivity(0, event)).wakeUp())
        .isEqualTo(Duration.ofMinutes(90));
    assertThat(env.getStatus().getIdle().getSince()).isEqualTo(event.toString());

    Instant due = event.plus(Duration.ofHours(2));
    assertThat(readyPass(due, new AirflowActivity(0, event)).action()).isEqualTo(Action.SUSPEND);
    assertThat(env.getStatus().getIdle().getSuspendedAt()).isEqualTo(due.toString());
    assertThat(env.getStatus().getIdle().getCommitSha()).isEqualTo(SHA);
    assertThat(idle().getReason()).isEqualTo("Suspending");
  }

  @Test
  void asleepItSaysWhyAndHowToWakeItUntilAPushOfAnotherCommitWakesIt() {
    readyPass(T0, QUIET);
    Instant due = T0.plus(Duration.ofHours(2));
    readyPass(due, QUIET);
    assertThat(env.getSpec().getSuspend()).isTrue();

    // The next passes scale it to zero (phase Suspended): it stays asleep at the same commit.
    Instant later = due.plus(Duration.ofHours(5));
    assertThat(pass(later, Phase.Suspended, null)).isEqualTo(Decision.NONE);
    assertThat(env.getStatus().getIdle().getSuspendedAt()).isEqualTo(due.toString());
    assertThat(env.getStatus().getIdle().getSince()).isEqualTo(T0.toString());
    assertThat(idle().getReason()).isEqualTo("Suspended");
    assertThat(env.getStatus().getMessage())
        .startsWith("Idle for 2h (limits.idleAfter), so suspended: push to the branch or set")
        .contains(
            "kubectl patch wfe dags-hardy-0123456789 -n branchflow-system --type merge -p"
                + " '{\"spec\":{\"suspend\":false}}'")
        .contains("Last use: 2026-11-30T10:00:00Z; suspended at 2026-11-30T12:00:00Z");

    env.getSpec().setCommitSha(NEW_SHA);
    assertThat(pass(later.plusSeconds(60), Phase.Suspended, null).action()).isEqualTo(Action.WAKE);
    assertThat(env.getSpec().getSuspend()).isFalse();
    assertThat(env.getStatus().getIdle()).isNull();
    assertThat(idle().getReason()).isEqualTo("Woken");
    assertThat(idle().getMessage()).startsWith("woken by a push of fedcba9");

    // Coming back it is not Ready yet: no clock, no suspend.
    assertThat(pass(later.plusSeconds(70), Phase.Provisioning, null)).isEqualTo(Decision.NONE);
    assertThat(hasIdleCondition()).isFalse();
  }

  @Test
  void aPersonsSuspendIsNeverUndoneAndAPersonWakingTheOperatorsSuspendIsForgotten() {
    env.getSpec().setSuspend(true); // kubectl patch, no annotation
    pass(T0, Phase.Suspended, null);
    env.getSpec().setCommitSha(NEW_SHA);
    assertThat(pass(T0.plus(Duration.ofHours(9)), Phase.Suspended, null)).isEqualTo(Decision.NONE);
    assertThat(env.getSpec().getSuspend()).isTrue();
    assertThat(env.getStatus().getIdle()).isNull();
    assertThat(env.getStatus().getMessage()).isEqualTo("computed by the pass");

    // The operator's own suspend, woken by a person: the mark goes, the clock restarts at Ready.
    env.getMetadata()
        .setAnnotations(new HashMap<>(java.util.Map.of(IdleSuspension.ANNOTATION, NEW_SHA)));
    env.getSpec().setSuspend(false);
    assertThat(pass(T0.plus(Duration.ofHours(10)), Phase.Provisioning, null).action())
        .isEqualTo(Action.FORGET);
    assertThat(IdleSuspension.sleptAt(env)).isNull();
  }

  @Test
  void dagRunsQueuedOrRunningKeepItAwakeHoweverLongTheyTake() {
    AirflowActivity running = new AirflowActivity(1, T0.minus(Duration.ofDays(1)));
    assertThat(readyPass(T0.plus(Duration.ofHours(9)), running)).isEqualTo(Decision.NONE);
    assertThat(idle().getStatus()).isEqualTo(ConditionStatus.False);
    assertThat(idle().getMessage()).isEqualTo("1 DAG run(s) queued or running: in use");
    assertThat(env.getStatus().getIdle()).isNull();
  }

  @Test
  void nothingIsSuspendedBeforeAirflowSaidWhatHappensInIt() {
    Instant late = T0.plus(Duration.ofHours(9));
    assertThat(readyPass(late, null)).isEqualTo(Decision.NONE);
    assertThat(idle().getStatus()).isEqualTo(ConditionStatus.Unknown);
    assertThat(idle().getReason()).isEqualTo("NotAsked");

    DagsReport down = DagsReport.observed(AirflowObservation.unavailable("HTTP 503"), 10);
    assertThat(pass(late, Phase.Ready, down)).isEqualTo(Decision.NONE);
    assertThat(idle().getMessage()).contains("(HTTP 503)");

    assertThat(pass(late, Phase.Ready, DagsReport.pushedOnly())).isEqualTo(Decision.NONE);
    assertThat(idle().getReason()).isEqualTo("NotSupported");
  }

  @Test
  void withoutIdleAfterOrWithOneItCannotUseNothingIsSuspended() {
    repository.getSpec().getLimits().setIdleAfter(null);
    assertThat(readyPass(T0.plus(Duration.ofDays(30)), QUIET)).isEqualTo(Decision.NONE);
    assertThat(hasIdleCondition()).isFalse();

    repository.getSpec().getLimits().setIdleAfter("99999999999999d");
    assertThat(readyPass(T0.plus(Duration.ofDays(30)), QUIET)).isEqualTo(Decision.NONE);
    assertThat(idle().getReason()).isEqualTo("InvalidIdleAfter");
  }

  @Test
  void aSuspendTheApiServerRefusedIsNotClaimedInTheStatus() {
    readyPass(T0, QUIET);
    WorkflowEnvironmentStatus status = new WorkflowEnvironmentStatus();
    status.setPhase(Phase.Ready);
    status.setReadyAt(T0.toString());
    Instant due = T0.plus(Duration.ofHours(2));
    EnvironmentExpiry.apply(env, repository, status, due);
    assertThat(IdleSuspension.apply(env, repository, status, airflow(QUIET), due).action())
        .isEqualTo(Action.SUSPEND);
    IdleSuspension.notCarriedOut(env, status, "could not write spec.suspend (HTTP 409)", due);
    assertThat(status.getIdle().getSuspendedAt()).isNull();
    assertThat(status.getConditions())
        .filteredOn(c -> c.getType().equals("Idle"))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo(ConditionStatus.Unknown);
              assertThat(c.getMessage()).startsWith("could not write spec.suspend (HTTP 409)");
            });
  }

  private boolean hasIdleCondition() {
    return env.getStatus().getConditions() != null
        && env.getStatus().getConditions().stream()
            .anyMatch(c -> c.getType().equals(IdleSuspension.CONDITION));
  }

  private Condition idle() {
    return env.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals(IdleSuspension.CONDITION))
        .findFirst()
        .orElseThrow();
  }

  private static WorkflowRepository idleAfter(String idleAfter) {
    WorkflowRepository repository = EnvironmentExpiryTest.repository(null);
    repository.getSpec().getLimits().setIdleAfter(idleAfter);
    return repository;
  }
}
