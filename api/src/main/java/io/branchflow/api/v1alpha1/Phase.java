package io.branchflow.api.v1alpha1;

/** A one-word summary of an environment's conditions, shown by {@code kubectl get wfe}. */
public enum Phase {
  Pending,
  /** Waiting for a free slot under the repository's limits.maxEnvironments; nothing exists yet. */
  Queued,
  Provisioning,
  Ready,
  Degraded,
  Failed,
  Suspended,
  Terminating
}
