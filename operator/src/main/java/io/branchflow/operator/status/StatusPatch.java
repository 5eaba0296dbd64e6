package io.branchflow.operator.status;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.function.Supplier;

/** The object a reconciler sends to write a status, for WorkflowEnvironments and repositories. */
public final class StatusPatch {

  private StatusPatch() {}

  /**
   * A fresh object carrying only the identity of {@code resource} and {@code status}, so a status
   * patch touches nothing else (no stale spec, labels or resourceVersion of the cached copy).
   */
  public static <S, R extends CustomResource<?, S>> R of(R resource, S status, Supplier<R> empty) {
    R fresh = empty.get();
    fresh.setMetadata(
        new ObjectMetaBuilder()
            .withName(resource.getMetadata().getName())
            .withNamespace(resource.getMetadata().getNamespace())
            .build());
    fresh.setStatus(status);
    return fresh;
  }
}
