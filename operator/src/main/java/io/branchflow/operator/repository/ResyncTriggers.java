package io.branchflow.operator.repository;

import io.branchflow.api.branches.ResyncRequest;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import java.util.Objects;

/**
 * Which changes of a WorkflowRepository start a resync at once: its spec (a new generation), a
 * resync request ({@link ResyncRequest}: the receiver's way of saying "this branch was deleted,
 * check"), its deletion and its finalizers. Not its status, which every resync writes: that would
 * list the branches in a loop.
 */
public class ResyncTriggers implements OnUpdateFilter<WorkflowRepository> {

  @Override
  public boolean accept(WorkflowRepository updated, WorkflowRepository old) {
    return !Objects.equals(updated.getMetadata().getGeneration(), old.getMetadata().getGeneration())
        || !ResyncRequest.of(updated).equals(ResyncRequest.of(old))
        || updated.isMarkedForDeletion()
        || !Objects.equals(
            updated.getMetadata().getFinalizers(), old.getMetadata().getFinalizers());
  }
}
