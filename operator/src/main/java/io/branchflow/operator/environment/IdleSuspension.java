package io.branchflow.operator.environment;

import io.branchflow.api.v1alpha1.IdleStatus;
import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentStatus;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.operator.inspect.AirflowActivity;
import io.branchflow.operator.inspect.AirflowObservation;
import io.branchflow.operator.status.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * What the repository's {@code limits.idleAfter} does to one environment in a pass: whether to
 * suspend it (nothing used its Airflow for that long), wake it (a push since the operator suspended
 * it), or forget that it did (a person set {@code spec.suspend: false}); and {@code status.idle}
 * and the condition {@value #CONDITION} that explain it. Pure: the caller carries the action out
 * ({@link SuspendSwitch}).
 *
 * <p>The operator's own suspend is told from a person's by the annotation {@value #ANNOTATION},
 * written in the same patch as {@code spec.suspend: true}: a crash between two writes can never
 * make the operator's suspend look like a person's (never woken) or the other way round (woken
 * against their will). Its value is the commit it slept at; a push of another commit wakes it.
 */
final class IdleSuspension {

  static final String CONDITION = "Idle";

  /** On a WorkflowEnvironment the operator suspended for idleness: the commit it slept at. */
  static final String ANNOTATION = "branchflow.io/idle-suspended";

  private IdleSuspension() {}

  enum Action {
    /** Nothing to write to the spec. */
    NONE,
    /** Set spec.suspend and the annotation: idle for idleAfter. */
    SUSPEND,
    /** Clear spec.suspend and the annotation: pushed since it was suspended. */
    WAKE,
    /** Remove the annotation: a person set spec.suspend false already. */
    FORGET
  }

  /**
   * The outcome of one pass.
   *
   * @param action what to write to the environment's spec
   * @param wakeUp when to come back to suspend it; null: nothing scheduled
   */
  record Decision(Action action, Duration wakeUp) {

    static final Decision NONE = new Decision(Action.NONE, null);
  }

  /**
   * Sets {@code status.idle} and the condition for a pass at {@code now} over the status the pass
   * computed ({@code status.expiry} already set: the last push); {@code dags} is what Airflow said,
   * null when the pass did not get that far.
   */
  static Decision apply(
      WorkflowEnvironment env,
      WorkflowRepository repository,
      WorkflowEnvironmentStatus status,
      DagsReport dags,
      Instant now) {
    String at = now.toString();
    IdleStatus previous = env.getStatus() == null ? null : env.getStatus().getIdle();
    boolean suspended = Boolean.TRUE.equals(env.getSpec().getSuspend());
    String sleptAt = sleptAt(env);
    String pushed = Objects.toString(env.getSpec().getCommitSha(), "");
    status.setIdle(null);
    Conditions condition = EnvironmentConditions.of(env, at);
    String idleAfter = idleAfterOf(repository);
    if (sleptAt != null) {
      if (!suspended) {
        // A person woke it (spec.suspend: false); the clock starts again once it is Ready.
        return new Decision(Action.FORGET, null);
      }
      if (!sleptAt.equals(pushed)) {
        condition.set(
            CONDITION,
            false,
            "Woken",
            "woken by a push of " + shortSha(pushed) + " after being suspended for idleness");
        status.setConditions(condition.appendTo(status.getConditions()));
        return new Decision(Action.WAKE, null);
      }
      IdleStatus idle = new IdleStatus();
      idle.setSince(previous == null ? null : previous.getSince());
      idle.setSuspendedAt(
          previous == null || previous.getSuspendedAt() == null ? at : previous.getSuspendedAt());
      idle.setCommitSha(sleptAt.isEmpty() ? null : sleptAt);
      status.setIdle(idle);
      String message = asleep(env, idleAfter, idle);
      condition.set(CONDITION, true, "Suspended", message);
      status.setConditions(condition.appendTo(status.getConditions()));
      if (status.getPhase() == Phase.Suspended) {
        // What Slack and GitHub show: why it sleeps and how to wake it.
        status.setMessage(message);
      }
      return Decision.NONE;
    }
    if (idleAfter == null || suspended || status.getPhase() != Phase.Ready) {
      // Not asked for, a person's own suspend (never undone), or not serving: no clock.
      return Decision.NONE;
    }
    Duration after = LimitDuration.parse(idleAfter);
    if (after == null) {
      condition.set(
          CONDITION,
          false,
          "InvalidIdleAfter",
          LimitDuration.unusable("idleAfter", idleAfter, repository, "2h")
              + "; the environment is never suspended for idleness");
      status.setConditions(condition.appendTo(status.getConditions()));
      return Decision.NONE;
    }
    AirflowObservation observed = dags == null ? null : dags.observed();
    AirflowActivity activity = observed == null ? null : observed.activity();
    if (dags != null && !dags.airflowReports()) {
      condition.unknown(
          CONDITION,
          "NotSupported",
          "limits.idleAfter needs Airflow 3 (its REST API says what runs); this environment is"
              + " never suspended for idleness");
    } else if (activity == null) {
      condition.unknown(
          CONDITION,
          "NotAsked",
          "Airflow's DAG runs and event log are not read yet"
              + (observed == null || observed.answered() ? "" : " (" + observed.problem() + ")")
              + "; nothing is suspended before they are");
    } else if (activity.activeRuns() > 0) {
      condition.set(
          CONDITION,
          false,
          "Running",
          activity.activeRuns() + " DAG run(s) queued or running: in use");
    } else {
      Instant since = lastUse(status, activity, now);
      Instant due = since.plus(after);
      IdleStatus idle = new IdleStatus();
      idle.setSince(since.toString());
      status.setIdle(idle);
      if (now.isBefore(due)) {
        condition.set(
            CONDITION,
            true,
            "Idle",
            "idle since "
                + since
                + "; suspended at "
                + due
                + " (limits.idleAfter "
                + idleAfter
                + ") unless a DAG run, an action in Airflow or a push comes first");
        status.setConditions(condition.appendTo(status.getConditions()));
        return new Decision(Action.NONE, Duration.between(now, due));
      }
      idle.setSuspendedAt(at);
      idle.setCommitSha(pushed.isEmpty() ? null : pushed);
      condition.set(CONDITION, true, "Suspending", asleep(env, idleAfter, idle));
      status.setConditions(condition.appendTo(status.getConditions()));
      return new Decision(Action.SUSPEND, null);
    }
    status.setConditions(condition.appendTo(status.getConditions()));
    return Decision.NONE;
  }

  /**
   * The spec write the decision called for failed: nothing changed, and the status says so instead
   * of claiming a suspend that did not happen. The next pass decides again.
   */
  static void notCarriedOut(
      WorkflowEnvironment env, WorkflowEnvironmentStatus status, String problem, Instant now) {
    if (status.getIdle() != null) {
      status.getIdle().setSuspendedAt(null);
      status.getIdle().setCommitSha(null);
    }
    Conditions condition = EnvironmentConditions.of(env, now.toString());
    condition.unknown(CONDITION, "SpecNotWritten", problem + "; retried on the next pass");
    status.setConditions(
        Stream.concat(
                Stream.ofNullable(status.getConditions())
                    .flatMap(java.util.List::stream)
                    .filter(c -> !CONDITION.equals(c.getType())),
                condition.build().stream())
            .toList());
  }

  /** The commit the operator suspended the environment at ("" for none); null: it did not. */
  static String sleptAt(WorkflowEnvironment env) {
    Map<String, String> annotations = env.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(ANNOTATION);
  }

  static String idleAfterOf(WorkflowRepository repository) {
    return repository == null || repository.getSpec().getLimits() == null
        ? null
        : repository.getSpec().getLimits().getIdleAfter();
  }

  /** The latest of the last push, becoming Ready and the newest event in Airflow's log. */
  private static Instant lastUse(
      WorkflowEnvironmentStatus status, AirflowActivity activity, Instant now) {
    return Stream.of(
            status.getExpiry() == null
                ? null
                : RecordedTime.parse(status.getExpiry().getPushedAt()),
            RecordedTime.parse(status.getReadyAt()),
            activity.lastEvent())
        .filter(Objects::nonNull)
        .max(Instant::compareTo)
        // Ready without a readyAt cannot happen; were it edited away, count from now.
        .orElse(now);
  }

  /** Why it sleeps and how to wake it: first, since GitHub shows only 140 characters. */
  private static String asleep(WorkflowEnvironment env, String idleAfter, IdleStatus idle) {
    return "Idle"
        + (idleAfter == null ? "" : " for " + idleAfter + " (limits.idleAfter)")
        + ", so suspended: push to the branch or set spec.suspend to false to wake it (`kubectl"
        + " patch wfe "
        + env.getMetadata().getName()
        + " -n "
        + env.getMetadata().getNamespace()
        + " --type merge -p '{\"spec\":{\"suspend\":false}}'`). Last use: "
        + (idle.getSince() == null ? "unknown" : idle.getSince())
        + "; suspended at "
        + idle.getSuspendedAt()
        + "; database and its data kept";
  }

  private static String shortSha(String sha) {
    return sha.isEmpty() ? "the branch" : EnvironmentStatusCalculator.shortSha(sha);
  }
}
