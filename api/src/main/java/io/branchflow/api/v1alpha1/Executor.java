package io.branchflow.api.v1alpha1;

/** The Airflow executors an environment can run. */
public enum Executor {
  /** Tasks run as subprocesses of the scheduler: fewest moving parts, no extra RBAC. */
  LocalExecutor,
  /** Each task runs in its own pod in the environment's namespace. */
  KubernetesExecutor
}
