package io.branchflow.operator.environment;

import io.branchflow.api.branches.BranchEnvironments;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Which changes of a WorkflowEnvironment start a pass: its spec (a new generation), its deletion
 * and its finalizers, as JOSDK's generation-aware rule has it; and a new {@value
 * BranchEnvironments#PULL_REQUESTS_CHANGED} note, the webhook receiver's way of saying "a pull
 * request of this branch was opened", so it gets its comment at once rather than at the
 * environment's next change (the note is an annotation, which leaves the generation alone). Not its
 * status, which every pass and every reporter writes, nor anything else while it is being deleted
 * (the Cleaner reschedules itself).
 */
public class EnvironmentTriggers implements OnUpdateFilter<WorkflowEnvironment> {

  @Override
  public boolean accept(WorkflowEnvironment updated, WorkflowEnvironment old) {
    return !Objects.equals(updated.getMetadata().getGeneration(), old.getMetadata().getGeneration())
        || !Objects.equals(
            BranchEnvironments.pullRequestsChangedOf(updated),
            BranchEnvironments.pullRequestsChangedOf(old))
        || (updated.isMarkedForDeletion() && !old.isMarkedForDeletion())
        || !Objects.equals(
            updated.getMetadata().getFinalizers(), old.getMetadata().getFinalizers());
  }
}
