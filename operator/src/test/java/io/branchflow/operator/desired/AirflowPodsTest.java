package io.branchflow.operator.desired;

import static io.branchflow.operator.desired.TestInputs.env;
import static io.branchflow.operator.desired.TestInputs.inputs;
import static io.branchflow.operator.desired.TestInputs.repository;
import static io.branchflow.operator.desired.TestInputs.template;
import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.v1alpha1.ComponentResources;
import io.branchflow.api.v1alpha1.Executor;
import io.branchflow.api.v1alpha1.GitSyncSettings;
import io.branchflow.api.v1alpha1.Resources;
import io.branchflow.api.v1alpha1.SecretKeyRef;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AirflowPodsTest {

  @Test
  void podRunsAsTheAirflowUser() {
    PodSpec pod = AirflowPods.podSpec(inputs(), Components.SCHEDULER, List.of("scheduler"), true);

    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(50000L);
    assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(0L);
  }

  /**
   * Pod Security "restricted", which environment namespaces enforce, for every pod the operator
   * makes: each Airflow layout and executor, the migration, KubernetesExecutor's task pods and
   * PostgreSQL.
   */
  @Test
  void everyPodOfAnEnvironmentMeetsPodSecurityRestricted() {
    WorkflowRepository kubernetes = repository();
    template(kubernetes).setExecutor(Executor.KubernetesExecutor);
    template(kubernetes).setTriggerer(true);
    List<EnvironmentInputs> layouts = List.of(inputs(), inputs(kubernetes), airflow2());
    List<PodSpec> pods = new ArrayList<>();
    for (EnvironmentInputs in : layouts) {
      AirflowComponents.deployments(in, "hash", false)
          .forEach(d -> pods.add(d.getSpec().getTemplate().getSpec()));
      pods.add(MigrationJob.job(in).getSpec().getTemplate().getSpec());
      pods.add(DatabaseObjects.statefulSet(in).getSpec().getTemplate().getSpec());
    }
    pods.add(AirflowPods.podSpec(inputs(kubernetes), Components.WORKER, List.of(), false));

    assertThat(pods).hasSize(16).allSatisfy(AirflowPodsTest::assertRestricted);
  }

  @Test
  void airflowAndPostgresqlRunOnReadOnlyRootsWithScratchVolumesOnlyGitSyncDoesNot() {
    PodSpec scheduler = AirflowPods.podSpec(inputs(), Components.SCHEDULER, List.of(), true);
    PodSpec api = AirflowPods.podSpec(inputs(), Components.API_SERVER, List.of(), true);
    PodSpec database = DatabaseObjects.statefulSet(inputs()).getSpec().getTemplate().getSpec();
    PodSpec airflow2 = AirflowPods.podSpec(airflow2(), Components.SCHEDULER, List.of(), true);

    assertThat(allContainers(scheduler, api, database))
        .allSatisfy(c -> assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue());
    assertThat(scheduler.getContainers().get(0).getVolumeMounts())
        .extracting(m -> m.getMountPath())
        .contains("/tmp", "/opt/airflow", "/home/airflow");
    assertThat(database.getContainers().get(0).getVolumeMounts())
        .extracting(m -> m.getMountPath())
        .contains("/tmp", "/var/run/postgresql");
    assertThat(airflow2.getContainers())
        .filteredOn(c -> c.getName().equals("git-sync"))
        .singleElement()
        .satisfies(c -> assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isFalse());
  }

  @Test
  void onlyTheSchedulerUnderKubernetesExecutorGetsAKubernetesApiToken() {
    WorkflowRepository kubernetes = repository();
    template(kubernetes).setExecutor(Executor.KubernetesExecutor);

    assertThat(AirflowPods.podSpec(inputs(kubernetes), Components.SCHEDULER, List.of(), true))
        .satisfies(p -> assertThat(p.getAutomountServiceAccountToken()).isNotEqualTo(false));
    for (String component :
        List.of(Components.DAG_PROCESSOR, Components.API_SERVER, Components.WORKER)) {
      assertThat(
              AirflowPods.podSpec(inputs(kubernetes), component, List.of(), true)
                  .getAutomountServiceAccountToken())
          .as(component)
          .isFalse();
    }
    assertThat(
            AirflowPods.podSpec(inputs(), Components.SCHEDULER, List.of(), true)
                .getAutomountServiceAccountToken())
        .isFalse();
    assertThat(
            DatabaseObjects.statefulSet(inputs())
                .getSpec()
                .getTemplate()
                .getSpec()
                .getAutomountServiceAccountToken())
        .isFalse();
  }

  @Test
  void onlyPodsThatRunTasksUseTheServiceAccountWithTheWorkloadIdentity() {
    WorkflowRepository kubernetes = repository();
    template(kubernetes).setExecutor(Executor.KubernetesExecutor);

    assertThat(serviceAccountOf(inputs(), Components.SCHEDULER)).isEqualTo("airflow-tasks");
    assertThat(serviceAccountOf(inputs(), Components.DAG_PROCESSOR)).isEqualTo("airflow");
    assertThat(serviceAccountOf(inputs(), Components.API_SERVER)).isEqualTo("airflow");
    assertThat(serviceAccountOf(inputs(kubernetes), Components.WORKER)).isEqualTo("airflow-tasks");
    assertThat(serviceAccountOf(inputs(kubernetes), Components.SCHEDULER)).isEqualTo("airflow");
    assertThat(MigrationJob.job(inputs()).getSpec().getTemplate().getSpec().getServiceAccountName())
        .isEqualTo("airflow");
  }

  private static String serviceAccountOf(EnvironmentInputs in, String component) {
    return AirflowPods.podSpec(in, component, List.of(), true).getServiceAccountName();
  }

  private static void assertRestricted(PodSpec pod) {
    var podContext = pod.getSecurityContext();
    assertThat(podContext.getRunAsNonRoot()).isTrue();
    assertThat(podContext.getRunAsUser()).isNotNull().isNotZero();
    assertThat(podContext.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(allContainers(pod))
        .isNotEmpty()
        .allSatisfy(
            c -> {
              var context = c.getSecurityContext();
              assertThat(context).as(c.getName()).isNotNull();
              assertThat(context.getRunAsNonRoot()).isTrue();
              assertThat(context.getAllowPrivilegeEscalation()).isFalse();
              assertThat(context.getCapabilities().getDrop()).containsExactly("ALL");
              assertThat(context.getCapabilities().getAdd()).isNullOrEmpty();
              assertThat(context.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
              assertThat(context.getPrivileged()).isNotEqualTo(true);
            });
    assertThat(pod.getVolumes())
        .allSatisfy(v -> assertThat(v.getHostPath()).as(v.getName()).isNull());
    assertThat(pod.getHostNetwork()).isNotEqualTo(true);
  }

  private static List<Container> allContainers(PodSpec... pods) {
    List<Container> all = new ArrayList<>();
    for (PodSpec pod : pods) {
      if (pod.getInitContainers() != null) {
        all.addAll(pod.getInitContainers());
      }
      all.addAll(pod.getContainers());
    }
    return all;
  }

  @Test
  void airflow3PodsRunOnlyAirflowTheBundleFetchesTheBranch() {
    PodSpec scheduler = AirflowPods.podSpec(inputs(), Components.SCHEDULER, List.of(), true);

    assertThat(scheduler.getContainers())
        .extracting(Container::getName)
        .containsExactly("scheduler");
    assertThat(scheduler.getInitContainers()).isEmpty();
    assertThat(scheduler.getContainers().get(0).getEnvFrom())
        .extracting(e -> e.getSecretRef() == null ? null : e.getSecretRef().getName())
        .contains("airflow-secrets", "git-credentials");
  }

  @Test
  void onlyTheApiServerWritesTheLoginFileFromTheLoginSecret() {
    PodSpec api = AirflowPods.podSpec(inputs(), Components.API_SERVER, List.of("api-server"), true);
    PodSpec scheduler = AirflowPods.podSpec(inputs(), Components.SCHEDULER, List.of(), true);

    Container init = api.getInitContainers().get(0);
    assertThat(init.getName()).isEqualTo("airflow-login");
    assertThat(init.getEnv())
        .allSatisfy(
            e ->
                assertThat(e.getValueFrom().getSecretKeyRef().getName())
                    .isEqualTo("airflow-login"));
    assertThat(init.getCommand()).last().asString().endsWith(AirflowLogin.PASSWORDS_FILE);
    assertThat(api.getContainers().get(0).getVolumeMounts())
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo(AirflowLogin.PASSWORDS_DIR));
    assertThat(scheduler.getInitContainers()).isEmpty();
  }

  @Test
  void productionCredentialsReachEveryAirflowContainerButTheMigration() {
    WorkflowRepository repository =
        TestInputs.withProductionData(repository(), "warehouse-readonly");

    assertThat(secretsLoadedBy(inputs(repository), Components.SCHEDULER))
        .contains("warehouse-readonly", "git-credentials");
    assertThat(secretsLoadedBy(inputs(repository), Components.WORKER))
        .contains("warehouse-readonly", "git-credentials");
    assertThat(secretsLoadedBy(inputs(repository), Components.MIGRATION))
        .containsExactly("airflow-secrets");
  }

  @Test
  void aProductionSecretNotCopiedLeavesThePodsStarting() {
    WorkflowRepository repository =
        TestInputs.withProductionData(repository(), "warehouse-readonly");

    assertThat(AirflowPods.envFrom(inputs(repository), Components.SCHEDULER))
        .filteredOn(e -> e.getSecretRef() != null)
        .filteredOn(e -> e.getSecretRef().getName().equals("warehouse-readonly"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getSecretRef().getOptional())
                    .as("not opted in or revoked: no copy, and the pods start without it")
                    .isTrue());
  }

  private static List<String> secretsLoadedBy(EnvironmentInputs in, String component) {
    return AirflowPods.envFrom(in, component).stream()
        .filter(e -> e.getSecretRef() != null)
        .map(e -> e.getSecretRef().getName())
        .toList();
  }

  @Test
  void airflow2SidecarOnlyForLongRunningPods() {
    EnvironmentInputs in = airflow2();
    PodSpec longRunning = AirflowPods.podSpec(in, Components.SCHEDULER, List.of(), true);
    PodSpec oneShot = AirflowPods.podSpec(in, Components.MIGRATION, List.of(), false);

    assertThat(longRunning.getContainers())
        .extracting(Container::getName)
        .containsExactly("scheduler", "git-sync");
    assertThat(oneShot.getContainers()).extracting(Container::getName).containsExactly("migration");
    assertThat(oneShot.getInitContainers())
        .extracting(Container::getName)
        .containsExactly("git-sync-init");
  }

  @Test
  void airflow2GitSyncChecksOutTheBranchIntoTheVolumeAirflowReadsDagsFrom() {
    PodSpec pod = AirflowPods.podSpec(airflow2(), Components.SCHEDULER, List.of(), true);
    Container airflow = pod.getContainers().get(0);
    Container gitSync = pod.getContainers().get(1);

    assertThat(env(gitSync.getEnv(), "GITSYNC_REF")).isEqualTo(TestInputs.BRANCH);
    assertThat(env(gitSync.getEnv(), "GITSYNC_REPO")).isEqualTo(TestInputs.CLONE_URL);
    assertThat(gitSync.getImage()).isEqualTo("registry.k8s.io/git-sync/git-sync:v4.4.2");
    String gitVolume = gitSync.getVolumeMounts().get(0).getName();
    assertThat(airflow.getVolumeMounts())
        .anySatisfy(
            m -> {
              assertThat(m.getName()).isEqualTo(gitVolume);
              assertThat(m.getMountPath()).isEqualTo(DagDelivery.DAGS_MOUNT);
              assertThat(m.getReadOnly()).isTrue();
            });
    assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getName()).isEqualTo(gitVolume));
  }

  @Test
  void airflow2GitSyncPeriodAndImageComeFromTheTemplate() {
    WorkflowRepository repository = repository();
    template(repository).setAirflowMajorVersion(2);
    GitSyncSettings git = new GitSyncSettings();
    git.setImage("mirror.example.com/git-sync:v4");
    git.setPeriodSeconds(10);
    template(repository).setGitSync(git);

    Container gitSync = DagDelivery.gitSync(inputs(repository), "git-sync", false);

    assertThat(gitSync.getImage()).isEqualTo("mirror.example.com/git-sync:v4");
    assertThat(env(gitSync.getEnv(), "GITSYNC_PERIOD")).isEqualTo("10s");
  }

  @Test
  void airflow2GitSyncUsesCredentialsOnlyForPrivateRepositories() {
    assertThat(DagDelivery.gitSync(airflow2(), "git-sync", false).getEnvFrom()).isNullOrEmpty();

    WorkflowRepository repository = repository();
    template(repository).setAirflowMajorVersion(2);
    repository.getSpec().setGithubTokenRef(new SecretKeyRef("github-token", "token"));
    assertThat(DagDelivery.gitSync(inputs(repository), "git-sync", false).getEnvFrom())
        .as("the deployments token is no clone credential")
        .isNullOrEmpty();

    repository.getSpec().setCloneCredentialRef(new SecretKeyRef("clone-token", "token"));

    assertThat(DagDelivery.gitSync(inputs(repository), "git-sync", false).getEnvFrom())
        .singleElement()
        .satisfies(e -> assertThat(e.getSecretRef().getName()).isEqualTo("git-credentials"));
  }

  private static EnvironmentInputs airflow2() {
    WorkflowRepository repository = repository();
    template(repository).setAirflowMajorVersion(2);
    template(repository).setImage("apache/airflow:2.11.0");
    return inputs(repository);
  }

  @Test
  void componentResourcesComeFromTheTemplate() {
    WorkflowRepository repository = repository();
    Resources scheduler = new Resources();
    scheduler.setCpuRequest("500m");
    scheduler.setMemoryRequest("1Gi");
    ComponentResources resources = new ComponentResources();
    resources.setScheduler(scheduler);
    template(repository).setResources(resources);

    Container airflow =
        AirflowPods.airflowContainer(inputs(repository), Components.SCHEDULER, List.of());
    Container apiServer =
        AirflowPods.airflowContainer(inputs(repository), Components.API_SERVER, List.of());

    assertThat(airflow.getResources().getRequests())
        .containsEntry("cpu", new Quantity("500m"))
        .containsEntry("memory", new Quantity("1Gi"));
    // Not set in the template: the defaults measured for the API server.
    assertThat(apiServer.getResources().getRequests())
        .containsEntry("cpu", new Quantity("100m"))
        .containsEntry("memory", new Quantity("320Mi"));
    assertThat(apiServer.getResources().getLimits()).containsEntry("memory", new Quantity("512Mi"));
  }
}
