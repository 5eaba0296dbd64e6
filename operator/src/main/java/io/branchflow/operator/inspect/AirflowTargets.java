package io.branchflow.operator.inspect;

import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import java.util.Optional;

/** Which environments' Airflow may be asked: the reconciler's knowledge, not the poller's. */
@FunctionalInterface
public interface AirflowTargets {

  /**
   * Where the environment's Airflow 3 API server is, when it is up (read from the cached
   * environment and its repository, never from the cluster); empty when it is not to be asked now:
   * not Airflow 3, not ready, suspended, its repository not cached yet.
   */
  Optional<Target> toAsk(WorkflowEnvironment environment);

  /**
   * One Airflow to ask.
   *
   * @param namespace the environment's namespace, where its API server runs
   * @param dagsPath the folder of the branch Airflow reads DAGs from (its bundle's subdir): Airflow
   *     names files relative to it, the author knows them relative to the branch
   * @param activity whether to read {@link AirflowActivity} too (its repository sets
   *     limits.idleAfter)
   */
  record Target(String namespace, String dagsPath, boolean activity) {

    /** A target whose activity is not asked. */
    public Target(String namespace, String dagsPath) {
      this(namespace, dagsPath, false);
    }
  }

  /**
   * Whether to start polling the environment, from the environment alone: it is called on the
   * informer's thread, before the other caches may have started. The poll still asks {@link #toAsk}
   * each time.
   */
  default boolean worthPolling(WorkflowEnvironment environment) {
    return toAsk(environment).isPresent();
  }
}
