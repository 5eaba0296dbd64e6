package io.branchflow.operator.environment;

import io.branchflow.api.branches.EnvironmentQueue;
import io.branchflow.api.v1alpha1.ConditionStatus;
import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentStatus;
import io.branchflow.operator.desired.AirflowLogin;
import io.branchflow.operator.environment.ProvisioningState.Migration;
import io.branchflow.operator.inspect.AirflowObservation;
import io.branchflow.operator.status.Conditions;
import java.util.List;
import java.util.Optional;

/**
 * Turns what provisioning observed into conditions, a phase and one message that says what is
 * happening and what to do next. Pure, so every phase is unit-tested without a cluster.
 */
final class EnvironmentStatusCalculator {

  static final String UNSCHEDULABLE = "Unschedulable";
  static final String QUEUED = "Queued";
  private static final int MAX_LISTED = 3;

  private EnvironmentStatusCalculator() {}

  static WorkflowEnvironmentStatus provisioned(
      WorkflowEnvironment env, String namespace, ProvisioningState s, DagsReport dags, String now) {
    WorkflowEnvironmentStatus previous =
        Optional.ofNullable(env.getStatus()).orElseGet(WorkflowEnvironmentStatus::new);
    Conditions conditions = EnvironmentConditions.of(env, now);

    conditions.set(
        EnvironmentConditions.DATABASE_READY,
        s.databaseReady(),
        s.databaseReady() ? "DatabaseReady" : "DatabaseStarting",
        s.databaseReady()
            ? "PostgreSQL is ready"
            : "waiting for PostgreSQL: `kubectl get statefulset postgres -n " + namespace + "`");

    String jobRef = "`kubectl logs job/" + s.migrationJob() + " -n " + namespace + "`";
    switch (s.migration()) {
      case COMPLETE ->
          conditions.set(
              EnvironmentConditions.MIGRATION_COMPLETE,
              true,
              "Migrated",
              "airflow db migrate completed");
      case FAILED ->
          conditions.set(
              EnvironmentConditions.MIGRATION_COMPLETE,
              false,
              "MigrationFailed",
              "migration job failed: see " + jobRef);
      case RUNNING ->
          conditions.set(
              EnvironmentConditions.MIGRATION_COMPLETE,
              false,
              "MigrationRunning",
              "airflow db migrate is running: " + jobRef);
      default ->
          conditions.set(
              EnvironmentConditions.MIGRATION_COMPLETE,
              false,
              "WaitingForDatabase",
              "migration starts once PostgreSQL is ready");
    }

    String componentsReason;
    String componentsMessage;
    if (s.suspended()) {
      componentsReason = "Suspended";
      componentsMessage = "Airflow components scaled to zero; set spec.suspend=false to resume";
    } else if (!s.podProblems().isEmpty()) {
      componentsReason = "PodsFailing";
      componentsMessage = String.join("; ", s.podProblems());
    } else if (s.componentsReady()) {
      componentsReason = "ComponentsReady";
      componentsMessage = "all Airflow components are ready";
    } else if (s.migration() == Migration.COMPLETE && !s.unschedulable().isEmpty()) {
      componentsReason = UNSCHEDULABLE;
      componentsMessage = unschedulable(env, s);
    } else if (s.migration() != Migration.COMPLETE) {
      componentsReason = "WaitingForMigration";
      componentsMessage = "Airflow components start after the database migration";
    } else {
      componentsReason = "ComponentsStarting";
      componentsMessage =
          "waiting for "
              + String.join(", ", s.notReady())
              + ": `kubectl get pods -n "
              + namespace
              + "`";
    }
    boolean componentsReady = s.componentsReady() && !s.suspended() && s.podProblems().isEmpty();
    conditions.set(
        EnvironmentConditions.COMPONENTS_READY,
        componentsReady,
        componentsReason,
        componentsMessage);

    boolean ready = componentsReady && s.databaseReady();
    Phase phase;
    String message;
    if (s.migration() == Migration.FAILED) {
      phase = Phase.Failed;
      message =
          "migration job failed: see "
              + jobRef
              + "; fix the image or database, then the operator retries";
    } else if (s.suspended()) {
      phase = Phase.Suspended;
      message = componentsMessage;
    } else if (ready) {
      phase = Phase.Ready;
      message = "Airflow is ready at " + s.url();
      if (dags.airflowReports()) {
        message +=
            "; log in as admin, password: `" + AirflowLogin.howToGetPassword(namespace) + "`";
      }
    } else if (!s.podProblems().isEmpty() || brokeWhileRunning(previous, s)) {
      phase = Phase.Degraded;
      message =
          !s.podProblems().isEmpty()
              ? componentsMessage
              : firstProblem(s, componentsMessage, namespace);
    } else {
      phase = Phase.Provisioning;
      message = firstProblem(s, componentsMessage, namespace);
    }
    // A pod the scheduler cannot place is the reason whatever waits on it: say so, with its words.
    boolean unschedulable =
        !ready
            && !s.suspended()
            && s.migration() != Migration.FAILED
            && s.podProblems().isEmpty()
            && !s.unschedulable().isEmpty();
    if (unschedulable) {
      message = unschedulable(env, s);
    }
    conditions.set(
        EnvironmentConditions.READY,
        ready,
        ready ? "Ready" : unschedulable ? UNSCHEDULABLE : phase.name(),
        message);

    WorkflowEnvironmentStatus status = base(env, namespace, previous);
    reportDags(env, previous, dags, conditions, status);
    DagsImportedCondition.add(previous, dags, conditions, status);
    TaskFailuresStatus.add(previous, dags, status);
    status.setPhase(phase);
    status.setMessage(message);
    status.setConditions(conditions.build());
    // An Ingress, once made, stays through upgrades and suspends: so does its URL.
    status.setUrl(s.url() != null ? s.url() : previous.getUrl());
    if (ready && (previous.getReadyAt() == null || previous.getPhase() != Phase.Ready)) {
      status.setReadyAt(now);
    } else {
      status.setReadyAt(previous.getReadyAt());
    }
    return status;
  }

  /**
   * status.revision is the commit whose DAGs Airflow runs, and condition DagsLoaded says whether
   * that is the branch's last push. When Airflow was not asked (restarting, rolling) or could not
   * answer, the last commit it reported stands: an unanswered question unloads nothing.
   */
  private static void reportDags(
      WorkflowEnvironment env,
      WorkflowEnvironmentStatus previous,
      DagsReport dags,
      Conditions conditions,
      WorkflowEnvironmentStatus status) {
    String pushed = env.getSpec().getCommitSha();
    if (!dags.airflowReports()) {
      status.setRevision(shortSha(pushed));
      return;
    }
    AirflowObservation observed = dags.observed();
    boolean answered = observed != null && observed.revision() != null;
    String loaded = answered ? shortSha(observed.revision()) : previous.getRevision();
    status.setRevision(loaded);
    if (observed != null && !answered) {
      conditions.unknown(
          EnvironmentConditions.DAGS_LOADED,
          "Unknown",
          observed.answered()
              ? "Airflow has not loaded any DAG of the branch yet"
              : observed.problem());
    } else if (loaded == null) {
      // Never answered: an earlier "Unknown" (why it could not be asked) still stands.
      conditions
          .previous(EnvironmentConditions.DAGS_LOADED)
          .filter(c -> c.getStatus() == ConditionStatus.Unknown)
          .ifPresent(
              c ->
                  conditions.unknown(
                      EnvironmentConditions.DAGS_LOADED, c.getReason(), c.getMessage()));
    } else if (pushed == null || pushed.startsWith(loaded)) {
      conditions.set(
          EnvironmentConditions.DAGS_LOADED,
          true,
          "Loaded",
          "Airflow runs the DAGs of " + loaded + ", the branch's last push");
    } else {
      conditions.set(
          EnvironmentConditions.DAGS_LOADED,
          false,
          "Fetching",
          "Airflow runs the DAGs of "
              + loaded
              + "; "
              + shortSha(pushed)
              + " was pushed since and is fetched within "
              + dags.refreshSeconds()
              + " s (spec.template.gitSync.periodSeconds of the repository)");
    }
  }

  static String shortSha(String sha) {
    return sha == null ? null : sha.substring(0, Math.min(7, sha.length()));
  }

  private static String unschedulable(WorkflowEnvironment env, ProvisioningState s) {
    List<String> pods = s.unschedulable();
    String listed =
        pods.size() <= MAX_LISTED
            ? String.join("; ", pods)
            : String.join("; ", pods.subList(0, MAX_LISTED))
                + "; and "
                + (pods.size() - MAX_LISTED)
                + " more";
    return "pods cannot be scheduled: "
        + listed
        + " (placement comes from spec.template nodeSelector, tolerations and affinity of"
        + " WorkflowRepository "
        + env.getSpec().getRepositoryRef()
        + ")";
  }

  /**
   * Waiting under the repository's limits.maxEnvironments: no namespace, no URL, nothing running.
   * The revision is the pushed commit, the one it will run.
   */
  static WorkflowEnvironmentStatus queued(WorkflowEnvironment env, String message, String now) {
    WorkflowEnvironmentStatus status = new WorkflowEnvironmentStatus();
    status.setObservedGeneration(env.getMetadata().getGeneration());
    status.setRevision(shortSha(env.getSpec().getCommitSha()));
    status.setPhase(Phase.Queued);
    status.setMessage(message);
    status.setConditions(
        EnvironmentConditions.of(env, now)
            .set(EnvironmentConditions.ADMITTED, false, QUEUED, message)
            .set(EnvironmentConditions.READY, false, QUEUED, message)
            .build());
    return status;
  }

  /**
   * {@code status} with condition Admitted: True, or, when the limit was lowered below what already
   * runs, True with reason OverLimit (it keeps running; nothing is torn down for a lower limit).
   */
  static WorkflowEnvironmentStatus admitted(
      WorkflowEnvironmentStatus status,
      WorkflowEnvironment env,
      EnvironmentQueue.Admitted admitted,
      String repository,
      String now) {
    Conditions admission = EnvironmentConditions.of(env, now);
    if (admitted.overLimit()) {
      admission.set(
          EnvironmentConditions.ADMITTED,
          true,
          "OverLimit",
          admitted.existing()
              + " environments of repository "
              + repository
              + " exist, more than limits.maxEnvironments "
              + admitted.max()
              + " (lowered since); this one keeps running, branches beyond the limit wait until"
              + " enough are removed");
    } else {
      admission.set(
          EnvironmentConditions.ADMITTED,
          true,
          "Admitted",
          "within limits.maxEnvironments " + admitted.max() + " of repository " + repository);
    }
    status.setConditions(admission.appendTo(status.getConditions()));
    return status;
  }

  /** Something outside the environment is wrong; nothing was created or changed. */
  static WorkflowEnvironmentStatus failed(
      WorkflowEnvironment env, String namespace, String reason, String message, String now) {
    WorkflowEnvironmentStatus previous =
        Optional.ofNullable(env.getStatus()).orElseGet(WorkflowEnvironmentStatus::new);
    WorkflowEnvironmentStatus status = base(env, namespace, previous);
    status.setPhase(Phase.Failed);
    status.setMessage(message);
    status.setUrl(previous.getUrl());
    status.setReadyAt(previous.getReadyAt());
    status.setConditions(
        EnvironmentConditions.of(env, now)
            .set(EnvironmentConditions.READY, false, reason, message)
            .build());
    return status;
  }

  /**
   * It was serving and lost a component. Coming back from suspend, a failure or a new migration
   * (image change) is Provisioning instead: nothing broke, it is on its way.
   */
  private static boolean brokeWhileRunning(
      WorkflowEnvironmentStatus previous, ProvisioningState s) {
    return (previous.getPhase() == Phase.Ready || previous.getPhase() == Phase.Degraded)
        && s.migration() == Migration.COMPLETE;
  }

  private static String firstProblem(
      ProvisioningState s, String componentsMessage, String namespace) {
    if (!s.databaseReady()) {
      return "waiting for PostgreSQL: `kubectl get statefulset postgres -n " + namespace + "`";
    }
    if (s.migration() != Migration.COMPLETE) {
      return "running airflow db migrate: `kubectl logs job/"
          + s.migrationJob()
          + " -n "
          + namespace
          + "`";
    }
    return componentsMessage;
  }

  private static WorkflowEnvironmentStatus base(
      WorkflowEnvironment env, String namespace, WorkflowEnvironmentStatus previous) {
    WorkflowEnvironmentStatus status = new WorkflowEnvironmentStatus();
    status.setObservedGeneration(env.getMetadata().getGeneration());
    status.setNamespace(namespace);
    status.setNamespaceUid(previous.getNamespaceUid());
    status.setRevision(previous.getRevision());
    // status.github and status.slack belong to the reporters (their own field managers): the
    // reconciler's server-side apply must not carry them, or a stale copy would win.
    return status;
  }
}
