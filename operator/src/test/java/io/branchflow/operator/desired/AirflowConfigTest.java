package io.branchflow.operator.desired;

import static io.branchflow.operator.desired.TestInputs.allowing;
import static io.branchflow.operator.desired.TestInputs.assertOwnedByEnvironment;
import static io.branchflow.operator.desired.TestInputs.environment;
import static io.branchflow.operator.desired.TestInputs.environmentName;
import static io.branchflow.operator.desired.TestInputs.inputs;
import static io.branchflow.operator.desired.TestInputs.repository;
import static io.branchflow.operator.desired.TestInputs.template;
import static io.branchflow.operator.desired.TestInputs.withOverrides;
import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.v1alpha1.Executor;
import io.branchflow.api.v1alpha1.OverridableField;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AirflowConfigTest {

  private static final String URL = "https://env.example.com/";

  @Test
  void configMapIsWhatEveryAirflowPodLoads() {
    ConfigMap config = AirflowConfig.configMap(inputs(), URL);

    assertOwnedByEnvironment(config);
    assertThat(config.getMetadata().getName()).isEqualTo("airflow-config");
  }

  @Test
  void airflow3ReportsToTheApiServerAndKnowsItsUrl() {
    Map<String, String> data = AirflowConfig.configMap(inputs(), URL).getData();

    assertThat(data)
        .containsEntry("AIRFLOW__CORE__EXECUTOR", "LocalExecutor")
        .containsEntry("AIRFLOW__CORE__LOAD_EXAMPLES", "False")
        .containsEntry(
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL", "http://airflow-ui:8080/execution/")
        .containsEntry("AIRFLOW__API__BASE_URL", URL)
        .doesNotContainKey("AIRFLOW__WEBSERVER__BASE_URL");
  }

  @Test
  void airflow2SetsTheWebserverUrl() {
    WorkflowRepository repository = repository();
    template(repository).setAirflowMajorVersion(2);

    Map<String, String> data = AirflowConfig.configMap(inputs(repository), URL).getData();

    assertThat(data)
        .containsEntry("AIRFLOW__WEBSERVER__BASE_URL", URL)
        .doesNotContainKeys("AIRFLOW__API__BASE_URL", "AIRFLOW__CORE__EXECUTION_API_SERVER_URL");
  }

  @Test
  void airflow3ReadsTheBranchThroughAGitBundleThatTracksIt() {
    Map<String, String> data = AirflowConfig.configMap(inputs(), URL).getData();

    List<Map<String, Object>> bundles =
        Serialization.unmarshal(
            data.get("AIRFLOW__DAG_PROCESSOR__DAG_BUNDLE_CONFIG_LIST"), List.class);
    assertThat(bundles)
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b)
                  .containsEntry("classpath", "airflow.providers.git.bundles.git.GitDagBundle");
              assertThat((Map<String, Object>) b.get("kwargs"))
                  .containsEntry("tracking_ref", TestInputs.BRANCH)
                  .containsEntry("subdir", "dags")
                  .containsEntry("git_conn_id", "branchflow_git")
                  .containsEntry("refresh_interval", 30);
            });
    assertThat(data).doesNotContainKey("AIRFLOW__CORE__DAGS_FOLDER");
  }

  @Test
  void airflow3LogsInWithTheFileTheLoginSecretWritesAndSignsTokensWithAnIssuer() {
    Map<String, String> data = AirflowConfig.configMap(inputs(), URL).getData();

    assertThat(data)
        .containsEntry("AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS", "admin:admin")
        .containsEntry(
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE", AirflowLogin.PASSWORDS_FILE)
        .containsKey("AIRFLOW__API_AUTH__JWT_ISSUER")
        .containsEntry("AIRFLOW__CORE__PARALLELISM", "4");
  }

  @Test
  void airflow2DagsFolderIsTheSyncedCheckoutsDagsPath() {
    WorkflowRepository repository = repository();
    template(repository).setAirflowMajorVersion(2);

    Map<String, String> data = AirflowConfig.configMap(inputs(repository), URL).getData();

    assertThat(data).containsEntry("AIRFLOW__CORE__DAGS_FOLDER", "/opt/airflow/dags/repo/dags");
  }

  @Test
  void kubernetesExecutorRunsTasksInTheEnvironmentsNamespace() {
    WorkflowRepository repository = repository();
    template(repository).setExecutor(Executor.KubernetesExecutor);

    Map<String, String> data = AirflowConfig.configMap(inputs(repository), URL).getData();

    assertThat(data)
        .containsEntry("AIRFLOW__CORE__EXECUTOR", "KubernetesExecutor")
        .containsEntry("AIRFLOW__KUBERNETES_EXECUTOR__NAMESPACE", "bf-" + environmentName())
        .containsEntry(
            "AIRFLOW__KUBERNETES_EXECUTOR__POD_TEMPLATE_FILE",
            "/opt/airflow/pod-templates/pod_template.yaml");
  }

  @Test
  void localExecutorHasNoKubernetesExecutorSettings() {
    assertThat(AirflowConfig.configMap(inputs(), URL).getData().keySet())
        .noneMatch(k -> k.startsWith("AIRFLOW__KUBERNETES_EXECUTOR__"));
  }

  @Test
  void dagsLearnWhereTheyRun() {
    Map<String, String> data = AirflowConfig.configMap(inputs(), URL).getData();

    assertThat(data)
        .containsEntry("BRANCHFLOW_REPOSITORY", TestInputs.REPOSITORY)
        .containsEntry("BRANCHFLOW_BRANCH", TestInputs.BRANCH)
        .containsEntry("BRANCHFLOW_ENVIRONMENT", environmentName());
  }

  @Test
  void extraAirflowConfigOfTemplateAndAllowedOverrideIsApplied() {
    WorkflowRepository repository = allowing(repository(), OverridableField.EXTRA_AIRFLOW_CONFIG);
    template(repository)
        .setExtraAirflowConfig(
            Map.of("AIRFLOW__CORE__PARALLELISM", "8", "AIRFLOW__LOGGING__LOGGING_LEVEL", "INFO"));
    var env =
        withOverrides(environment(), null, Map.of("AIRFLOW__LOGGING__LOGGING_LEVEL", "DEBUG"));

    Map<String, String> data = AirflowConfig.configMap(inputs(env, repository), URL).getData();

    assertThat(data)
        .containsEntry("AIRFLOW__CORE__PARALLELISM", "8")
        .containsEntry("AIRFLOW__LOGGING__LOGGING_LEVEL", "DEBUG");
  }
}
