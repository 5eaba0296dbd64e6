package io.branchflow.operator.desired;

import static io.branchflow.operator.desired.TestInputs.allowing;
import static io.branchflow.operator.desired.TestInputs.assertOwnedByEnvironment;
import static io.branchflow.operator.desired.TestInputs.environment;
import static io.branchflow.operator.desired.TestInputs.inputs;
import static io.branchflow.operator.desired.TestInputs.repository;
import static io.branchflow.operator.desired.TestInputs.template;
import static io.branchflow.operator.desired.TestInputs.withOverrides;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.branchflow.api.v1alpha1.OverridableField;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MigrationJobTest {

  @Test
  void jobRunsAirflowDbMigrateOnceWithTheTemplateImage() {
    Job job = MigrationJob.job(inputs());

    assertOwnedByEnvironment(job);
    assertThat(job.getMetadata().getName()).isEqualTo(MigrationJob.name(inputs()));
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getContainers())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getArgs()).containsExactly("db", "migrate");
              assertThat(c.getImage()).isEqualTo(TestInputs.IMAGE);
            });
    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(1);
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isNotNull();
  }

  @Test
  void jobLoadsAirflowConfigurationAndSecrets() {
    PodSpec pod = MigrationJob.job(inputs()).getSpec().getTemplate().getSpec();

    assertThat(pod.getContainers().get(0).getEnvFrom())
        .extracting(
            e -> e.getConfigMapRef() != null ? e.getConfigMapRef().getName() : null,
            e -> e.getSecretRef() != null ? e.getSecretRef().getName() : null)
        .containsExactlyInAnyOrder(tuple("airflow-config", null), tuple(null, "airflow-secrets"));
  }

  @Test
  void jobDoesNotWaitForTheDags() {
    PodSpec pod = MigrationJob.job(inputs()).getSpec().getTemplate().getSpec();

    assertThat(pod.getInitContainers()).isNullOrEmpty();
  }

  @Test
  void nameIsAValidKubernetesName() {
    assertThat(MigrationJob.name(inputs()))
        .matches("airflow-migrate-[0-9a-f]{8}")
        .hasSizeLessThan(64);
  }

  @Test
  void nameIsStable() {
    assertThat(MigrationJob.name(inputs())).isEqualTo(MigrationJob.name(inputs()));
  }

  @Test
  void nameChangesWithTheImage() {
    WorkflowRepository repository = repository();
    String before = MigrationJob.name(inputs(repository));
    template(repository).setImage("apache/airflow:3.1.4");

    assertThat(MigrationJob.name(inputs(repository))).isNotEqualTo(before);
  }

  @Test
  void nameChangesWithTheImageABranchOverrides() {
    WorkflowRepository repository = allowing(repository(), OverridableField.IMAGE);
    WorkflowEnvironment env = withOverrides(environment(), "acme/airflow:fixed", null);

    assertThat(MigrationJob.name(inputs(env, repository)))
        .isNotEqualTo(MigrationJob.name(inputs(repository)));
  }

  @Test
  void nameChangesWithExtraAirflowConfig() {
    WorkflowRepository repository = repository();
    String before = MigrationJob.name(inputs(repository));
    template(repository).setExtraAirflowConfig(Map.of("AIRFLOW__CORE__PARALLELISM", "8"));

    assertThat(MigrationJob.name(inputs(repository))).isNotEqualTo(before);
  }

  @Test
  void nameDoesNotChangeWithTheCommit() {
    WorkflowEnvironment env = environment();
    String before = MigrationJob.name(inputs(env, repository()));
    env.getSpec().setCommitSha("fedcba9876543210fedcba9876543210fedcba98");

    assertThat(MigrationJob.name(inputs(env, repository()))).isEqualTo(before);
  }

  @Test
  void nameDoesNotChangeWithThePusherOrGeneration() {
    WorkflowEnvironment env = environment();
    String before = MigrationJob.name(inputs(env, repository()));
    env.getSpec().setPusher("someone-else");
    env.getMetadata().setGeneration(7L);

    assertThat(MigrationJob.name(inputs(env, repository()))).isEqualTo(before);
  }

  /**
   * Migration Jobs in clusters carry this name: a new one for the same inputs would migrate again.
   */
  @Test
  void nameIsTheSameAsInEarlierReleases() {
    assertThat(MigrationJob.name(inputs())).isEqualTo("airflow-migrate-53427426");
  }
}
