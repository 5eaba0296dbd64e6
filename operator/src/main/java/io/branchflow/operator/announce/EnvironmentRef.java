package io.branchflow.operator.announce;

import io.branchflow.api.v1alpha1.WorkflowEnvironment;

/** Which WorkflowEnvironment an announcement is about; the key reports are coalesced on. */
public record EnvironmentRef(String namespace, String name, String uid) {

  public static EnvironmentRef of(WorkflowEnvironment env) {
    return new EnvironmentRef(
        env.getMetadata().getNamespace(), env.getMetadata().getName(), env.getMetadata().getUid());
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
