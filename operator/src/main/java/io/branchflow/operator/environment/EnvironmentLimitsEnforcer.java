package io.branchflow.operator.environment;

import io.branchflow.api.branches.BranchEnvironments;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentStatus;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The repository's limits over the status a pass computed, at the end of every pass that knows its
 * repository: {@code limits.ttl} ({@link EnvironmentExpiry}: the warning Event, or the removal when
 * due) and {@code limits.idleAfter} ({@link IdleSuspension}: suspend, wake, carried out by {@link
 * SuspendSwitch}). It records what it decided in the status and says what the rest of the pass
 * does; the announcement and the status write stay the reconciler's.
 */
final class EnvironmentLimitsEnforcer {

  private static final Logger LOG = Logger.getLogger(EnvironmentLimitsEnforcer.class);
  private static final Duration WAIT_AFTER_CONFLICT = Duration.ofSeconds(5);

  private final BranchEnvironments branches;
  private final EnvironmentEvents events;
  private final SuspendSwitch suspendSwitch;

  EnvironmentLimitsEnforcer(
      BranchEnvironments branches, EnvironmentEvents events, SuspendSwitch suspendSwitch) {
    this.branches = branches;
    this.events = events;
    this.suspendSwitch = suspendSwitch;
  }

  /** What the rest of the pass does. */
  sealed interface Outcome permits Removed, Stale, CarryOn {}

  /** Deleted for its TTL: the Cleaner tears it down and announces why; nothing more this pass. */
  record Removed() implements Outcome {}

  /**
   * A push moved it while the removal was decided: write the status, the next pass starts its new
   * clock.
   */
  record Stale() implements Outcome {}

  /**
   * Announce and write the status.
   *
   * @param wakeUp the next expiry or idle step; null: none
   * @param specNotWritten the spec write idleness called for failed (a conflict, most often)
   */
  record CarryOn(Duration wakeUp, boolean specNotWritten) implements Outcome {

    /**
     * {@code control}, brought back no later than the next step (JOSDK's timer: no polling loop of
     * our own). A spec write wakes the next pass when it succeeds; when it did not, come back soon.
     */
    UpdateControl<WorkflowEnvironment> bound(UpdateControl<WorkflowEnvironment> control) {
      return NextPass.noLaterThan(
          NextPass.noLaterThan(control, wakeUp), specNotWritten ? WAIT_AFTER_CONFLICT : null);
    }
  }

  /**
   * Applies both limits at {@code now}; {@code dags} is what Airflow said, null when the pass did
   * not get that far.
   */
  Outcome enforce(
      WorkflowEnvironment env,
      WorkflowRepository repository,
      WorkflowEnvironmentStatus status,
      DagsReport dags,
      Instant now) {
    EnvironmentExpiry.Decision expiry = EnvironmentExpiry.apply(env, repository, status, now);
    if (expiry.remove()) {
      return expire(env, repository, status, now);
    }
    if (expiry.warning() != null) {
      // Once per push: the warning time is in the status this pass writes.
      events.expiryWarning(env, expiry.warning());
    }
    IdleSuspension.Decision idle = IdleSuspension.apply(env, repository, status, dags, now);
    Optional<String> notWritten = suspendSwitch.carryOut(env, idle.action());
    if (notWritten.isPresent()) {
      LOG.infof(
          "%s/%s: limits.idleAfter: %s %s",
          env.getMetadata().getNamespace(),
          env.getMetadata().getName(),
          idle.action(),
          notWritten.get());
      IdleSuspension.notCarriedOut(env, status, notWritten.get(), now);
    }
    Duration wakeUp =
        Stream.of(expiry.wakeUp(), idle.wakeUp())
            .filter(d -> d != null)
            .min(Duration::compareTo)
            .orElse(null);
    return new CarryOn(wakeUp, notWritten.isPresent());
  }

  /**
   * Removes an environment whose branch saw no push for limits.ttl, as a branch deletion would: the
   * WorkflowEnvironment is deleted (the Cleaner tears it down and announces why), and a tombstone
   * keeps the resync from bringing it back until the branch moves.
   */
  private Outcome expire(
      WorkflowEnvironment env,
      WorkflowRepository repository,
      WorkflowEnvironmentStatus status,
      Instant now) {
    String reason = EnvironmentExpiry.expiredReason(EnvironmentExpiry.ttlOf(repository));
    BranchEnvironments.Outcome outcome =
        branches.expire(repository, env.getMetadata().getName(), env.getSpec().getCommitSha(), now);
    if (outcome == BranchEnvironments.Outcome.STALE) {
      return new Stale();
    }
    events.expired(
        env,
        reason
            + " (last push seen at "
            + status.getExpiry().getPushedAt()
            + "); deleting the environment");
    return new Removed();
  }
}
