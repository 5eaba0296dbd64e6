package io.branchflow.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.branchflow.api.Labels;
import io.branchflow.api.v1alpha1.Condition;
import io.branchflow.api.v1alpha1.ConditionStatus;
import io.branchflow.api.v1alpha1.Executor;
import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.SecretKeyRef;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentStatus;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.testing.Kubectl;
import io.branchflow.testing.KubernetesClusterExtension;
import io.branchflow.testing.NeedsKwok;
import io.branchflow.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One environment's life as its users see it, with the operator running in this JVM under its
 * production RBAC against a real API server (pods "run" through kwok).
 */
@NeedsKwok(
    "every test waits for an environment to become Ready (PostgreSQL, migration Job and Airflow pods Ready); one also needs the kwok-exit-1 stage to fail a migration Job")
@ExtendWith(KubernetesClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EnvironmentLifecycleE2ETest {

  private final TestCluster cluster;
  private final KubernetesClient client;
  private final Kubectl kubectl;
  private final Environments environments;
  private String ns;
  private OperatorUnderTest operator;

  EnvironmentLifecycleE2ETest(TestCluster cluster) {
    this.cluster = cluster;
    this.client = cluster.client();
    this.kubectl = cluster.kubectl();
    this.environments = new Environments(client, kubectl);
  }

  @BeforeAll
  void startOperator() {
    ns = Fixtures.branchflowNamespace(client, "lifecycle");
    Fixtures.createRepository(client, ns);
    operator = OperatorUnderTest.start(cluster, ns);
  }

  @AfterAll
  void stopOperator() {
    // Environments go first, while the operator can still release their finalizers.
    environments.deleteAllAndAwaitGone(ns);
    operator.closeAndRemove(client, ns);
  }

  @Test
  void featureBranchBecomesReadyWithEveryComponentRunningAndAUrl() {
    long start = System.nanoTime();
    WorkflowEnvironment env = client.resource(Fixtures.environment(ns, "feature/hardy")).create();

    WorkflowEnvironmentStatus status = environments.awaitPhase(env, Phase.Ready);
    // Reported, not asserted: speed is measured by benchmarks, not by tests.
    System.out.printf(
        "[measure] 1 environment: create->Ready %d ms%n", (System.nanoTime() - start) / 1_000_000);

    String envNs = Environments.namespaceOf(env);
    assertThat(status.getNamespace()).isEqualTo(envNs);
    assertThat(status.getUrl())
        .isEqualTo("http://" + env.getMetadata().getName() + ".airflow.localhost/");
    assertThat(status.getReadyAt()).isNotBlank();
    // kwok's pods only look real: there is no Airflow to ask which commit it loaded, and the
    // status says so instead of claiming the pushed one (RealAirflowE2ETest has the real answer).
    assertThat(status.getRevision()).isNull();
    await("DagsLoaded says Airflow's API did not answer")
        .atMost(Environments.PATIENCE)
        .until(
            () ->
                environments.status(env).orElseThrow().getConditions().stream()
                    .anyMatch(
                        c ->
                            "DagsLoaded".equals(c.getType())
                                && c.getStatus() == ConditionStatus.Unknown
                                && c.getMessage().startsWith("Airflow's API")));
    assertThat(status.getObservedGeneration())
        .isEqualTo(environments.get(env).getMetadata().getGeneration());
    assertThat(status.getConditions())
        .extracting(Condition::getType, Condition::getStatus)
        .contains(
            org.assertj.core.groups.Tuple.tuple("Ready", ConditionStatus.True),
            org.assertj.core.groups.Tuple.tuple("DatabaseReady", ConditionStatus.True),
            org.assertj.core.groups.Tuple.tuple("MigrationComplete", ConditionStatus.True),
            org.assertj.core.groups.Tuple.tuple("ComponentsReady", ConditionStatus.True));
    List<Deployment> deployments = client.apps().deployments().inNamespace(envNs).list().getItems();
    assertThat(deployments)
        .extracting(d -> d.getMetadata().getLabels().get(Labels.COMPONENT))
        .containsExactlyInAnyOrder("scheduler", "dag-processor", "api-server");
    assertThat(deployments)
        .allSatisfy(d -> assertThat(d.getStatus().getReadyReplicas()).isEqualTo(1));
    List<Pod> pods =
        client
            .pods()
            .inNamespace(envNs)
            .withLabel("app.kubernetes.io/component", "scheduler")
            .list()
            .getItems();
    assertThat(pods).isNotEmpty();
    // The scheduler loads the environment's configuration, whose DAG bundle tracks this branch.
    assertThat(pods.get(0).getSpec().getContainers().get(0).getEnvFrom())
        .anySatisfy(
            e ->
                assertThat(e.getConfigMapRef() == null ? null : e.getConfigMapRef().getName())
                    .isEqualTo("airflow-config"));
    assertThat(
            client
                .configMaps()
                .inNamespace(envNs)
                .withName("airflow-config")
                .get()
                .getData()
                .get("AIRFLOW__DAG_PROCESSOR__DAG_BUNDLE_CONFIG_LIST"))
        .contains("\"tracking_ref\":\"feature/hardy\"");
    assertThat(client.network().v1().ingresses().inNamespace(envNs).list().getItems())
        .singleElement()
        .satisfies(
            i ->
                assertThat(i.getSpec().getRules().get(0).getHost())
                    .isEqualTo(env.getMetadata().getName() + ".airflow.localhost"));

    String table = kubectl.run("get", "wfe", "-n", ns);
    assertThat(table.lines().findFirst().orElseThrow())
        .containsSubsequence("NAME", "BRANCH", "PHASE", "REVISION", "URL", "AGE");
    assertThat(table)
        .containsPattern(
            env.getMetadata().getName()
                + "\\s+feature/hardy\\s+Ready\\s+"
                + status.getUrl().replace(".", "\\."));
  }

  @Test
  void serviceAccountReadsItsOwnCopiedSecretAndNoOtherNamespacesSecrets() {
    WorkflowEnvironment env = client.resource(Fixtures.environment(ns, "feature/rbac")).create();
    environments.awaitPhase(env, Phase.Ready);
    String envNs = Environments.namespaceOf(env);

    assertThat(environments.secretValue(envNs, Fixtures.PRODUCTION_SECRET, "password"))
        .isNotNull()
        .isEqualTo(environments.secretValue(ns, Fixtures.PRODUCTION_SECRET, "password"));
    // The workload identity only on the identity of the pods that run tasks (airflow-tasks).
    assertThat(
            client
                .serviceAccounts()
                .inNamespace(envNs)
                .withName("airflow-tasks")
                .get()
                .getMetadata()
                .getAnnotations())
        .containsEntry(Fixtures.WORKLOAD_IDENTITY, "dags-reader@acme-prod.iam.gserviceaccount.com");
    assertThat(
            client
                .serviceAccounts()
                .inNamespace(envNs)
                .withName("airflow")
                .get()
                .getMetadata()
                .getAnnotations())
        .isNullOrEmpty();

    assertThat(canGetSecret(envNs, envNs, Fixtures.PRODUCTION_SECRET)).isTrue();
    assertThat(canGetSecret(envNs, ns, Fixtures.PRODUCTION_SECRET)).isFalse();
    assertThat(canGetSecret(envNs, "kube-system", "anything")).isFalse();
    assertThat(canGetSecret(envNs, "default", Fixtures.PRODUCTION_SECRET)).isFalse();

    WorkflowEnvironment other =
        client.resource(Fixtures.environment(ns, "feature/rbac-other")).create();
    environments.awaitPhase(other, Phase.Ready);
    assertThat(canGetSecret(envNs, Environments.namespaceOf(other), Fixtures.PRODUCTION_SECRET))
        .isFalse();
    assertThat(canGetSecret(envNs, envNs, "airflow-secrets"))
        .as("generated secrets are mounted, not read through the API")
        .isFalse();
  }

  @Test
  void copiedSecretFollowsItsSource() {
    WorkflowEnvironment env = client.resource(Fixtures.environment(ns, "feature/sync")).create();
    environments.awaitPhase(env, Phase.Ready);
    client
        .resource(
            Fixtures.productionSecret(
                ns, Fixtures.PRODUCTION_SECRET, Map.of("password", "rotated")))
        .update();

    await("copy of the rotated secret")
        .atMost(Environments.PATIENCE)
        .until(
            () ->
                "rotated"
                    .equals(
                        environments.secretValue(
                            Environments.namespaceOf(env),
                            Fixtures.PRODUCTION_SECRET,
                            "password")));
  }

  /**
   * Naming a Secret in productionData is not enough: its owner's label must say branch code may
   * read it, and taking the label or the name away takes the copies away.
   */
  @Test
  void productionDataIsCopiedOnlyWithItsOwnersOptInAndRemovedWhenRevoked() {
    String lakehouse = "lakehouse-opt-in";
    client.resource(Fixtures.secret(ns, lakehouse, Map.of("token", "lake-value"))).create();
    WorkflowRepository repository = Fixtures.repository(ns);
    repository.getMetadata().setName("acme-dags-opt-in");
    repository
        .getSpec()
        .getProductionData()
        .setSecretNames(List.of(Fixtures.PRODUCTION_SECRET, lakehouse));
    client.resource(repository).create();
    WorkflowEnvironment created = Fixtures.environment(ns, "feature/opt-in");
    created.getSpec().setRepositoryRef("acme-dags-opt-in");
    WorkflowEnvironment env = client.resource(created).create();
    String envNs = Environments.namespaceOf(env);

    environments.awaitPhase(env, Phase.Ready);
    Condition notOptedIn = awaitProductionData(env, ConditionStatus.False);
    assertThat(notOptedIn.getReason()).isEqualTo("ProductionDataNotOptedIn");
    assertThat(notOptedIn.getMessage())
        .contains(ns + "/" + lakehouse)
        .contains("branchflow.io/production-data=read-only")
        .doesNotContain(Fixtures.PRODUCTION_SECRET)
        .doesNotContain("lake-value");
    assertThat(client.secrets().inNamespace(envNs).withName(lakehouse).get()).isNull();
    String production = environments.secretValue(ns, Fixtures.PRODUCTION_SECRET, "password");
    assertThat(environments.secretValue(envNs, Fixtures.PRODUCTION_SECRET, "password"))
        .isEqualTo(production);

    setOptIn(lakehouse, true);
    awaitCopy(envNs, lakehouse, true);
    assertThat(environments.secretValue(envNs, lakehouse, "token")).isEqualTo("lake-value");
    assertThat(awaitProductionData(env, ConditionStatus.True).getMessage())
        .contains(Fixtures.PRODUCTION_SECRET)
        .contains(lakehouse);

    setOptIn(lakehouse, false);
    awaitCopy(envNs, lakehouse, false);

    setOptIn(lakehouse, true);
    awaitCopy(envNs, lakehouse, true);
    client
        .resources(WorkflowRepository.class)
        .inNamespace(ns)
        .withName("acme-dags-opt-in")
        .edit(
            r -> {
              r.getSpec().getProductionData().setSecretNames(List.of(Fixtures.PRODUCTION_SECRET));
              return r;
            });
    awaitCopy(envNs, lakehouse, false);
    assertThat(environments.secretValue(envNs, Fixtures.PRODUCTION_SECRET, "password"))
        .as("the Secret still named keeps its copy")
        .isEqualTo(production);
  }

  /** KubernetesExecutor's right to launch pods goes with it, not with the environment. */
  @Test
  void switchingToLocalExecutorRemovesThePodLaunchingRole() {
    WorkflowRepository repository = Fixtures.repository(ns);
    repository.getMetadata().setName("acme-dags-executor");
    repository.getSpec().getTemplate().setExecutor(Executor.KubernetesExecutor);
    client.resource(repository).create();
    WorkflowEnvironment created = Fixtures.environment(ns, "feature/executor");
    created.getSpec().setRepositoryRef("acme-dags-executor");
    WorkflowEnvironment env = client.resource(created).create();
    String envNs = Environments.namespaceOf(env);
    // The scheduler (ServiceAccount airflow under KubernetesExecutor) launches the task pods.
    await("the scheduler may launch task pods")
        .atMost(Environments.PATIENCE)
        .until(() -> allowedAs("airflow", envNs, envNs, "create", "pods", null));

    client
        .resources(WorkflowRepository.class)
        .inNamespace(ns)
        .withName("acme-dags-executor")
        .edit(
            r -> {
              r.getSpec().getTemplate().setExecutor(Executor.LocalExecutor);
              return r;
            });

    await("the pod-launching Role and its binding removed")
        .atMost(Environments.PATIENCE)
        .until(
            () ->
                client.rbac().roles().inNamespace(envNs).withName("airflow-executor").get() == null
                    && client
                            .rbac()
                            .roleBindings()
                            .inNamespace(envNs)
                            .withName("airflow-executor")
                            .get()
                        == null);
    assertThat(allowedAs("airflow", envNs, envNs, "create", "pods", null)).isFalse();
    assertThat(canGetSecret(envNs, envNs, Fixtures.PRODUCTION_SECRET))
        .as("the production data Role stays")
        .isTrue();
  }

  private void setOptIn(String secret, boolean optIn) {
    client
        .secrets()
        .inNamespace(ns)
        .withName(secret)
        .edit(
            s -> {
              if (optIn) {
                s.getMetadata()
                    .setLabels(Map.of(Labels.PRODUCTION_DATA, Labels.PRODUCTION_DATA_READ_ONLY));
              } else {
                s.getMetadata().setLabels(null);
              }
              return s;
            });
  }

  private void awaitCopy(String envNs, String secret, boolean present) {
    await(present ? "copy of " + secret : "copy of " + secret + " removed")
        .atMost(Environments.PATIENCE)
        .until(
            () -> (client.secrets().inNamespace(envNs).withName(secret).get() != null) == present);
  }

  private Condition awaitProductionData(WorkflowEnvironment env, ConditionStatus wanted) {
    return await("condition ProductionData " + wanted)
        .atMost(Environments.PATIENCE)
        .until(
            () ->
                environments.status(env).orElseThrow().getConditions().stream()
                    .filter(c -> "ProductionData".equals(c.getType()) && c.getStatus() == wanted)
                    .findFirst()
                    .orElse(null),
            java.util.Objects::nonNull);
  }

  @Test
  void deletedOrHandEditedSchedulerIsRestored() {
    WorkflowEnvironment env = client.resource(Fixtures.environment(ns, "feature/drift")).create();
    environments.awaitPhase(env, Phase.Ready);
    var schedulers =
        client
            .apps()
            .deployments()
            .inNamespace(Environments.namespaceOf(env))
            .withName("airflow-scheduler");
    String originalUid = schedulers.get().getMetadata().getUid();

    schedulers.delete();
    await("scheduler recreated")
        .atMost(Environments.PATIENCE)
        .until(
            () -> {
              Deployment d = schedulers.get();
              return d != null && !d.getMetadata().getUid().equals(originalUid);
            });

    // What a person with kubectl does: another field manager changes the image.
    kubectl.run(
        "patch",
        "deployment/airflow-scheduler",
        "-n",
        Environments.namespaceOf(env),
        "--type=json",
        "-p",
        "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\","
            + "\"value\":\"evil/airflow:latest\"}]");
    await("scheduler image restored")
        .atMost(Environments.PATIENCE)
        .until(
            () ->
                schedulers
                    .get()
                    .getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .get(0)
                    .getImage()
                    .equals(Fixtures.IMAGE));
    environments.awaitPhase(env, Phase.Ready);
  }

  @Test
  void failingMigrationFailsTheEnvironmentWithTheReasonAndFixingTheImageMakesItReady() {
    WorkflowEnvironment env =
        client
            .resource(
                Fixtures.environment(
                    ns, "feature/broken-migration", Fixtures.IMAGE_WHOSE_MIGRATION_FAILS))
            .create();
    String envNs = Environments.namespaceOf(env);

    WorkflowEnvironmentStatus failed = environments.awaitPhase(env, Phase.Failed);

    assertThat(failed.getMessage())
        .startsWith("migration job failed: see `kubectl logs job/airflow-migrate-")
        .contains("-n " + envNs + "`");
    assertThat(failed.getConditions())
        .filteredOn(c -> c.getType().equals("MigrationComplete"))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo(ConditionStatus.False);
              assertThat(c.getReason()).isEqualTo("MigrationFailed");
            });
    assertThat(client.apps().deployments().inNamespace(envNs).list().getItems())
        .as("no Airflow component starts on a database that failed to migrate")
        .isEmpty();
    assertThat(
            kubectl.run(
                "get",
                "events",
                "-n",
                ns,
                "--field-selector",
                "involvedObject.name=" + env.getMetadata().getName()))
        .contains("Failed");

    environments.edit(
        env,
        e -> {
          e.getSpec().getOverrides().setImage(Fixtures.IMAGE);
        });

    environments.awaitPhase(env, Phase.Ready);
    await("failed migration job removed")
        .atMost(Environments.PATIENCE)
        .until(() -> client.batch().v1().jobs().inNamespace(envNs).list().getItems().size() == 1);
  }

  @Test
  void suspendScalesAirflowToZeroAndKeepsDatabaseAndSecretsResumeBringsItBack() {
    WorkflowEnvironment env = client.resource(Fixtures.environment(ns, "feature/sleepy")).create();
    environments.awaitPhase(env, Phase.Ready);
    String envNs = Environments.namespaceOf(env);
    String password = environments.secretValue(envNs, "airflow-secrets", "POSTGRES_PASSWORD");
    var database = client.apps().statefulSets().inNamespace(envNs).withName("postgres");
    String databaseUid = database.get().getMetadata().getUid();

    environments.setSuspend(env, true);
    environments.awaitPhase(env, Phase.Suspended);
    await("Airflow pods gone")
        .atMost(Environments.PATIENCE)
        .until(() -> airflowPods(envNs).isEmpty());
    assertThat(client.apps().deployments().inNamespace(envNs).list().getItems())
        .isNotEmpty()
        .allSatisfy(d -> assertThat(d.getSpec().getReplicas()).isZero());
    assertThat(database.get().getStatus().getReadyReplicas()).isEqualTo(1);

    environments.setSuspend(env, false);
    environments.awaitPhase(env, Phase.Ready);
    assertThat(airflowPods(envNs)).hasSize(3);
    assertThat(environments.secretValue(envNs, "airflow-secrets", "POSTGRES_PASSWORD"))
        .isEqualTo(password);
    assertThat(database.get().getMetadata().getUid()).isEqualTo(databaseUid);
  }

  @Test
  void aNewPushKeepsTheDatabaseAndMigratesNothing() {
    WorkflowEnvironment env = client.resource(Fixtures.environment(ns, "feature/pushy")).create();
    environments.awaitPhase(env, Phase.Ready);
    String envNs = Environments.namespaceOf(env);
    var database = client.apps().statefulSets().inNamespace(envNs).withName("postgres");
    String databaseUid = database.get().getMetadata().getUid();
    String databaseGeneration = String.valueOf(database.get().getMetadata().getGeneration());

    environments.edit(
        env,
        e -> {
          e.getSpec().setCommitSha("fedcba9876543210fedcba9876543210fedcba98");
        });

    long pushed = environments.get(env).getMetadata().getGeneration();
    await("the push reconciled")
        .atMost(Environments.PATIENCE)
        .until(
            () ->
                Long.valueOf(pushed)
                    .equals(environments.status(env).orElseThrow().getObservedGeneration()));
    environments.awaitPhase(env, Phase.Ready);
    assertThat(database.get().getMetadata().getUid()).isEqualTo(databaseUid);
    assertThat(String.valueOf(database.get().getMetadata().getGeneration()))
        .isEqualTo(databaseGeneration);
    assertThat(client.batch().v1().jobs().inNamespace(envNs).list().getItems())
        .as("a push is no reason to migrate")
        .hasSize(1);
  }

  @Test
  void deletionRemovesTheNamespaceAndLeavesNoLabelledObjectAnywhere() {
    WorkflowEnvironment env =
        client.resource(Fixtures.environment(ns, "feature/short-lived")).create();
    environments.awaitPhase(env, Phase.Ready);
    String name = env.getMetadata().getName();
    assertThat(environments.labelledObjects(Labels.ENVIRONMENT + "=" + name)).isNotEmpty();

    long start = System.nanoTime();
    environments.deleteAndAwaitGone(env);
    System.out.printf(
        "[measure] 1 environment: delete->gone %d ms%n", (System.nanoTime() - start) / 1_000_000);

    assertThat(environments.labelledObjects(Labels.ENVIRONMENT + "=" + name)).isEmpty();
    await("volumes released")
        .atMost(Environments.PATIENCE)
        .until(
            () ->
                client.persistentVolumes().list().getItems().stream()
                    .noneMatch(
                        pv ->
                            pv.getSpec().getClaimRef() != null
                                && Environments.namespaceOf(env)
                                    .equals(pv.getSpec().getClaimRef().getNamespace())));
  }

  @Test
  void missingRepositoryOrSecretFailsWithTheReasonAndCreatesNothingUntilItExists() {
    WorkflowEnvironment orphan = Fixtures.environment(ns, "feature/orphan");
    orphan.getSpec().setRepositoryRef("no-such-repository");
    orphan = client.resource(orphan).create();
    assertThat(environments.awaitPhase(orphan, Phase.Failed).getMessage())
        .contains("WorkflowRepository no-such-repository not found in namespace " + ns);
    assertThat(client.namespaces().withName(Environments.namespaceOf(orphan)).get()).isNull();

    var repository = Fixtures.repository(ns);
    repository.getMetadata().setName("acme-dags-new-credentials");
    repository.getSpec().getProductionData().setSecretNames(List.of("lakehouse-readonly"));
    repository.getSpec().setCloneCredentialRef(new SecretKeyRef("acme-dags-new-clone", "token"));
    client.resource(repository).create();
    WorkflowEnvironment waiting = Fixtures.environment(ns, "feature/new-credentials");
    waiting.getSpec().setRepositoryRef("acme-dags-new-credentials");
    WorkflowEnvironment env = client.resource(waiting).create();
    assertThat(environments.awaitPhase(env, Phase.Failed).getMessage())
        .contains("missing Secret " + ns + "/lakehouse-readonly (productionData.secretNames)")
        .contains("key token of Secret " + ns + "/acme-dags-new-clone (cloneCredentialRef)");
    assertThat(client.namespaces().withName(Environments.namespaceOf(env)).get()).isNull();

    client
        .resource(Fixtures.productionSecret(ns, "lakehouse-readonly", Map.of("token", "t")))
        .create();
    client
        .resource(Fixtures.secret(ns, "acme-dags-new-clone", Map.of("token", "clone-value")))
        .create();
    environments.awaitPhase(env, Phase.Ready);
    assertThat(
            environments.secretValue(
                Environments.namespaceOf(env), "git-credentials", "AIRFLOW_CONN_BRANCHFLOW_GIT"))
        .contains("clone-value");
  }

  @Test
  void crashLoopingSchedulerDegradesTheEnvironmentWithThePodNamed() {
    WorkflowEnvironment env = client.resource(Fixtures.environment(ns, "feature/crashy")).create();
    environments.awaitPhase(env, Phase.Ready);
    String envNs = Environments.namespaceOf(env);
    Pod scheduler =
        client
            .pods()
            .inNamespace(envNs)
            .withLabel(Labels.COMPONENT, "scheduler")
            .list()
            .getItems()
            .get(0);

    // What the kubelet reports when the scheduler container keeps exiting.
    client
        .pods()
        .inNamespace(envNs)
        .withName(scheduler.getMetadata().getName())
        .editStatus(
            p -> {
              var status = p.getStatus().getContainerStatuses().get(0);
              status.setReady(false);
              status.setRestartCount(5);
              status.setState(
                  new io.fabric8.kubernetes.api.model.ContainerStateBuilder()
                      .withNewWaiting()
                      .withReason("CrashLoopBackOff")
                      .withMessage("back-off 5m0s restarting failed container")
                      .endWaiting()
                      .build());
              p.getStatus().getConditions().stream()
                  .filter(c -> c.getType().equals("Ready") || c.getType().equals("ContainersReady"))
                  .forEach(c -> c.setStatus("False"));
              return p;
            });

    assertThat(environments.awaitPhase(env, Phase.Degraded).getMessage())
        .contains("CrashLoopBackOff in pod " + scheduler.getMetadata().getName())
        .contains("kubectl describe pod " + scheduler.getMetadata().getName() + " -n " + envNs);

    // The fix (here: the pod replaced) brings the environment back.
    client.pods().inNamespace(envNs).withName(scheduler.getMetadata().getName()).delete();
    environments.awaitPhase(env, Phase.Ready);
  }

  private List<Pod> airflowPods(String envNs) {
    return client.pods().inNamespace(envNs).list().getItems().stream()
        .filter(p -> !"database".equals(p.getMetadata().getLabels().get(Labels.COMPONENT)))
        .filter(p -> !"migration".equals(p.getMetadata().getLabels().get(Labels.COMPONENT)))
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  private boolean canGetSecret(String envNs, String namespace, String name) {
    return allowed(envNs, namespace, "get", "secrets", name);
  }

  /** Whether the environment's task ServiceAccount may do {@code verb} on {@code resource}. */
  private boolean allowed(
      String envNs, String namespace, String verb, String resource, String name) {
    return allowedAs("airflow-tasks", envNs, namespace, verb, resource, name);
  }

  /** Whether the ServiceAccount {@code account} of the environment may do {@code verb}. */
  private boolean allowedAs(
      String account, String envNs, String namespace, String verb, String resource, String name) {
    SubjectAccessReview review =
        new SubjectAccessReviewBuilder()
            .withNewSpec()
            .withUser("system:serviceaccount:" + envNs + ":" + account)
            .withGroups(
                "system:serviceaccounts", "system:serviceaccounts:" + envNs, "system:authenticated")
            .withNewResourceAttributes()
            .withNamespace(namespace)
            .withVerb(verb)
            .withResource(resource)
            .withName(name)
            .endResourceAttributes()
            .endSpec()
            .build();
    return client
        .authorization()
        .v1()
        .subjectAccessReview()
        .create(review)
        .getStatus()
        .getAllowed();
  }
}
