package io.branchflow.operator.repository;

import io.branchflow.api.branches.EnvironmentQueue;
import io.branchflow.api.v1alpha1.ConditionStatus;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.api.v1alpha1.WorkflowRepositoryStatus;
import io.branchflow.operator.repository.ResyncApplier.Applied;
import io.branchflow.operator.status.Conditions;
import io.branchflow.operator.status.StatusPatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The status one resync pass writes on its WorkflowRepository: conditions {@code BranchesListed}
 * and {@code ResyncSucceeded}, the number of environments and when the last resync ran. What a pass
 * did not learn is carried over from the status before it.
 */
final class ResyncStatus {

  static final String BRANCHES_LISTED = "BranchesListed";
  static final String RESYNC_SUCCEEDED = "ResyncSucceeded";
  static final String LISTING_FAILED = "ListingFailed";
  static final String MASS_DELETION_GUARD = "MassDeletionGuard";
  private static final Set<String> OWN_CONDITIONS = Set.of(BRANCHES_LISTED, RESYNC_SUCCEEDED);

  private final WorkflowRepository repository;
  private final WorkflowRepositoryStatus previous;
  private final String now;
  private final Conditions conditions;
  private final WorkflowRepositoryStatus status = new WorkflowRepositoryStatus();

  /** {@code now}: this pass's time, in whole seconds (conditions' transitions, lastResyncTime). */
  ResyncStatus(WorkflowRepository repository, String now) {
    this.repository = repository;
    this.previous = repository.getStatus();
    this.now = now;
    this.conditions =
        new Conditions(
            previous == null ? null : previous.getConditions(),
            repository.getMetadata().getGeneration(),
            now);
    status.setObservedGeneration(repository.getMetadata().getGeneration());
    status.setLastResyncTime(previous == null ? null : previous.getLastResyncTime());
  }

  /** Whether the last pass could not list either (its Event was recorded then). */
  boolean listingFailedBefore() {
    return conditions
        .previous(BRANCHES_LISTED)
        .map(c -> c.getStatus() == ConditionStatus.False)
        .orElse(false);
  }

  /**
   * Whether the last pass was blocked by the guard for the same reason (its Event was recorded).
   */
  boolean blockedBefore(String message) {
    return conditions
        .previous(RESYNC_SUCCEEDED)
        .map(
            c ->
                c.getStatus() == ConditionStatus.False
                    && MASS_DELETION_GUARD.equals(c.getReason())
                    && message.equals(c.getMessage()))
        .orElse(false);
  }

  void listingFailed(String message, String failure, int environments) {
    conditions
        .set(BRANCHES_LISTED, false, LISTING_FAILED, message)
        .set(
            RESYNC_SUCCEEDED,
            false,
            LISTING_FAILED,
            "no resync without a complete listing of branches: " + failure);
    status.setEnvironments(environments);
  }

  /** The listing is complete: this pass counts as the last resync, whatever happens next. */
  void listed() {
    status.setLastResyncTime(now);
  }

  void resynced(Applied applied, int branches) {
    ResyncPlan plan = applied.plan();
    conditions.set(
        BRANCHES_LISTED,
        true,
        "Listed",
        "listed "
            + branches
            + " branches at "
            + applied.listedAt()
            + ", "
            + applied.matching()
            + " matching "
            + applied.pattern());
    if (plan.blocked() != null) {
      conditions.set(RESYNC_SUCCEEDED, false, MASS_DELETION_GUARD, guardMessage(plan));
    } else {
      conditions.set(RESYNC_SUCCEEDED, true, "Converged", shorten(summary(applied)));
    }
    status.setEnvironments(plan.environmentsBefore() + applied.created() - applied.deleted());
  }

  /** The pass failed part-way: ResyncSucceeded says why, the rest stays as it was. */
  void failed(String reason, String message) {
    conditions.set(RESYNC_SUCCEEDED, false, reason, message);
    conditions.keep(BRANCHES_LISTED);
    status.setEnvironments(previous == null ? null : previous.getEnvironments());
  }

  /** What the reconciler sends: this status on an object carrying only the identity. */
  WorkflowRepository patch() {
    status.setConditions(conditions.buildKeepingOthers(OWN_CONDITIONS));
    return StatusPatch.of(repository, status, WorkflowRepository::new);
  }

  static String guardMessage(ResyncPlan plan) {
    return plan.blocked() + "; delete them by hand or raise the limit if intended";
  }

  static String shorten(String message) {
    if (message == null) {
      return "";
    }
    return message.length() > 600 ? message.substring(0, 600) + "..." : message;
  }

  private String summary(Applied applied) {
    ResyncPlan plan = applied.plan();
    return "created "
        + applied.created()
        + (applied.queued() == 0
            ? ""
            : " ("
                + applied.queued()
                + " queued under limits.maxEnvironments "
                + EnvironmentQueue.maxOf(repository)
                + ")")
        + ", deleted "
        + applied.deleted()
        + (plan.deferred().isEmpty() ? "" : "; kept for now: " + describe(plan.deferred()))
        + (plan.skipped().isEmpty() ? "" : "; not created: " + describe(plan.skipped()));
  }

  private static String describe(List<ResyncPlan.Kept> kept) {
    List<String> parts = new ArrayList<>();
    for (ResyncPlan.Kept k : kept) {
      parts.add(k.name() + " (" + k.reason() + ")");
    }
    return String.join(", ", parts);
  }
}
