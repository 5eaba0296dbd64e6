package io.branchflow.operator.environment;

import java.util.List;

/**
 * What one pass of provisioning observed, in the order things must happen.
 *
 * @param databaseReady PostgreSQL reports a ready replica
 * @param migration where {@code airflow db migrate} stands
 * @param migrationJob name of the current migration Job
 * @param componentsReady every Airflow Deployment has all its replicas ready
 * @param notReady components still waiting for pods
 * @param podProblems pods stuck in a state that will not fix itself (CrashLoopBackOff...)
 * @param suspended the Airflow components were scaled to zero
 * @param url where the UI is reachable, once the Ingress exists
 * @param unschedulable pods the scheduler cannot place, with its reason (a node selector, taint or
 *     affinity no node satisfies, or no room): they may still be placed once a node fits
 */
record ProvisioningState(
    boolean databaseReady,
    Migration migration,
    String migrationJob,
    boolean componentsReady,
    List<String> notReady,
    List<String> podProblems,
    boolean suspended,
    String url,
    List<String> unschedulable) {

  enum Migration {
    WAITING_FOR_DATABASE,
    RUNNING,
    COMPLETE,
    FAILED
  }
}
