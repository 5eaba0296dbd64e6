package io.branchflow.operator.repository;

import io.branchflow.api.branches.BranchEnvironments;
import io.branchflow.api.branches.BranchEnvironments.Outcome;
import io.branchflow.api.branches.BranchPattern;
import io.branchflow.api.branches.EnvironmentQueue;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentSpec;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.operator.repository.BranchLister.Listed;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Carries out one resync over a complete listing: plans it ({@link ResyncPlan}), then creates and
 * deletes WorkflowEnvironments, with an Event on the repository for each. A plan the mass-deletion
 * guard blocked deletes nothing.
 */
final class ResyncApplier {

  /** What the resync did. {@code listedAt}: the listing's start, in whole seconds. */
  record Applied(
      ResyncPlan plan,
      BranchPattern pattern,
      Instant listedAt,
      int matching,
      int created,
      int queued,
      int deleted) {}

  private final BranchEnvironments branches;
  private final RepositoryEvents events;
  private final Duration gracePeriod;

  ResyncApplier(BranchEnvironments branches, RepositoryEvents events, Duration gracePeriod) {
    this.branches = branches;
    this.events = events;
    this.gracePeriod = gracePeriod;
  }

  Applied apply(
      WorkflowRepository repository,
      Listed listed,
      List<WorkflowEnvironment> environments,
      Instant started,
      ResyncPolicies policy) {
    BranchPattern pattern = BranchPattern.of(repository.getSpec().getBranchPattern());
    BranchEnvironments.Removals removals = branches.removedBranches(repository);
    ResyncPlan plan =
        ResyncPlan.of(
            repository.getSpec().getRepository(),
            listed.branches(),
            environments.stream().map(ResyncApplier::view).toList(),
            removals.removedAt(),
            removals.expiredCommits(),
            started,
            new ResyncPlan.Policy(pattern, gracePeriod, policy.maxDeletionPercent()));
    // Creations take the listing's start as their push time: a real push after it moves the
    // environment; a deletion recorded at or after it keeps the branch deleted.
    Instant listedAt = started.truncatedTo(ChronoUnit.SECONDS);
    int created = 0;
    int queued = 0;
    // The environments as listed, plus those this pass creates (after them in the queue).
    List<WorkflowEnvironment> known = new ArrayList<>(environments);
    for (ResyncPlan.Create create : plan.creates()) {
      // The plan saw no environment and no newer deletion: one request, the create.
      Outcome outcome =
          branches.createKnownNew(repository, create.branch(), create.sha(), null, listedAt);
      if (outcome == Outcome.CREATED) {
        created++;
        String name = BranchEnvironments.nameOf(repository, create.branch());
        // The operator provisions it or keeps it Queued under limits.maxEnvironments; the resync
        // creates it either way (it is how the branch takes its place in the queue) and says so.
        String waits =
            EnvironmentQueue.fromStatus(repository, name, known)
                    instanceof EnvironmentQueue.Queued q
                ? "; " + q.describe(repository.getSpec().getRepository())
                : "";
        known.add(justCreated(repository, name));
        if (!waits.isEmpty()) {
          queued++;
        }
        events.normal(
            repository,
            "EnvironmentCreated",
            "resync: branch "
                + create.branch()
                + " exists at "
                + create.sha().substring(0, 7)
                + " and had no environment; created "
                + name
                + waits);
      }
    }
    int deleted = plan.blocked() == null ? delete(repository, plan, listedAt) : 0;
    int matching = (int) listed.branches().keySet().stream().filter(pattern::matches).count();
    return new Applied(plan, pattern, listedAt, matching, created, queued, deleted);
  }

  private int delete(WorkflowRepository repository, ResyncPlan plan, Instant listedAt) {
    // A deletion is dated just before the listing began: anything pushed from that second on is
    // newer and survives it (BranchEnvironments compares whole seconds).
    Instant deletedAt = listedAt.minusSeconds(1);
    int deleted = 0;
    for (ResyncPlan.Delete delete : plan.deletes()) {
      Outcome outcome = branches.delete(repository, delete.branch(), deletedAt);
      if (outcome == Outcome.DELETED) {
        deleted++;
        events.normal(
            repository,
            "EnvironmentDeleted",
            "resync: branch "
                + delete.branch()
                + " no longer exists; deleted environment "
                + delete.name());
      }
    }
    return deleted;
  }

  /** An environment this pass created, as far as the queue is concerned: newest, no status. */
  private static WorkflowEnvironment justCreated(WorkflowRepository repository, String name) {
    WorkflowEnvironment env = new WorkflowEnvironment();
    env.getMetadata().setName(name);
    env.setSpec(new WorkflowEnvironmentSpec());
    env.getSpec().setRepositoryRef(repository.getMetadata().getName());
    return env;
  }

  private static ResyncPlan.Environment view(WorkflowEnvironment env) {
    Map<String, String> annotations = env.getMetadata().getAnnotations();
    Instant pushedAt = null;
    if (annotations != null && annotations.get(BranchEnvironments.PUSHED_AT) != null) {
      try {
        pushedAt =
            Instant.ofEpochSecond(Long.parseLong(annotations.get(BranchEnvironments.PUSHED_AT)));
      } catch (NumberFormatException e) {
        pushedAt = null;
      }
    }
    String created = env.getMetadata().getCreationTimestamp();
    return new ResyncPlan.Environment(
        env.getMetadata().getName(),
        env.getSpec().getBranch(),
        created == null ? null : Instant.parse(created),
        pushedAt,
        env.getMetadata().getDeletionTimestamp() != null);
  }
}
