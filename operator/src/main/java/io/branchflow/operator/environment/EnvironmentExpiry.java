package io.branchflow.operator.environment;

import io.branchflow.api.v1alpha1.ExpiryStatus;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentStatus;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.operator.environment.ExpirySchedule.Wait;
import io.branchflow.operator.environment.ExpirySchedule.Warn;
import io.branchflow.operator.status.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the repository's {@code limits.ttl} does to one environment in a pass: keeps {@code
 * status.expiry} (the last push the clock counts from, when the environment goes, whether it was
 * warned) and the condition {@code Expires}, and says whether to warn, to remove, or when to come
 * back. The last push is the moment the operator first saw the current {@code spec.commitSha}: the
 * receiver and the resync move it on each push and nothing else does, and it is kept in the status,
 * so neither an operator restart nor an edit of anything else resets the clock.
 */
final class EnvironmentExpiry {

  static final String CONDITION = "Expires";

  private EnvironmentExpiry() {}

  /**
   * The outcome of one pass.
   *
   * @param wakeUp when to come back for the next step; null: nothing scheduled
   * @param warning the warning to record as an Event this pass; null: none
   * @param remove the environment is due for removal now
   */
  record Decision(Duration wakeUp, String warning, boolean remove) {

    static final Decision NONE = new Decision(null, null, false);
  }

  /**
   * Sets {@code status.expiry} (and the condition) for a pass at {@code now}, carrying over what
   * the previous status recorded for the same commit.
   */
  static Decision apply(
      WorkflowEnvironment env,
      WorkflowRepository repository,
      WorkflowEnvironmentStatus status,
      Instant now) {
    String at = now.toString();
    ExpiryStatus previous = env.getStatus() == null ? null : env.getStatus().getExpiry();
    String sha = env.getSpec().getCommitSha();
    boolean samePush =
        previous != null
            && RecordedTime.parse(previous.getPushedAt()) != null
            && Objects.equals(previous.getCommitSha(), sha);
    ExpiryStatus expiry = new ExpiryStatus();
    expiry.setCommitSha(sha);
    expiry.setPushedAt(samePush ? previous.getPushedAt() : at);
    status.setExpiry(expiry);
    String ttl = ttlOf(repository);
    if (ttl == null) {
      return Decision.NONE;
    }
    Conditions condition = EnvironmentConditions.of(env, at);
    ExpirySchedule schedule = ExpirySchedule.parse(ttl);
    if (schedule == null) {
      condition.set(
          CONDITION,
          false,
          "InvalidTtl",
          LimitDuration.unusable("ttl", ttl, repository, "72h")
              + "; the environment does not expire");
      status.setConditions(condition.appendTo(status.getConditions()));
      return Decision.NONE;
    }
    Instant pushedAt = Instant.parse(expiry.getPushedAt());
    Instant warnedAt = samePush ? RecordedTime.parse(previous.getWarnedAt()) : null;
    ExpirySchedule.Step step = schedule.next(pushedAt, warnedAt, now);
    Decision decision;
    if (step instanceof Wait wait) {
      decision = new Decision(wait.delay(), null, false);
    } else if (step instanceof Warn warn) {
      warnedAt = now;
      decision =
          new Decision(
              Duration.between(now, warn.removeAt()),
              describe(ttl, pushedAt, warn.removeAt()),
              false);
    } else {
      decision = new Decision(null, null, true);
    }
    Instant removeAt = schedule.removeAt(pushedAt, warnedAt);
    expiry.setWarnedAt(warnedAt == null ? null : warnedAt.toString());
    expiry.setExpiresAt(removeAt.toString());
    condition.set(
        CONDITION,
        true,
        warnedAt == null ? "Scheduled" : "Warned",
        describe(ttl, pushedAt, removeAt) + (warnedAt == null ? "" : "; warned at " + warnedAt));
    status.setConditions(condition.appendTo(status.getConditions()));
    return decision;
  }

  /**
   * Why the environment is being removed, when it is because of its TTL: it had a removal time and
   * {@code now} is past it. Null otherwise (its branch was deleted, or someone deleted it).
   */
  static String removalReason(WorkflowEnvironment env, WorkflowRepository repository, Instant now) {
    ExpiryStatus expiry = env.getStatus() == null ? null : env.getStatus().getExpiry();
    String ttl = ttlOf(repository);
    Instant expiresAt = expiry == null ? null : RecordedTime.parse(expiry.getExpiresAt());
    if (expiresAt == null || ttl == null) {
      return null;
    }
    return now.isBefore(expiresAt) ? null : expiredReason(ttl);
  }

  static String expiredReason(String ttl) {
    return "expired after " + ttl + " without a push";
  }

  static String ttlOf(WorkflowRepository repository) {
    return repository == null || repository.getSpec().getLimits() == null
        ? null
        : repository.getSpec().getLimits().getTtl();
  }

  private static String describe(String ttl, Instant pushedAt, Instant removeAt) {
    return "removed at "
        + removeAt
        + " (limits.ttl "
        + ttl
        + " after the last push, seen at "
        + pushedAt
        + ") unless the branch is pushed again";
  }
}
