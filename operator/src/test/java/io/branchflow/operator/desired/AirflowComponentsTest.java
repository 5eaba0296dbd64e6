package io.branchflow.operator.desired;

import static io.branchflow.operator.desired.TestInputs.assertOwnedByEnvironment;
import static io.branchflow.operator.desired.TestInputs.env;
import static io.branchflow.operator.desired.TestInputs.inputs;
import static io.branchflow.operator.desired.TestInputs.repository;
import static io.branchflow.operator.desired.TestInputs.template;
import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.v1alpha1.Executor;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

class AirflowComponentsTest {

  @Test
  void airflow3RunsSchedulerDagProcessorAndApiServer() {
    assertThat(AirflowComponents.components(inputs()))
        .containsExactly("scheduler", "dag-processor", "api-server");
    assertThat(names(AirflowComponents.deployments(inputs(), "h", false)))
        .containsExactly("airflow-scheduler", "airflow-dag-processor", "airflow-api-server");
  }

  @Test
  void airflow2RunsAWebserverInsteadOfAnApiServer() {
    WorkflowRepository repository = repository();
    template(repository).setAirflowMajorVersion(2);
    template(repository).setImage("apache/airflow:2.10.5");

    List<Deployment> deployments = AirflowComponents.deployments(inputs(repository), "h", false);

    assertThat(names(deployments)).containsExactly("airflow-scheduler", "airflow-webserver");
    Container webserver = airflow(deployments.get(1));
    assertThat(webserver.getArgs()).startsWith("webserver");
    assertThat(webserver.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health");
  }

  @Test
  void triggererOnlyWhenEnabled() {
    assertThat(AirflowComponents.components(inputs())).doesNotContain("triggerer");

    WorkflowRepository repository = repository();
    template(repository).setTriggerer(true);

    assertThat(names(AirflowComponents.deployments(inputs(repository), "h", false)))
        .contains("airflow-triggerer");
  }

  @Test
  void everyDeploymentIsOwnedByTheEnvironment() {
    assertOwnedByEnvironment(AirflowComponents.deployments(inputs(), "h", false));
  }

  @Test
  void eachComponentRunsItsAirflowCommandWithTheTemplateImage() {
    List<Deployment> deployments = AirflowComponents.deployments(inputs(), "h", false);

    assertThat(deployments)
        .extracting(d -> airflow(d).getArgs().get(0))
        .containsExactly("scheduler", "dag-processor", "api-server");
    assertThat(deployments)
        .allSatisfy(d -> assertThat(airflow(d).getImage()).isEqualTo(TestInputs.IMAGE));
  }

  @Test
  void airflow2EveryDeploymentSyncsTheBranchWithAnInitContainerAndASidecar() {
    WorkflowRepository repository = repository();
    template(repository).setTriggerer(true);
    template(repository).setAirflowMajorVersion(2);
    template(repository).setImage("apache/airflow:2.11.0");

    assertThat(AirflowComponents.deployments(inputs(repository), "h", false))
        .allSatisfy(
            d -> {
              var pod = d.getSpec().getTemplate().getSpec();
              assertThat(pod.getInitContainers())
                  .singleElement()
                  .satisfies(
                      init -> {
                        assertThat(env(init.getEnv(), "GITSYNC_REF")).isEqualTo(TestInputs.BRANCH);
                        assertThat(env(init.getEnv(), "GITSYNC_ONE_TIME")).isEqualTo("true");
                      });
              assertThat(pod.getContainers())
                  .filteredOn(c -> c.getName().equals("git-sync"))
                  .singleElement()
                  .satisfies(
                      sidecar -> {
                        assertThat(env(sidecar.getEnv(), "GITSYNC_REF"))
                            .isEqualTo(TestInputs.BRANCH);
                        assertThat(env(sidecar.getEnv(), "GITSYNC_REPO"))
                            .isEqualTo(TestInputs.CLONE_URL);
                        assertThat(env(sidecar.getEnv(), "GITSYNC_ONE_TIME")).isEqualTo("false");
                      });
            });
  }

  @Test
  void runningEnvironmentHasOneReplicaPerComponent() {
    assertThat(AirflowComponents.deployments(inputs(), "h", false))
        .allSatisfy(d -> assertThat(d.getSpec().getReplicas()).isEqualTo(1));
  }

  @Test
  void suspendedEnvironmentScalesEveryComponentToZero() {
    List<Deployment> deployments = AirflowComponents.deployments(inputs(), "h", true);

    assertThat(deployments).hasSize(3);
    assertThat(deployments).allSatisfy(d -> assertThat(d.getSpec().getReplicas()).isZero());
  }

  @Test
  void neverTwoSchedulersOnOneDatabase() {
    assertThat(AirflowComponents.deployments(inputs(), "h", false))
        .allSatisfy(d -> assertThat(d.getSpec().getStrategy().getType()).isEqualTo("Recreate"));
  }

  @Test
  void selectorsMatchTheirOwnPodsOnly() {
    List<Deployment> deployments = AirflowComponents.deployments(inputs(), "h", false);

    for (Deployment d : deployments) {
      var selector = d.getSpec().getSelector().getMatchLabels();
      assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
          .containsAllEntriesOf(selector);
      deployments.stream()
          .filter(other -> other != d)
          .forEach(
              other ->
                  assertThat(
                          other
                              .getSpec()
                              .getTemplate()
                              .getMetadata()
                              .getLabels()
                              .entrySet()
                              .containsAll(selector.entrySet()))
                      .as("%s must not select pods of %s", name(d), name(other))
                      .isFalse());
    }
  }

  @Test
  void configHashAnnotationFollowsTheHash() {
    List<Deployment> before = AirflowComponents.deployments(inputs(), "hash-1", false);
    List<Deployment> after = AirflowComponents.deployments(inputs(), "hash-2", false);

    assertThat(before)
        .allSatisfy(
            d ->
                assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
                    .containsEntry(AirflowComponents.CONFIG_HASH, "hash-1"));
    assertThat(after)
        .allSatisfy(
            d ->
                assertThat(d.getSpec().getTemplate().getMetadata().getAnnotations())
                    .containsEntry(AirflowComponents.CONFIG_HASH, "hash-2"));
    assertThat(before.get(0).getSpec().getTemplate())
        .isNotEqualTo(after.get(0).getSpec().getTemplate());
  }

  @Test
  void apiServerServesTheUiPortWithAHealthProbe() {
    Deployment apiServer = AirflowComponents.deployments(inputs(), "h", false).get(2);
    Container container = airflow(apiServer);

    assertThat(container.getArgs()).containsExactly("api-server", "--port", "8080");
    assertThat(container.getPorts())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getName()).isEqualTo("http");
              assertThat(p.getContainerPort()).isEqualTo(8080);
            });
    assertThat(container.getReadinessProbe().getHttpGet().getPath())
        .isEqualTo("/api/v2/monitor/health");
  }

  @Test
  void noPodTemplateForLocalExecutor() {
    assertThat(AirflowComponents.podTemplate(inputs())).isEmpty();
  }

  @Test
  void kubernetesExecutorGetsATaskPodTemplateMountedIntoTheScheduler() {
    WorkflowRepository repository = repository();
    template(repository).setExecutor(Executor.KubernetesExecutor);
    EnvironmentInputs in = inputs(repository);

    ConfigMap podTemplate = AirflowComponents.podTemplate(in).orElseThrow();

    assertOwnedByEnvironment(podTemplate);
    Pod pod =
        Serialization.unmarshal(
            podTemplate.getData().get(AirflowConfig.POD_TEMPLATE_FILE), Pod.class);
    assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
    // Task pods run DAG code: the identity with the workload identity, and no API token.
    assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("airflow-tasks");
    assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();
    // Airflow replaces the command of the container named "base".
    assertThat(pod.getSpec().getContainers())
        .singleElement()
        .satisfies(c -> assertThat(c.getName()).isEqualTo("base"));
    // Airflow 3: the task pod checks out its run's commit itself (git bundle), no init container;
    // it writes its log to the shared volume, beside the database like every other pod.
    assertThat(pod.getSpec().getInitContainers()).isEmpty();
    assertThat(pod.getSpec().getContainers().get(0).getVolumeMounts())
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo(TaskLogs.MOUNT));
    assertThat(
            pod.getSpec()
                .getAffinity()
                .getPodAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution())
        .singleElement()
        .satisfies(
            t ->
                assertThat(t.getLabelSelector().getMatchLabels())
                    .containsEntry("app.kubernetes.io/component", "database"));

    Deployment scheduler = AirflowComponents.deployments(in, "h", false).get(0);
    assertThat(scheduler.getSpec().getTemplate().getSpec().getVolumes())
        .filteredOn(v -> v.getConfigMap() != null)
        .extracting(v -> v.getConfigMap().getName())
        .containsExactly(podTemplate.getMetadata().getName());
    String file =
        AirflowConfig.configMap(in, "http://x/")
            .getData()
            .get("AIRFLOW__KUBERNETES_EXECUTOR__POD_TEMPLATE_FILE");
    assertThat(airflow(scheduler).getVolumeMounts())
        .anySatisfy(m -> assertThat(file).startsWith(m.getMountPath() + "/"));
  }

  private static Container airflow(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static String name(Deployment d) {
    return d.getMetadata().getName();
  }

  private static List<String> names(List<Deployment> deployments) {
    return deployments.stream().map(AirflowComponentsTest::name).toList();
  }
}
