package io.branchflow.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.branchflow.api.Labels;
import io.branchflow.api.v1alpha1.Condition;
import io.branchflow.api.v1alpha1.ConditionStatus;
import io.branchflow.api.v1alpha1.EnvironmentLimits;
import io.branchflow.api.v1alpha1.Executor;
import io.branchflow.api.v1alpha1.GitSyncSettings;
import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.SecretKeyRef;
import io.branchflow.api.v1alpha1.SlackMessage;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentStatus;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.operator.announce.github.FakeGitHub;
import io.branchflow.operator.announce.slack.FakeSlack;
import io.branchflow.operator.config.AnnounceSettings;
import io.branchflow.operator.config.OperatorSettings;
import io.branchflow.testing.AirflowBrowser;
import io.branchflow.testing.FakeGitHost;
import io.branchflow.testing.NeedsRealNode;
import io.branchflow.testing.RealNode;
import io.branchflow.testing.RepositoryRoot;
import io.branchflow.testing.TestCluster;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Airflow really runs, on the local cluster's real node: a branch pushed to a Git host gets an
 * Airflow 3 whose DAGs are the branch's, that a DAG author logs in to with airflow-login, whose DAG
 * runs succeed (LocalExecutor and KubernetesExecutor), read the production warehouse and are
 * refused every write; a new push reaches it without a restart and status.revision says so; a DAG
 * file that fails to import is shown in the status, on GitHub and in Slack (stand-ins), and the
 * fixing push clears it; a task that fails is one threaded reply in Slack; and deleting the
 * environment stops its processes and deletes its database files.
 *
 * <p>Needs what {@code hack/local-cluster.sh up} starts with the real node: the images of {@code
 * hack/images.sh} and the warehouse stand-in with its Secret in branchflow-system.
 */
@NeedsRealNode
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RealAirflowE2ETest {

  /** Airflow's start on two shared cores: database, migration, three components. */
  private static final Duration AIRFLOW_START = Duration.ofMinutes(8);

  private static final Duration RUN = Duration.ofMinutes(4);
  private static final String AIRFLOW_IMAGE = "branchflow.local/airflow:3.3.2";
  private static final String POSTGRES_IMAGE = "branchflow.local/postgresql:15";
  private static final String WAREHOUSE_SECRET = "warehouse-readonly";
  private static final String GIT_REPOSITORY = "acme/dags";
  private static final List<String> SAMPLE_DAGS =
      List.of("hello_branch", "warehouse_is_read_only", "warehouse_report");

  private final TestCluster cluster = TestCluster.shared();
  private final KubernetesClient client = cluster.client();
  private final Environments environments = new Environments(client, cluster.kubectl());
  private String ns;
  private FakeGitHost git;
  private OperatorUnderTest operator;
  private Map<String, String> sampleFiles;
  private final FakeGitHub github = new FakeGitHub();
  private final FakeSlack slack = new FakeSlack();

  @BeforeAll
  void start(@TempDir Path gitRoot) throws IOException {
    Secret warehouse =
        client.secrets().inNamespace("branchflow-system").withName(WAREHOUSE_SECRET).get();
    assumeThat(warehouse)
        .as("the warehouse stand-in's Secret (hack/local-cluster.sh up starts it)")
        .isNotNull();
    ns = Fixtures.branchflowNamespace(client, "airflow");
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(WAREHOUSE_SECRET)
                .withNamespace(ns)
                .addToLabels(Labels.PRODUCTION_DATA, Labels.PRODUCTION_DATA_READ_ONLY)
                .endMetadata()
                .withData(warehouse.getData())
                .build())
        .create();
    client
        .resource(
            Fixtures.secret(
                ns, "acme-dags-github", Map.of("webhook-secret", "s3cret", "token", "ghs_e2e")))
        .create();
    client.resource(Fixtures.secret(ns, "slack-bot", Map.of("token", "xoxb-e2e"))).create();
    git = FakeGitHost.start(gitRoot, RealNode.address(client));
    git.createRepository(GIT_REPOSITORY);
    sampleFiles = sampleDagRepository();
    operator =
        OperatorUnderTest.start(
            cluster,
            ns,
            OperatorSettings.defaults().allowingPlainHttpGitHosts(RealNode.address(client)),
            // GitHub and Slack stand-ins; only the repository of the import-errors test names
            // them, the others announce nothing.
            AnnounceSettings.defaults()
                .withGithubApiUrl(github.url())
                .withSlackApiUrl(slack.apiUrl())
                .withRetry(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(5)));
  }

  /**
   * A test that fails half-way leaves its environment behind; its repository's finalizer would then
   * keep the next test from replacing the repository.
   */
  @AfterEach
  void removeEnvironmentsLeftBehind() {
    environments.deleteAllAndAwaitGone(ns);
  }

  @AfterAll
  void stop() {
    if (ns == null) {
      return;
    }
    environments.deleteAllAndAwaitGone(ns);
    if (operator != null) {
      operator.closeAndRemove(client, ns);
    }
    if (git != null) {
      git.close();
    }
    github.close();
    slack.close();
  }

  @Test
  void aBranchGetsARealAirflowThatRunsItsDagsReadsProductionAndGoesAwayCompletely() {
    String branch = "feature/real-airflow";
    long pushedAt = System.nanoTime();
    String first = git.push(GIT_REPOSITORY, branch, sampleFiles);
    createRepository(Executor.LocalExecutor);
    WorkflowEnvironment env = client.resource(environment(branch, first)).create();
    String envNs = Environments.namespaceOf(env);

    // 1. Ready means Airflow is healthy, and it runs the branch's DAGs, nothing else.
    WorkflowEnvironmentStatus ready = awaitReady(env);
    long readyAt = System.nanoTime();
    AirflowRest airflow = new AirflowRest(client, envNs);
    assertThat(airflow.health().json().path("scheduler").path("status").asText())
        .isEqualTo("healthy");
    assertThat(airflow.health().json().path("dag_processor").path("status").asText())
        .isEqualTo("healthy");
    assertThat(ready.getMessage())
        .contains("kubectl get secret airflow-login -n " + envNs)
        .doesNotContain(password(envNs));

    // 5. The UI and API are closed to anyone without the environment's login.
    assertThat(airflow.login("admin", "not-the-password").status()).isEqualTo(401);
    assertThat(new AirflowRest(client, envNs).dagIdsStatus()).isEqualTo(401);
    assertThat(airflow.login("admin", password(envNs)).status()).isEqualTo(201);

    await("the branch's DAGs listed")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> airflow.dagIds().size() == SAMPLE_DAGS.size());
    long listedAt = System.nanoTime();
    assertThat(airflow.dagIds()).containsExactlyInAnyOrderElementsOf(SAMPLE_DAGS);
    // A person's view: a real browser logs in to the UI with airflow-login and sees the DAGs.
    if (AirflowBrowser.available()) {
      try (AirflowBrowser browser = AirflowBrowser.open()) {
        assertThat(
                browser.loginAndListDags(
                    uiUrl(envNs),
                    "admin",
                    password(envNs),
                    RepositoryRoot.find().resolve("operator/target/airflow-ui/dags.png")))
            .containsAll(SAMPLE_DAGS);
      }
    }
    // 2. ...and the status names the commit Airflow loaded.
    awaitLoaded(env, first);

    // 3, 4. A LocalExecutor run reads the warehouse; every write is refused by the database.
    Map<String, Pod> before = pods(envNs);
    long triggeredAt = System.nanoTime();
    String report = runToSuccess(airflow, "warehouse_report");
    long succeededAt = System.nanoTime();
    assertThat(airflow.taskLog("warehouse_report", report, "report"))
        .contains("warehouse report: 12 orders, total 1234.50");
    String readOnly = runToSuccess(airflow, "warehouse_is_read_only");
    assertThat(airflow.taskLog("warehouse_is_read_only", readOnly, "check_read_only"))
        .contains("read works: sales.orders has 12 rows")
        .contains("refused as expected: INSERT -> permission denied for table orders")
        .contains("refused as expected: UPDATE -> permission denied for table orders")
        .contains("refused as expected: DELETE -> permission denied for table orders")
        .contains("refused as expected: CREATE TABLE -> permission denied for schema sales");

    // 2. A new push reaches the running Airflow without a restart, and the status follows.
    Map<String, String> changed = new HashMap<>(sampleFiles);
    changed.put("dags/added_later.py", dag("added_later"));
    long secondPushAt = System.nanoTime();
    String second = git.push(GIT_REPOSITORY, branch, changed);
    environments.edit(env, e -> e.getSpec().setCommitSha(second));
    await("the new DAG listed")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> airflow.dagIds().contains("added_later"));
    long changeVisibleAt = System.nanoTime();
    awaitLoaded(env, second);
    assertThat(pods(envNs)).as("no pod replaced or restarted").isEqualTo(before);

    // Task logs live on the environment's volume: readable after the scheduler pod is replaced.
    client.pods().inNamespace(envNs).withLabel("app.kubernetes.io/component", "scheduler").delete();
    awaitReady(env);
    assertThat(airflow.taskLog("warehouse_report", report, "report"))
        .contains("warehouse report: 12 orders, total 1234.50");

    System.out.printf(
        "real Airflow (LocalExecutor): push -> API answering (Ready) %.1f s, push -> DAGs listed"
            + " %.1f s, new push -> change visible %.1f s, trigger -> run success %.1f s%n",
        seconds(pushedAt, readyAt),
        seconds(pushedAt, listedAt),
        seconds(secondPushAt, changeVisibleAt),
        seconds(triggeredAt, succeededAt));

    // 7. Deleting the branch stops every process of it on the node and deletes its files.
    List<String> podUids =
        client.pods().inNamespace(envNs).list().getItems().stream()
            .map(p -> p.getMetadata().getUid())
            .toList();
    List<Path> volumes = volumeDirectories(envNs);
    assertThat(volumes).hasSize(2); // PostgreSQL's data and the task logs
    assertThat(volumes).allSatisfy(v -> assertThat(v).isDirectory());
    git.deleteBranch(GIT_REPOSITORY, branch); // as GitHub does: the resync must not bring it back
    environments.deleteAndAwaitGone(env);
    await("every process of the environment stopped, its files deleted")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              assertThat(processesOfPods(podUids)).isEmpty();
              assertThat(volumes).allSatisfy(v -> assertThat(v).doesNotExist());
            });
  }

  @Test
  void kubernetesExecutorRunsEachTaskInItsOwnPodOnTheNodeAndCleansItUp() {
    String branch = "feature/real-k8s";
    String commit = git.push(GIT_REPOSITORY, branch, sampleFiles);
    createRepository(Executor.KubernetesExecutor);
    WorkflowEnvironment env = client.resource(environment(branch, commit)).create();
    String envNs = Environments.namespaceOf(env);
    awaitReady(env);
    AirflowRest airflow = new AirflowRest(client, envNs);
    assertThat(airflow.login("admin", password(envNs)).status()).isEqualTo(201);
    await("the branch's DAGs listed")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> airflow.dagIds().contains("hello_branch"));

    Map<String, Pod> seen = new HashMap<>(); // task pods by UID, as they come and go
    long triggeredAt = System.nanoTime();
    String run =
        runToSuccess(
            airflow,
            "hello_branch",
            () -> taskPods(envNs).forEach(p -> seen.put(p.getMetadata().getUid(), p)));
    long succeededAt = System.nanoTime();
    assertThat(seen).as("the task's own pod, seen while it ran").isNotEmpty();
    assertThat(seen.values())
        .allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isEqualTo(RealNode.name(client)));
    await("task pods deleted after their task")
        .atMost(Duration.ofMinutes(1))
        .until(() -> taskPods(envNs).isEmpty());
    // Its log outlives its pod.
    assertThat(airflow.taskLog("hello_branch", run, "hello"))
        .contains("hello from branch " + branch);
    System.out.printf(
        "real Airflow (KubernetesExecutor): trigger -> run success %.1f s%n",
        seconds(triggeredAt, succeededAt));
    git.deleteBranch(GIT_REPOSITORY, branch);
    environments.deleteAndAwaitGone(env);
  }

  @Test
  void aDagFileThatFailsToImportIsShownInStatusGitHubAndSlackAndTheFixClearsIt() {
    String branch = "feature/broken-dag";
    String first = git.push(GIT_REPOSITORY, branch, sampleFiles);
    createRepository(Executor.LocalExecutor, true);
    WorkflowEnvironment env = client.resource(environment(branch, first)).create();
    awaitReady(env);
    awaitImports(env, first, ConditionStatus.True);
    String ts = awaitSlackMessage(env);

    // A push whose DAG file fails to import reaches the author in status, GitHub and Slack.
    Map<String, String> broken = new HashMap<>(sampleFiles);
    broken.put(
        "dags/broken.py",
        "from datetime import datetime\n"
            + "from airflow.sdk import dag\n"
            + "import branchflow_no_such_module\n");
    long brokenAt = System.nanoTime();
    String second = git.push(GIT_REPOSITORY, branch, broken);
    environments.edit(env, e -> e.getSpec().setCommitSha(second));
    long[] seen = awaitEverywhere(env, second, "failure", ts, 1);
    WorkflowEnvironmentStatus failing = environments.status(env).orElseThrow();
    Condition imported = condition(failing, "DagsImported").orElseThrow();
    assertThat(imported.getMessage())
        .startsWith(
            "1 DAG file(s) failed to import; first: dags/broken.py:3: ModuleNotFoundError: No"
                + " module named 'branchflow_no_such_module'");
    assertThat(failing.getPhase()).as("the other DAGs still run").isEqualTo(Phase.Ready);
    assertThat(failing.getDags().getErrors())
        .singleElement()
        .satisfies(e -> assertThat(e.getFile() + ":" + e.getLine()).isEqualTo("dags/broken.py:3"));
    assertThat(github.commitStatuses())
        .filteredOn(c -> c.get("sha").asText().equals(second))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.get("context").asText()).isEqualTo("branchflow/dags");
              assertThat(c.get("description").asText()).contains("dags/broken.py:3");
              assertThat(c.get("target_url").asText()).isEqualTo(failing.getUrl());
            });
    assertThat(slack.replies(ts).get(0).text())
        .contains("`dags/broken.py` line 3: ModuleNotFoundError");

    // The next push fixes it: cleared everywhere.
    Map<String, String> fixed = new HashMap<>(broken);
    fixed.put("dags/broken.py", dag("repaired"));
    long fixedAt = System.nanoTime();
    String third = git.push(GIT_REPOSITORY, branch, fixed);
    environments.edit(env, e -> e.getSpec().setCommitSha(third));
    long[] cleared = awaitEverywhere(env, third, "success", ts, 2);
    assertThat(slack.replies(ts).get(1).text()).contains("Fixed: every DAG file");
    assertThat(slack.replies(ts)).hasSize(2);
    // Each commit's status says what that commit did: never another commit's result.
    assertThat(github.commitStatuses())
        .allSatisfy(
            c ->
                assertThat(c.get("state").asText())
                    .as("commit status of " + c.get("sha").asText())
                    .isEqualTo(second.equals(c.get("sha").asText()) ? "failure" : "success"));
    assertThat(environments.status(env).orElseThrow().getDags().getErrorCount()).isZero();

    System.out.printf(
        "real Airflow, import errors: push -> shown in status %.1f s, GitHub %.1f s, Slack %.1f"
            + " s; fixing push -> cleared in status %.1f s, GitHub %.1f s, Slack %.1f s%n",
        seconds(brokenAt, seen[0]),
        seconds(brokenAt, seen[1]),
        seconds(brokenAt, seen[2]),
        seconds(fixedAt, cleared[0]),
        seconds(fixedAt, cleared[1]),
        seconds(fixedAt, cleared[2]));
    git.deleteBranch(GIT_REPOSITORY, branch);
    environments.deleteAndAwaitGone(env);
  }

  @Test
  void anAirflowIdleForIdleAfterIsSuspendedAndAPushWakesIt() {
    String branch = "feature/sleepy";
    String first = git.push(GIT_REPOSITORY, branch, sampleFiles);
    createRepository(Executor.LocalExecutor, true, "1m");
    WorkflowEnvironment env = client.resource(environment(branch, first)).create();
    String envNs = Environments.namespaceOf(env);
    awaitReady(env);
    AirflowRest airflow = new AirflowRest(client, envNs);
    assertThat(airflow.login("admin", password(envNs)).status()).isEqualTo(201);

    // A DAG run is use: its tasks' start and end are in Airflow's event log, and so is the
    // trigger. The operator's own reads (every 30 s) are not: the clock counts from the run.
    runToSuccess(airflow, "hello_branch");
    JsonNode newest = airflow.eventLog(1).get(0);
    Instant lastUse = OffsetDateTime.parse(newest.path("when").asText()).toInstant();
    System.out.printf(
        "real Airflow, idle: the last use in its event log: %s %s%n",
        newest.path("when").asText(), newest.path("event").asText());
    WorkflowEnvironmentStatus asleep =
        await("suspended for idleness")
            .atMost(Duration.ofMinutes(4))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () -> environments.status(env).orElseThrow(), s -> s.getPhase() == Phase.Suspended);
    assertThat(environments.get(env).getSpec().getSuspend()).isTrue();
    Instant since = Instant.parse(asleep.getIdle().getSince());
    Instant suspendedAt = Instant.parse(asleep.getIdle().getSuspendedAt());
    assertThat(since)
        .as("the last use: the run, not the operator's polls since")
        .isAfterOrEqualTo(lastUse)
        .isBefore(lastUse.plusSeconds(30));
    assertThat(suspendedAt).isAfterOrEqualTo(since.plusSeconds(60));
    await("Slack says it is idle and how to wake it")
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                slack.updates(environments.status(env).orElseThrow().getSlack().getTs()).stream()
                    .anyMatch(u -> u.blocksText().contains("Idle for 1m (limits.idleAfter)")));

    // A push wakes it; the time until its API answers and until Ready is what a user waits.
    Map<String, String> touched = new HashMap<>(sampleFiles);
    touched.put("README.md", "woken\n");
    long pushedAt = System.nanoTime();
    String second = git.push(GIT_REPOSITORY, branch, touched);
    environments.edit(env, e -> e.getSpec().setCommitSha(second));
    await("Airflow's API answering again")
        .atMost(AIRFLOW_START)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions() // the proxy's connection refused while the pod starts
        .until(() -> airflow.health().status() == 200);
    long answeringAt = System.nanoTime();
    awaitReady(env);
    long readyAt = System.nanoTime();
    assertThat(environments.get(env).getSpec().getSuspend()).isFalse();
    System.out.printf(
        "real Airflow, idle: suspended %d s after the last use (limits.idleAfter 1m); push ->"
            + " API answering %.1f s, -> Ready %.1f s%n",
        Duration.between(since, suspendedAt).toSeconds(),
        seconds(pushedAt, answeringAt),
        seconds(pushedAt, readyAt));
    git.deleteBranch(GIT_REPOSITORY, branch);
    environments.deleteAndAwaitGone(env);
  }

  @Test
  void aTaskThatFailsIsOneThreadedReplyInSlackNamingItsDagAndTask() {
    String branch = "feature/failing-task";
    Map<String, String> files = new HashMap<>(sampleFiles);
    files.put(
        "dags/fails_on_purpose.py",
        "from datetime import datetime\n"
            + "from airflow.sdk import dag, task\n\n"
            + "@dag(dag_id=\"fails_on_purpose\", schedule=None, start_date=datetime(2026, 1, 1),"
            + " catchup=False)\n"
            + "def pipeline():\n"
            + "    @task(retries=0)\n"
            + "    def breaks():\n"
            + "        raise RuntimeError(\"failing on purpose\")\n"
            + "    breaks()\n\n"
            + "pipeline()\n");
    String commit = git.push(GIT_REPOSITORY, branch, files);
    createRepository(Executor.LocalExecutor, true);
    WorkflowEnvironment env = client.resource(environment(branch, commit)).create();
    String envNs = Environments.namespaceOf(env);
    WorkflowEnvironmentStatus ready = awaitReady(env);
    String ts = awaitSlackMessage(env);
    AirflowRest airflow = new AirflowRest(client, envNs);
    assertThat(airflow.login("admin", password(envNs)).status()).isEqualTo(201);
    await("the failing DAG listed")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> airflow.dagIds().contains("fails_on_purpose"));
    assertThat(slack.replies(ts)).as("nothing failed yet").isEmpty();

    long triggeredAt = System.nanoTime();
    String run = airflow.trigger("fails_on_purpose");
    long[] seen = new long[2]; // run failed, Slack reply
    await("the run failed and the thread says so")
        .atMost(RUN)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              long now = System.nanoTime();
              if (seen[0] == 0 && airflow.runState("fails_on_purpose", run).equals("failed")) {
                seen[0] = now;
              }
              if (seen[1] == 0 && !slack.replies(ts).isEmpty()) {
                seen[1] = now;
              }
              return seen[0] != 0 && seen[1] != 0;
            });
    assertThat(slack.replies(ts))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.text())
                    .contains("Task `breaks` of DAG `fails_on_purpose` failed in `" + branch + "`")
                    .contains("(try 1, run `" + run + "`)")
                    .contains(
                        "<" + ready.getUrl().replaceAll("/$", "") + "/dags/fails_on_purpose/runs/")
                    .contains("/tasks/breaks?try_number=1|log>"));
    WorkflowEnvironmentStatus failed = environments.status(env).orElseThrow();
    assertThat(failed.getTaskFailures().getCount()).isEqualTo(1);
    assertThat(failed.getTaskFailures().getNewest())
        .singleElement()
        .satisfies(f -> assertThat(f.getRunId()).isEqualTo(run));
    assertThat(failed.getPhase()).as("a failing task is the DAG's business").isEqualTo(Phase.Ready);
    // Longer than a steady poll (30 s): Airflow is asked again, the failure is not replied again.
    await("no second reply for the same failure")
        .during(Duration.ofSeconds(40))
        .atMost(Duration.ofSeconds(60))
        .until(() -> slack.replies(ts).size() == 1);

    System.out.printf(
        "real Airflow, task failure: trigger -> run failed %.1f s, trigger -> Slack reply %.1f s"
            + " (run failed -> reply %.1f s)%n",
        seconds(triggeredAt, seen[0]), seconds(triggeredAt, seen[1]), seconds(seen[0], seen[1]));
    git.deleteBranch(GIT_REPOSITORY, branch);
    environments.deleteAndAwaitGone(env);
  }

  /** The ts of the environment's Slack message, once the reporter recorded it. */
  private String awaitSlackMessage(WorkflowEnvironment env) {
    return await("the Slack message recorded")
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                environments
                    .status(env)
                    .map(WorkflowEnvironmentStatus::getSlack)
                    .map(SlackMessage::getTs)
                    .orElse(null),
            java.util.Objects::nonNull);
  }

  /** Condition DagsImported of {@code commit} with {@code status}. */
  private void awaitImports(WorkflowEnvironment env, String commit, ConditionStatus status) {
    await("DagsImported " + status + " for " + commit.substring(0, 7))
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> importsOf(env, commit, status));
  }

  private boolean importsOf(WorkflowEnvironment env, String commit, ConditionStatus status) {
    return environments
        .status(env)
        .filter(s -> s.getDags() != null && commit.equals(s.getDags().getCommit()))
        .flatMap(s -> condition(s, "DagsImported"))
        .filter(c -> c.getStatus() == status)
        .isPresent();
  }

  /**
   * Waits until {@code commit}'s import result shows in the status, as the GitHub commit status
   * {@code state}, and as the {@code replies}-th reply in the Slack thread; returns when each was
   * first seen (nanoTime), for the timings the closing note reports.
   */
  private long[] awaitEverywhere(
      WorkflowEnvironment env, String commit, String state, String ts, int replies) {
    long[] seen = new long[3];
    ConditionStatus status = "success".equals(state) ? ConditionStatus.True : ConditionStatus.False;
    await("import result of " + commit.substring(0, 7) + " in status, GitHub and Slack")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              long now = System.nanoTime();
              if (seen[0] == 0 && importsOf(env, commit, status)) {
                seen[0] = now;
              }
              if (seen[1] == 0
                  && github.commitStatuses().stream()
                      .anyMatch(
                          c ->
                              c.get("sha").asText().equals(commit)
                                  && c.get("state").asText().equals(state))) {
                seen[1] = now;
              }
              if (seen[2] == 0 && slack.replies(ts).size() >= replies) {
                seen[2] = now;
              }
              return seen[0] != 0 && seen[1] != 0 && seen[2] != 0;
            });
    return seen;
  }

  /** KubernetesExecutor task pods of the environment (the pod template's component label). */
  private List<Pod> taskPods(String envNs) {
    return client
        .pods()
        .inNamespace(envNs)
        .withLabel("app.kubernetes.io/component", "worker")
        .list()
        .getItems();
  }

  private void createRepository(Executor executor) {
    createRepository(executor, false);
  }

  private void createRepository(Executor executor, boolean announced) {
    createRepository(executor, announced, null);
  }

  /**
   * {@code announced}: with the GitHub token and Slack settings the stand-ins answer for; {@code
   * idleAfter}: limits.idleAfter (null: none).
   */
  private void createRepository(Executor executor, boolean announced, String idleAfter) {
    client
        .resources(WorkflowRepository.class)
        .inNamespace(ns)
        .withName(Fixtures.REPOSITORY_OBJECT)
        .delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client
                        .resources(WorkflowRepository.class)
                        .inNamespace(ns)
                        .withName(Fixtures.REPOSITORY_OBJECT)
                        .get()
                    == null);
    WorkflowRepository repository = Fixtures.repository(ns);
    repository.getSpec().setCloneUrl(git.cloneUrl(GIT_REPOSITORY));
    repository.getSpec().getProductionData().setServiceAccountAnnotations(null);
    var template = repository.getSpec().getTemplate();
    template.setImage(AIRFLOW_IMAGE);
    template.setExecutor(executor);
    var database = new io.branchflow.api.v1alpha1.DatabaseStorage();
    database.setImage(POSTGRES_IMAGE);
    template.setDatabase(database);
    GitSyncSettings dags = new GitSyncSettings();
    dags.setPeriodSeconds(10);
    template.setGitSync(dags);
    template.setNodeSelector(RealNode.nodeSelector());
    template.setTolerations(List.of(RealNode.toleration()));
    // Default deny, with exactly the git host, the warehouse, DNS and (KubernetesExecutor's
    // scheduler) the Kubernetes API opened: the real Airflow must work inside these fences.
    template.setNetworkPolicy(RealNodeEgress.settings(client, git.cloneUrl(GIT_REPOSITORY)));
    if (announced) {
      repository.getSpec().setGithubTokenRef(new SecretKeyRef("acme-dags-github", "token"));
      repository.getSpec().setSlack(Fixtures.slack("slack-bot"));
    }
    if (idleAfter != null) {
      repository.getSpec().setLimits(new EnvironmentLimits());
      repository.getSpec().getLimits().setIdleAfter(idleAfter);
    }
    client.resource(repository).create();
  }

  private WorkflowEnvironment environment(String branch, String commit) {
    WorkflowEnvironment env = Fixtures.environment(ns, branch);
    env.getSpec().setCommitSha(commit);
    return env;
  }

  private WorkflowEnvironmentStatus awaitReady(WorkflowEnvironment env) {
    await("Airflow of " + env.getSpec().getBranch() + " Ready")
        .atMost(AIRFLOW_START)
        .pollInterval(Duration.ofSeconds(2))
        .until(() -> environments.phase(env) == Phase.Ready);
    return environments.status(env).orElseThrow();
  }

  private void awaitLoaded(WorkflowEnvironment env, String commit) {
    await("status.revision " + commit.substring(0, 7))
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () ->
                environments
                    .status(env)
                    .filter(s -> commit.substring(0, 7).equals(s.getRevision()))
                    .flatMap(s -> condition(s, "DagsLoaded"))
                    .filter(c -> c.getStatus() == ConditionStatus.True)
                    .isPresent());
  }

  private static Optional<Condition> condition(WorkflowEnvironmentStatus s, String type) {
    return s.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  private String runToSuccess(AirflowRest airflow, String dagId) {
    return runToSuccess(airflow, dagId, () -> {});
  }

  /**
   * Triggers a run and waits for its success (failing at once if it fails); {@code watch} runs at
   * every poll.
   */
  private String runToSuccess(AirflowRest airflow, String dagId, Runnable watch) {
    String run = airflow.trigger(dagId);
    await(dagId + "'s run")
        .atMost(RUN)
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              watch.run();
              String state = airflow.runState(dagId, run);
              assertThat(state).as(dagId + " run state").isNotEqualTo("failed");
              return state.equals("success");
            });
    return run;
  }

  private String password(String envNs) {
    Secret login = client.secrets().inNamespace(envNs).withName("airflow-login").get();
    return new String(
        Base64.getDecoder().decode(login.getData().get("password")), StandardCharsets.UTF_8);
  }

  /** Pod name -> restart count of every container, for "nothing was replaced or restarted". */
  private Map<String, Pod> pods(String envNs) {
    Map<String, Pod> pods = new HashMap<>();
    client.pods().inNamespace(envNs).list().getItems().stream()
        .filter(p -> "Running".equals(p.getStatus().getPhase()))
        .forEach(
            p -> {
              p.getStatus().getContainerStatuses().forEach(c -> c.setState(null));
              p.getStatus().getContainerStatuses().forEach(c -> c.setLastState(null));
              p.getStatus().getContainerStatuses().forEach(c -> c.setReady(null));
              pods.put(p.getMetadata().getName(), restartsOnly(p));
            });
    return pods;
  }

  private static Pod restartsOnly(Pod p) {
    Pod copy = new Pod();
    copy.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withUid(p.getMetadata().getUid())
            .build());
    copy.setStatus(
        new io.fabric8.kubernetes.api.model.PodStatusBuilder()
            .withContainerStatuses(
                p.getStatus().getContainerStatuses().stream()
                    .map(
                        c ->
                            new io.fabric8.kubernetes.api.model.ContainerStatusBuilder()
                                .withName(c.getName())
                                .withRestartCount(c.getRestartCount())
                                .build())
                    .toList())
            .build());
    return copy;
  }

  /** The host directories of the environment's volumes (the local cluster's hostPath PVs). */
  private List<Path> volumeDirectories(String envNs) {
    return client.persistentVolumeClaims().inNamespace(envNs).list().getItems().stream()
        .map(c -> client.persistentVolumes().withName(c.getSpec().getVolumeName()).get())
        .map(PersistentVolume::getSpec)
        .filter(s -> s.getHostPath() != null)
        .map(s -> Path.of(s.getHostPath().getPath()))
        .toList();
  }

  /** Processes on this machine in the cgroup of any of these pods. */
  private static List<String> processesOfPods(List<String> podUids) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        String cgroup;
        try {
          cgroup = Files.readString(proc.resolve("cgroup"));
        } catch (IOException gone) {
          continue;
        }
        for (String uid : podUids) {
          if (cgroup.contains("pod" + uid) || cgroup.contains("pod" + uid.replace('-', '_'))) {
            found.add(proc.getFileName() + " (pod " + uid + ")");
          }
        }
      }
    }
    return found;
  }

  /** The UI as a browser on this machine reaches it: the API server pod's address on the node. */
  private String uiUrl(String envNs) {
    Pod api =
        client
            .pods()
            .inNamespace(envNs)
            .withLabel("app.kubernetes.io/component", "api-server")
            .list()
            .getItems()
            .stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .findFirst()
            .orElseThrow();
    return "http://" + api.getStatus().getPodIP() + ":8080";
  }

  /** examples/dags, as the repository acme/dags holds it. */
  private static Map<String, String> sampleDagRepository() throws IOException {
    Path root = RepositoryRoot.find().resolve("examples/dags");
    Map<String, String> files = new HashMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path file :
          walk.filter(Files::isRegularFile)
              .filter(f -> !f.toString().contains("__pycache__"))
              .toList()) {
        files.put(root.relativize(file).toString(), Files.readString(file));
      }
    }
    return files;
  }

  private static String dag(String id) {
    return "from datetime import datetime\n"
        + "from airflow.sdk import dag, task\n\n"
        + "@dag(dag_id=\""
        + id
        + "\", schedule=None, start_date=datetime(2026, 1, 1), catchup=False)\n"
        + "def pipeline():\n"
        + "    @task\n"
        + "    def step():\n"
        + "        print(\""
        + id
        + "\")\n"
        + "    step()\n\n"
        + "pipeline()\n";
  }

  private static double seconds(long from, long to) {
    return (to - from) / 1e9;
  }
}
