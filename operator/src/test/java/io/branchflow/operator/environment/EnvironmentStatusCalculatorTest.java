package io.branchflow.operator.environment;

import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.v1alpha1.Condition;
import io.branchflow.api.v1alpha1.ConditionStatus;
import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentSpec;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentStatus;
import io.branchflow.operator.environment.ProvisioningState.Migration;
import io.branchflow.operator.inspect.AirflowObservation;
import io.branchflow.operator.inspect.FailedTasks;
import io.branchflow.operator.inspect.ImportErrors;
import io.branchflow.operator.inspect.ImportErrors.ImportError;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvironmentStatusCalculatorTest {

  private static final String NS = "bf-dags-login-0123456789";
  private static final String JOB = "airflow-migrate-abcdef12";
  private static final String URL = "http://dags-login.airflow.localhost/";
  private static final String T0 = "2025-01-01T00:00:00Z";
  private static final String T1 = "2025-01-01T00:05:00Z";
  private static final String T2 = "2025-01-01T00:10:00Z";

  @Test
  void waitingForTheDatabaseIsProvisioning() {
    WorkflowEnvironmentStatus status =
        provisioned(env(), state(false, Migration.WAITING_FOR_DATABASE, false), T0);

    assertThat(status.getPhase()).isEqualTo(Phase.Provisioning);
    assertThat(status.getMessage())
        .isEqualTo("waiting for PostgreSQL: `kubectl get statefulset postgres -n " + NS + "`");
    assertThat(condition(status, EnvironmentConditions.DATABASE_READY))
        .satisfies(c -> assertCondition(c, false, "DatabaseStarting"));
    assertThat(condition(status, EnvironmentConditions.MIGRATION_COMPLETE))
        .satisfies(c -> assertCondition(c, false, "WaitingForDatabase"));
    assertThat(condition(status, EnvironmentConditions.MIGRATION_COMPLETE).getMessage())
        .isEqualTo("migration starts once PostgreSQL is ready");
    assertThat(condition(status, EnvironmentConditions.COMPONENTS_READY))
        .satisfies(c -> assertCondition(c, false, "WaitingForMigration"));
    assertThat(condition(status, EnvironmentConditions.READY))
        .satisfies(c -> assertCondition(c, false, "Provisioning"));
    assertThat(status.getReadyAt()).isNull();
  }

  @Test
  void runningMigrationPointsAtTheJobsLogs() {
    WorkflowEnvironmentStatus status =
        provisioned(env(), state(true, Migration.RUNNING, false), T0);

    assertThat(status.getPhase()).isEqualTo(Phase.Provisioning);
    assertThat(status.getMessage())
        .isEqualTo("running airflow db migrate: `kubectl logs job/" + JOB + " -n " + NS + "`");
    assertThat(condition(status, EnvironmentConditions.DATABASE_READY))
        .satisfies(c -> assertCondition(c, true, "DatabaseReady"));
    Condition migration = condition(status, EnvironmentConditions.MIGRATION_COMPLETE);
    assertCondition(migration, false, "MigrationRunning");
    assertThat(migration.getMessage()).contains("`kubectl logs job/" + JOB + " -n " + NS + "`");
  }

  @Test
  void failedMigrationFailsTheEnvironmentAndSaysWhereToLook() {
    WorkflowEnvironmentStatus status = provisioned(env(), state(true, Migration.FAILED, false), T0);

    assertThat(status.getPhase()).isEqualTo(Phase.Failed);
    assertThat(status.getMessage())
        .startsWith("migration job failed: see `kubectl logs job/" + JOB + " -n " + NS + "`");
    Condition migration = condition(status, EnvironmentConditions.MIGRATION_COMPLETE);
    assertCondition(migration, false, "MigrationFailed");
    assertThat(migration.getMessage()).startsWith("migration job failed: see `kubectl logs job/");
    assertCondition(condition(status, EnvironmentConditions.READY), false, "Failed");
  }

  @Test
  void failedMigrationWinsOverSuspension() {
    WorkflowEnvironmentStatus status =
        provisioned(env(), suspended(state(true, Migration.FAILED, false)), T0);

    assertThat(status.getPhase()).isEqualTo(Phase.Failed);
  }

  @Test
  void completedMigrationWithComponentsStartingNamesThem() {
    ProvisioningState s =
        new ProvisioningState(
            true,
            Migration.COMPLETE,
            JOB,
            false,
            List.of("scheduler", "api-server"),
            List.of(),
            false,
            URL,
            List.of());

    WorkflowEnvironmentStatus status = provisioned(env(), s, T0);

    assertThat(status.getPhase()).isEqualTo(Phase.Provisioning);
    assertThat(status.getMessage())
        .isEqualTo("waiting for scheduler, api-server: `kubectl get pods -n " + NS + "`");
    assertCondition(condition(status, EnvironmentConditions.MIGRATION_COMPLETE), true, "Migrated");
    assertThat(condition(status, EnvironmentConditions.MIGRATION_COMPLETE).getMessage())
        .isEqualTo("airflow db migrate completed");
    assertCondition(
        condition(status, EnvironmentConditions.COMPONENTS_READY), false, "ComponentsStarting");
  }

  @Test
  void everythingReadyIsReadyWithTheUrl() {
    WorkflowEnvironmentStatus status = provisioned(env(), ready(), T0);

    assertThat(status.getPhase()).isEqualTo(Phase.Ready);
    assertThat(status.getMessage()).isEqualTo("Airflow is ready at " + URL);
    assertThat(status.getUrl()).isEqualTo(URL);
    assertThat(status.getReadyAt()).isEqualTo(T0);
    assertThat(status.getConditions())
        .extracting(Condition::getType)
        .containsExactly("DatabaseReady", "MigrationComplete", "ComponentsReady", "Ready");
    assertThat(status.getConditions())
        .allSatisfy(c -> assertThat(c.getStatus()).isEqualTo(ConditionStatus.True));
    assertThat(condition(status, EnvironmentConditions.READY).getReason()).isEqualTo("Ready");
  }

  @Test
  void readyAtIsKeptWhileTheEnvironmentStaysReady() {
    WorkflowEnvironment env = env();
    env.setStatus(provisioned(env, ready(), T0));

    WorkflowEnvironmentStatus later = provisioned(env, ready(), T1);

    assertThat(later.getReadyAt()).isEqualTo(T0);
    // Conditions that hold keep their transition time.
    assertThat(later.getConditions())
        .allSatisfy(c -> assertThat(c.getLastTransitionTime()).isEqualTo(T0));
  }

  @Test
  void conditionThatChangesGetsANewTransitionTime() {
    WorkflowEnvironment env = env();
    env.setStatus(provisioned(env, state(true, Migration.RUNNING, false), T0));

    WorkflowEnvironmentStatus later = provisioned(env, ready(), T1);

    assertThat(condition(later, EnvironmentConditions.DATABASE_READY).getLastTransitionTime())
        .isEqualTo(T0);
    assertThat(condition(later, EnvironmentConditions.MIGRATION_COMPLETE).getLastTransitionTime())
        .isEqualTo(T1);
  }

  @Test
  void environmentThatWasReadyAndLosesComponentsIsDegradedAndKeepsReadyAt() {
    WorkflowEnvironment env = env();
    env.setStatus(provisioned(env, ready(), T0));
    ProvisioningState notReady =
        new ProvisioningState(
            true,
            Migration.COMPLETE,
            JOB,
            false,
            List.of("scheduler"),
            List.of(),
            false,
            URL,
            List.of());

    WorkflowEnvironmentStatus status = provisioned(env, notReady, T1);

    assertThat(status.getPhase()).isEqualTo(Phase.Degraded);
    assertThat(status.getMessage()).contains("scheduler");
    assertThat(status.getReadyAt()).isEqualTo(T0);
  }

  @Test
  void resumingFromSuspendIsProvisioningNotDegraded() {
    WorkflowEnvironment env = env();
    env.setStatus(provisioned(env, ready(), T0));
    env.setStatus(
        provisioned(
            env,
            new ProvisioningState(
                true, Migration.COMPLETE, JOB, true, List.of(), List.of(), true, URL, List.of()),
            T1));
    assertThat(env.getStatus().getPhase()).isEqualTo(Phase.Suspended);

    WorkflowEnvironmentStatus resuming =
        provisioned(
            env,
            new ProvisioningState(
                true,
                Migration.COMPLETE,
                JOB,
                false,
                List.of("scheduler"),
                List.of(),
                false,
                URL,
                List.of()),
            T2);

    assertThat(resuming.getPhase()).isEqualTo(Phase.Provisioning);
    assertThat(resuming.getReadyAt()).isEqualTo(T0);
  }

  @Test
  void newMigrationAfterAnImageChangeIsProvisioning() {
    WorkflowEnvironment env = env();
    env.setStatus(provisioned(env, ready(), T0));

    WorkflowEnvironmentStatus upgrading =
        provisioned(
            env,
            new ProvisioningState(
                true,
                Migration.RUNNING,
                JOB,
                false,
                List.of("scheduler"),
                List.of(),
                false,
                null,
                List.of()),
            T1);

    assertThat(upgrading.getPhase()).isEqualTo(Phase.Provisioning);
    assertThat(upgrading.getMessage()).contains("airflow db migrate");
  }

  @Test
  void becomingReadyAgainRecordsWhenItLastBecameReady() {
    WorkflowEnvironment env = env();
    env.setStatus(provisioned(env, ready(), T0));
    env.setStatus(
        provisioned(
            env,
            new ProvisioningState(
                true,
                Migration.COMPLETE,
                JOB,
                false,
                List.of("scheduler"),
                List.of(),
                false,
                URL,
                List.of()),
            T1));

    WorkflowEnvironmentStatus status = provisioned(env, ready(), T2);

    assertThat(status.getPhase()).isEqualTo(Phase.Ready);
    assertThat(status.getReadyAt()).isEqualTo(T2);
  }

  @Test
  void podProblemsDegradeTheEnvironmentAndAreTheMessage() {
    ProvisioningState s =
        new ProvisioningState(
            true,
            Migration.COMPLETE,
            JOB,
            true,
            List.of(),
            List.of("airflow-scheduler: CrashLoopBackOff", "airflow-api-server: ImagePullBackOff"),
            false,
            URL,
            List.of());

    WorkflowEnvironmentStatus status = provisioned(env(), s, T0);

    assertThat(status.getPhase()).isEqualTo(Phase.Degraded);
    assertThat(status.getMessage())
        .isEqualTo("airflow-scheduler: CrashLoopBackOff; airflow-api-server: ImagePullBackOff");
    assertCondition(
        condition(status, EnvironmentConditions.COMPONENTS_READY), false, "PodsFailing");
    assertCondition(condition(status, EnvironmentConditions.READY), false, "Degraded");
    assertThat(status.getReadyAt()).isNull();
  }

  private static final String SCHEDULER_SAYS =
      "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.";

  @Test
  void unschedulableDatabaseIsProvisioningAndTheMessageGivesTheSchedulersReason() {
    ProvisioningState s =
        unschedulable(
            state(false, Migration.WAITING_FOR_DATABASE, false),
            List.of("pod postgres-0: " + SCHEDULER_SAYS));

    WorkflowEnvironmentStatus status = provisioned(env(), s, T0);

    assertThat(status.getPhase()).isEqualTo(Phase.Provisioning);
    assertThat(status.getMessage())
        .isEqualTo(
            "pods cannot be scheduled: pod postgres-0: "
                + SCHEDULER_SAYS
                + " (placement comes from spec.template nodeSelector, tolerations and affinity"
                + " of WorkflowRepository acme-dags)");
    assertCondition(condition(status, EnvironmentConditions.READY), false, "Unschedulable");
    assertThat(condition(status, EnvironmentConditions.READY).getMessage())
        .isEqualTo(status.getMessage());
    assertCondition(
        condition(status, EnvironmentConditions.DATABASE_READY), false, "DatabaseStarting");
  }

  @Test
  void unschedulableComponentsSayWhyTheyAreNotReady() {
    ProvisioningState s =
        unschedulable(
            new ProvisioningState(
                true,
                Migration.COMPLETE,
                JOB,
                false,
                List.of("scheduler"),
                List.of(),
                false,
                URL,
                List.of()),
            List.of("pod airflow-scheduler-7d9f-abcde: " + SCHEDULER_SAYS));

    WorkflowEnvironmentStatus status = provisioned(env(), s, T0);

    assertThat(status.getPhase()).isEqualTo(Phase.Provisioning);
    assertThat(status.getMessage())
        .contains("airflow-scheduler-7d9f-abcde")
        .contains(SCHEDULER_SAYS);
    Condition components = condition(status, EnvironmentConditions.COMPONENTS_READY);
    assertCondition(components, false, "Unschedulable");
    assertThat(components.getMessage()).contains(SCHEDULER_SAYS);
    assertCondition(condition(status, EnvironmentConditions.READY), false, "Unschedulable");
  }

  @Test
  void manyUnschedulablePodsAreCounted() {
    ProvisioningState s =
        unschedulable(
            state(true, Migration.COMPLETE, false),
            List.of("pod a: x", "pod b: x", "pod c: x", "pod d: x", "pod e: x"));

    assertThat(provisioned(env(), s, T0).getMessage())
        .contains("pod a: x; pod b: x; pod c: x; and 2 more")
        .doesNotContain("pod d");
  }

  @Test
  void unschedulablePodsDoNotHideAFailedMigrationOrSuspension() {
    List<String> pods = List.of("pod postgres-0: " + SCHEDULER_SAYS);

    assertThat(provisioned(env(), unschedulable(state(true, Migration.FAILED, false), pods), T0))
        .satisfies(
            status -> {
              assertThat(status.getPhase()).isEqualTo(Phase.Failed);
              assertThat(status.getMessage()).startsWith("migration job failed");
            });
    assertThat(provisioned(env(), unschedulable(suspended(ready()), pods), T0).getPhase())
        .isEqualTo(Phase.Suspended);
  }

  @Test
  void aReadyEnvironmentIgnoresAPendingTaskPod() {
    WorkflowEnvironmentStatus status =
        provisioned(env(), unschedulable(ready(), List.of("pod task-1: " + SCHEDULER_SAYS)), T0);

    assertThat(status.getPhase()).isEqualTo(Phase.Ready);
    assertCondition(condition(status, EnvironmentConditions.READY), true, "Ready");
  }

  @Test
  void suspendedEnvironmentIsSuspendedAndSaysHowToResume() {
    WorkflowEnvironmentStatus status = provisioned(env(), suspended(ready()), T0);

    assertThat(status.getPhase()).isEqualTo(Phase.Suspended);
    assertThat(status.getMessage()).contains("spec.suspend=false");
    assertCondition(condition(status, EnvironmentConditions.COMPONENTS_READY), false, "Suspended");
    assertCondition(condition(status, EnvironmentConditions.READY), false, "Suspended");
  }

  @Test
  void suspensionWinsOverPodProblems() {
    ProvisioningState s =
        new ProvisioningState(
            true,
            Migration.COMPLETE,
            JOB,
            false,
            List.of(),
            List.of("crash"),
            true,
            URL,
            List.of());

    assertThat(provisioned(env(), s, T0).getPhase()).isEqualTo(Phase.Suspended);
  }

  @Test
  void statusRecordsGenerationNamespaceAndShortRevision() {
    WorkflowEnvironment env = env();
    env.getMetadata().setGeneration(4L);

    WorkflowEnvironmentStatus status = provisioned(env, ready(), T0);

    assertThat(status.getObservedGeneration()).isEqualTo(4L);
    assertThat(status.getNamespace()).isEqualTo(NS);
    assertThat(status.getRevision()).isEqualTo("0123456");
    assertThat(status.getConditions())
        .allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(4L));
  }

  @Test
  void shortOrMissingCommitShaDoesNotBreakTheRevision() {
    WorkflowEnvironment env = env();
    env.getSpec().setCommitSha("abc");
    assertThat(provisioned(env, ready(), T0).getRevision()).isEqualTo("abc");

    env.getSpec().setCommitSha(null);
    assertThat(provisioned(env, ready(), T0).getRevision()).isNull();
  }

  @Test
  void failedKeepsTheUrlAndReadyAtAndExplainsWhy() {
    WorkflowEnvironment env = env();
    env.setStatus(provisioned(env, ready(), T0));

    WorkflowEnvironmentStatus status =
        EnvironmentStatusCalculator.failed(
            env, NS, "RepositoryNotFound", "WorkflowRepository acme-dags not found", T1);

    assertThat(status.getPhase()).isEqualTo(Phase.Failed);
    assertThat(status.getMessage()).isEqualTo("WorkflowRepository acme-dags not found");
    assertThat(status.getUrl()).isEqualTo(URL);
    assertThat(status.getReadyAt()).isEqualTo(T0);
    assertThat(status.getRevision()).isEqualTo("0123456");
    assertCondition(condition(status, EnvironmentConditions.READY), false, "RepositoryNotFound");
  }

  @Test
  void airflow3RevisionIsTheCommitAirflowLoadedAndSaysWhenAPushIsNotLoadedYet() {
    WorkflowEnvironment env = env(); // pushed 0123456...
    String older = "fedcba9876543210fedcba9876543210fedcba98";

    WorkflowEnvironmentStatus behind =
        EnvironmentStatusCalculator.provisioned(
            env, NS, ready(), DagsReport.observed(loaded(older), 30), T0);

    assertThat(behind.getRevision()).isEqualTo("fedcba9");
    Condition dags = condition(behind, EnvironmentConditions.DAGS_LOADED);
    assertCondition(dags, false, "Fetching");
    assertThat(dags.getMessage()).contains("fedcba9", "0123456", "30 s");
    assertThat(behind.getPhase()).isEqualTo(Phase.Ready); // serving the older commit meanwhile

    env.setStatus(behind);
    WorkflowEnvironmentStatus caughtUp =
        EnvironmentStatusCalculator.provisioned(
            env, NS, ready(), DagsReport.observed(loaded(env.getSpec().getCommitSha()), 30), T1);
    assertThat(caughtUp.getRevision()).isEqualTo("0123456");
    assertCondition(condition(caughtUp, EnvironmentConditions.DAGS_LOADED), true, "Loaded");
  }

  @Test
  void anUnansweredQuestionKeepsTheLoadedRevisionAndANewPushIsNotClaimedLoaded() {
    WorkflowEnvironment env = env();
    env.setStatus(
        EnvironmentStatusCalculator.provisioned(
            env, NS, ready(), DagsReport.observed(loaded(env.getSpec().getCommitSha()), 30), T0));
    env.getSpec().setCommitSha("abcdef0123456789abcdef0123456789abcdef01");

    WorkflowEnvironmentStatus rolling =
        EnvironmentStatusCalculator.provisioned(env, NS, ready(), DagsReport.notAsked(30), T1);
    assertThat(rolling.getRevision()).isEqualTo("0123456");
    assertCondition(condition(rolling, EnvironmentConditions.DAGS_LOADED), false, "Fetching");

    WorkflowEnvironmentStatus unreachable =
        EnvironmentStatusCalculator.provisioned(
            env,
            NS,
            ready(),
            DagsReport.observed(
                AirflowObservation.unavailable("Airflow's API could not be reached: x"), 30),
            T1);
    assertThat(unreachable.getRevision()).isEqualTo("0123456");
    Condition unknown = condition(unreachable, EnvironmentConditions.DAGS_LOADED);
    assertThat(unknown.getStatus()).isEqualTo(ConditionStatus.Unknown);
    assertThat(unknown.getMessage()).contains("could not be reached");
  }

  @Test
  void whyAirflowCouldNotBeAskedStandsUntilItAnswers() {
    WorkflowEnvironment env = env();
    env.setStatus(
        EnvironmentStatusCalculator.provisioned(
            env,
            NS,
            ready(),
            DagsReport.observed(AirflowObservation.unavailable("no DAG parsed yet"), 30),
            T0));

    WorkflowEnvironmentStatus between =
        EnvironmentStatusCalculator.provisioned(env, NS, ready(), DagsReport.notAsked(30), T1);

    Condition dags = condition(between, EnvironmentConditions.DAGS_LOADED);
    assertThat(dags.getStatus()).isEqualTo(ConditionStatus.Unknown);
    assertThat(dags.getMessage()).isEqualTo("no DAG parsed yet");
    assertThat(dags.getLastTransitionTime()).isEqualTo(T0);
  }

  @Test
  void readyMessageOfAirflow3SaysHowToGetTheLoginNotThePassword() {
    WorkflowEnvironmentStatus status =
        EnvironmentStatusCalculator.provisioned(env(), NS, ready(), DagsReport.notAsked(30), T0);

    assertThat(status.getMessage())
        .contains("log in as admin")
        .contains("kubectl get secret airflow-login -n " + NS);
    assertThat(
            EnvironmentStatusCalculator.provisioned(env(), NS, ready(), DagsReport.pushedOnly(), T0)
                .getMessage())
        .doesNotContain("airflow-login");
  }

  @Test
  void importErrorsOfTheLoadedCommitAreAFalseConditionAndAListThatAFixedPushClears() {
    WorkflowEnvironment env = env(); // pushed 0123456...
    String pushed = env.getSpec().getCommitSha();
    ImportErrors two =
        new ImportErrors(
            2,
            List.of(
                new ImportError("dags/broken.py", 3, "NameError: name 'x' is not defined"),
                new ImportError("dags/half.py", null, "SyntaxError: invalid syntax")));

    WorkflowEnvironmentStatus failing =
        EnvironmentStatusCalculator.provisioned(
            env,
            NS,
            ready(),
            DagsReport.observed(new AirflowObservation(pushed, null, two), 30),
            T0);

    Condition imported = condition(failing, EnvironmentConditions.DAGS_IMPORTED);
    assertCondition(imported, false, "ImportErrors");
    assertThat(imported.getMessage())
        .startsWith(
            "2 DAG file(s) failed to import; first: dags/broken.py:3: NameError: name 'x' is not"
                + " defined");
    assertThat(failing.getDags().getCommit()).isEqualTo(pushed);
    assertThat(failing.getDags().getErrorCount()).isEqualTo(2);
    assertThat(failing.getDags().getErrors())
        .extracting(e -> e.getFile() + ":" + e.getLine() + ":" + e.getMessage())
        .containsExactly(
            "dags/broken.py:3:NameError: name 'x' is not defined",
            "dags/half.py:null:SyntaxError: invalid syntax");
    assertThat(failing.getPhase()).as("Airflow still serves the other DAGs").isEqualTo(Phase.Ready);

    // The fix is pushed; while Airflow parses it, what it reported last stands.
    env.setStatus(failing);
    String fix = "fedcba9876543210fedcba9876543210fedcba98";
    env.getSpec().setCommitSha(fix);
    WorkflowEnvironmentStatus parsing =
        EnvironmentStatusCalculator.provisioned(
            env, NS, ready(), DagsReport.observed(new AirflowObservation(fix, null, null), 30), T1);
    assertCondition(condition(parsing, EnvironmentConditions.DAGS_IMPORTED), false, "ImportErrors");
    assertThat(parsing.getDags().getCommit()).isEqualTo(pushed);

    env.setStatus(parsing);
    WorkflowEnvironmentStatus fixed =
        EnvironmentStatusCalculator.provisioned(
            env,
            NS,
            ready(),
            DagsReport.observed(new AirflowObservation(fix, null, ImportErrors.NONE), 30),
            T1);
    Condition clean = condition(fixed, EnvironmentConditions.DAGS_IMPORTED);
    assertCondition(clean, true, "Imported");
    assertThat(clean.getMessage()).isEqualTo("every DAG file of fedcba9 imports");
    assertThat(fixed.getDags().getCommit()).isEqualTo(fix);
    assertThat(fixed.getDags().getErrorCount()).isZero();
    assertThat(fixed.getDags().getErrors()).isEmpty();
  }

  @Test
  void dagsImportedIsUnknownUntilAirflowReportsAndAnUnreachableAirflowUnreportsNothing() {
    WorkflowEnvironment env = env();
    String pushed = env.getSpec().getCommitSha();
    WorkflowEnvironmentStatus notAsked =
        EnvironmentStatusCalculator.provisioned(env, NS, ready(), DagsReport.notAsked(30), T0);
    assertThat(notAsked.getConditions())
        .noneMatch(c -> c.getType().equals(EnvironmentConditions.DAGS_IMPORTED));

    WorkflowEnvironmentStatus parsing =
        EnvironmentStatusCalculator.provisioned(
            env, NS, ready(), DagsReport.observed(loaded(pushed), 30), T0);
    assertThat(condition(parsing, EnvironmentConditions.DAGS_IMPORTED).getStatus())
        .isEqualTo(ConditionStatus.Unknown);
    assertThat(parsing.getDags()).isNull();

    env.setStatus(
        EnvironmentStatusCalculator.provisioned(
            env,
            NS,
            ready(),
            DagsReport.observed(
                new AirflowObservation(
                    pushed,
                    null,
                    new ImportErrors(1, List.of(new ImportError("dags/x.py", 1, "E: e")))),
                30),
            T0));
    WorkflowEnvironmentStatus unreachable =
        EnvironmentStatusCalculator.provisioned(
            env,
            NS,
            ready(),
            DagsReport.observed(AirflowObservation.unavailable("did not answer within 5 s"), 30),
            T1);
    Condition imported = condition(unreachable, EnvironmentConditions.DAGS_IMPORTED);
    assertCondition(imported, false, "ImportErrors");
    assertThat(imported.getLastTransitionTime()).isEqualTo(T0);
    assertThat(unreachable.getDags().getErrorCount()).isEqualTo(1);
  }

  @Test
  void failedTasksAreCarriedIntoTheStatusAndAnUnreachableAirflowUnreportsNone() {
    WorkflowEnvironment env = env();
    String pushed = env.getSpec().getCommitSha();
    FailedTasks two =
        new FailedTasks(
            2,
            List.of(
                new FailedTasks.FailedTask(
                    "etl", "load", "manual__1", null, 2, "2026-01-01T10:00:05Z"),
                new FailedTasks.FailedTask(
                    "etl", "fan", "manual__1", 3, 1, "2026-01-01T10:00:04Z")));

    WorkflowEnvironmentStatus failing =
        EnvironmentStatusCalculator.provisioned(
            env,
            NS,
            ready(),
            DagsReport.observed(new AirflowObservation(pushed, null, null, two, null), 30),
            T0);
    assertThat(failing.getTaskFailures().getCount()).isEqualTo(2);
    assertThat(failing.getTaskFailures().getNewest())
        .extracting(
            f ->
                f.getDagId()
                    + "."
                    + f.getTaskId()
                    + "["
                    + f.getMapIndex()
                    + "] "
                    + f.getRunId()
                    + " try "
                    + f.getTryNumber()
                    + " "
                    + f.getEndDate())
        .containsExactly(
            "etl.load[null] manual__1 try 2 2026-01-01T10:00:05Z",
            "etl.fan[3] manual__1 try 1 2026-01-01T10:00:04Z");
    assertThat(failing.getPhase()).as("a failed task is the DAG's business").isEqualTo(Phase.Ready);

    env.setStatus(failing);
    WorkflowEnvironmentStatus unreachable =
        EnvironmentStatusCalculator.provisioned(
            env,
            NS,
            ready(),
            DagsReport.observed(AirflowObservation.unavailable("did not answer within 5 s"), 30),
            T1);
    assertThat(unreachable.getTaskFailures().getCount()).isEqualTo(2);
    assertThat(
            EnvironmentStatusCalculator.provisioned(env, NS, ready(), DagsReport.pushedOnly(), T1)
                .getTaskFailures())
        .as("Airflow 2 is not asked")
        .isNull();
  }

  @Test
  void airflow2ReportsNoImports() {
    WorkflowEnvironmentStatus status =
        EnvironmentStatusCalculator.provisioned(env(), NS, ready(), DagsReport.pushedOnly(), T0);
    assertThat(status.getDags()).isNull();
    assertThat(status.getConditions())
        .noneMatch(c -> c.getType().equals(EnvironmentConditions.DAGS_IMPORTED));
  }

  private static AirflowObservation loaded(String sha) {
    return new AirflowObservation(sha, null, null);
  }

  private static WorkflowEnvironmentStatus provisioned(
      WorkflowEnvironment env, ProvisioningState s, String now) {
    return EnvironmentStatusCalculator.provisioned(env, NS, s, DagsReport.pushedOnly(), now);
  }

  private static WorkflowEnvironment env() {
    WorkflowEnvironmentSpec spec = new WorkflowEnvironmentSpec();
    spec.setRepositoryRef("acme-dags");
    spec.setBranch("feature/login");
    spec.setCommitSha("0123456789abcdef0123456789abcdef01234567");
    WorkflowEnvironment env = new WorkflowEnvironment();
    env.setMetadata(
        new ObjectMetaBuilder()
            .withName("dags-login-0123456789")
            .withNamespace("branchflow")
            .withGeneration(1L)
            .build());
    env.setSpec(spec);
    return env;
  }

  private static ProvisioningState state(
      boolean databaseReady, Migration migration, boolean componentsReady) {
    return new ProvisioningState(
        databaseReady,
        migration,
        JOB,
        componentsReady,
        componentsReady ? List.of() : List.of("scheduler", "dag-processor", "api-server"),
        List.of(),
        false,
        URL,
        List.of());
  }

  private static ProvisioningState ready() {
    return state(true, Migration.COMPLETE, true);
  }

  private static ProvisioningState suspended(ProvisioningState s) {
    return new ProvisioningState(
        s.databaseReady(),
        s.migration(),
        s.migrationJob(),
        s.componentsReady(),
        s.notReady(),
        s.podProblems(),
        true,
        s.url(),
        List.of());
  }

  private static ProvisioningState unschedulable(ProvisioningState s, List<String> pods) {
    return new ProvisioningState(
        s.databaseReady(),
        s.migration(),
        s.migrationJob(),
        s.componentsReady(),
        s.notReady(),
        s.podProblems(),
        s.suspended(),
        s.url(),
        pods);
  }

  private static Condition condition(WorkflowEnvironmentStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no condition " + type));
  }

  private static void assertCondition(Condition c, boolean status, String reason) {
    assertThat(c.getStatus())
        .as("status of %s", c.getType())
        .isEqualTo(status ? ConditionStatus.True : ConditionStatus.False);
    assertThat(c.getReason()).as("reason of %s", c.getType()).isEqualTo(reason);
  }
}
