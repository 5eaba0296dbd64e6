package io.branchflow.api.v1alpha1;

/** Kubernetes condition status values. */
public enum ConditionStatus {
  True,
  False,
  Unknown
}
