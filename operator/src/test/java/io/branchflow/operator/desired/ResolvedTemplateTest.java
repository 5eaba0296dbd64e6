package io.branchflow.operator.desired;

import static io.branchflow.operator.desired.TestInputs.allowing;
import static io.branchflow.operator.desired.TestInputs.environment;
import static io.branchflow.operator.desired.TestInputs.repository;
import static io.branchflow.operator.desired.TestInputs.template;
import static io.branchflow.operator.desired.TestInputs.withOverrides;
import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.v1alpha1.Executor;
import io.branchflow.api.v1alpha1.OverridableField;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResolvedTemplateTest {

  private static final Map<String, String> BRANCH_CONFIG =
      Map.of("AIRFLOW__CORE__PARALLELISM", "64");

  @Test
  void repositoryWithoutTemplateGetsEveryDefault() {
    WorkflowRepository repository = repository();
    repository.getSpec().setTemplate(null);

    ResolvedTemplate t = ResolvedTemplate.of(repository, environment());

    assertThat(t.image()).isEqualTo("apache/airflow:3.3.2");
    assertThat(t.airflowMajorVersion()).isEqualTo(3);
    assertThat(t.airflow3()).isTrue();
    assertThat(t.executor()).isEqualTo(Executor.LocalExecutor);
    assertThat(t.kubernetesExecutor()).isFalse();
    assertThat(t.triggerer()).isFalse();
    assertThat(t.resources()).isNotNull();
    assertThat(t.quota()).isNull();
    assertThat(t.databaseImage()).isEqualTo("postgres:16");
    assertThat(t.databaseSize()).isEqualTo("1Gi");
    assertThat(t.ingress()).isNull();
    assertThat(t.gitSyncPeriodSeconds()).isEqualTo(30);
    assertThat(t.dagsPath()).isEqualTo("dags");
    assertThat(t.airflowConfig()).isEmpty();
  }

  @Test
  void templateValuesWin() {
    WorkflowRepository repository = repository();
    template(repository).setImage("acme/airflow:2.10");
    template(repository).setAirflowMajorVersion(2);
    template(repository).setExecutor(Executor.KubernetesExecutor);
    template(repository).setTriggerer(true);

    ResolvedTemplate t = ResolvedTemplate.of(repository, environment());

    assertThat(t.image()).isEqualTo("acme/airflow:2.10");
    assertThat(t.airflow3()).isFalse();
    assertThat(t.kubernetesExecutor()).isTrue();
    assertThat(t.triggerer()).isTrue();
  }

  @Test
  void overridesAreIgnoredWhenTheRepositoryAllowsNone() {
    WorkflowEnvironment env = withOverrides(environment(), "evil/image:latest", BRANCH_CONFIG);

    ResolvedTemplate t = ResolvedTemplate.of(repository(), env);

    assertThat(t.image()).isEqualTo(TestInputs.IMAGE);
    assertThat(t.airflowConfig()).isEmpty();
  }

  @Test
  void imageOverrideOnlyWhenAllowed() {
    WorkflowRepository repository = allowing(repository(), OverridableField.IMAGE);
    WorkflowEnvironment env = withOverrides(environment(), "acme/airflow:branch", BRANCH_CONFIG);

    ResolvedTemplate t = ResolvedTemplate.of(repository, env);

    assertThat(t.image()).isEqualTo("acme/airflow:branch");
    assertThat(t.airflowConfig()).isEmpty();
  }

  @Test
  void configOverrideOnlyWhenAllowedAndAddedToTheTemplates() {
    WorkflowRepository repository = allowing(repository(), OverridableField.EXTRA_AIRFLOW_CONFIG);
    template(repository)
        .setExtraAirflowConfig(
            Map.of("AIRFLOW__CORE__PARALLELISM", "8", "AIRFLOW__CORE__DEFAULT_TIMEZONE", "utc"));
    WorkflowEnvironment env = withOverrides(environment(), "acme/airflow:branch", BRANCH_CONFIG);

    ResolvedTemplate t = ResolvedTemplate.of(repository, env);

    assertThat(t.image()).isEqualTo(TestInputs.IMAGE);
    assertThat(t.airflowConfig())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("AIRFLOW__CORE__PARALLELISM", "64", "AIRFLOW__CORE__DEFAULT_TIMEZONE", "utc"));
  }

  @Test
  void allowedOverrideThatTheBranchDoesNotSetKeepsTheTemplate() {
    WorkflowRepository repository =
        allowing(repository(), OverridableField.IMAGE, OverridableField.EXTRA_AIRFLOW_CONFIG);
    template(repository).setExtraAirflowConfig(Map.of("AIRFLOW__CORE__PARALLELISM", "8"));

    ResolvedTemplate t = ResolvedTemplate.of(repository, environment());

    assertThat(t.image()).isEqualTo(TestInputs.IMAGE);
    assertThat(t.airflowConfig())
        .containsExactlyEntriesOf(Map.of("AIRFLOW__CORE__PARALLELISM", "8"));
  }

  @Test
  void overridesNeverChangeTheRepositorysTemplate() {
    WorkflowRepository repository = allowing(repository(), OverridableField.EXTRA_AIRFLOW_CONFIG);
    template(repository).setExtraAirflowConfig(Map.of("AIRFLOW__CORE__PARALLELISM", "8"));

    ResolvedTemplate.of(repository, withOverrides(environment(), null, BRANCH_CONFIG));

    assertThat(template(repository).getExtraAirflowConfig())
        .containsEntry("AIRFLOW__CORE__PARALLELISM", "8");
  }
}
