package io.branchflow.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.Labels;
import io.branchflow.api.naming.EnvironmentNames;
import io.branchflow.api.v1alpha1.EnvironmentOverrides;
import io.branchflow.api.v1alpha1.EnvironmentTemplate;
import io.branchflow.api.v1alpha1.OverridableField;
import io.branchflow.api.v1alpha1.ProductionDataAccess;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.operator.config.OperatorSettings;
import io.branchflow.operator.e2e.Fixtures;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A repository and an environment as a platform engineer and the webhook would create them. */
final class TestInputs {

  static final String BRANCHFLOW_NAMESPACE = "branchflow";
  static final String REPOSITORY = Fixtures.REPOSITORY;
  static final String REPOSITORY_OBJECT = Fixtures.REPOSITORY_OBJECT;
  static final String CLONE_URL = "https://github.com/acme/dags.git";
  static final String BRANCH = "feature/login";
  static final String COMMIT_SHA = "0123456789abcdef0123456789abcdef01234567";
  static final String PRODUCTION_SECRET = Fixtures.PRODUCTION_SECRET;
  static final String WORKLOAD_IDENTITY = Fixtures.WORKLOAD_IDENTITY;
  static final String IMAGE = Fixtures.IMAGE;

  private TestInputs() {}

  /** The repository {@code acme/dags}: Airflow 3, LocalExecutor, no production data. */
  static WorkflowRepository repository() {
    WorkflowRepository repository = Fixtures.repository(BRANCHFLOW_NAMESPACE);
    repository.getSpec().setProductionData(null);
    repository.getSpec().setAllowedOverrides(null);
    return repository;
  }

  /** Gives the repository a read-only production credential and a workload identity. */
  static WorkflowRepository withProductionData(WorkflowRepository repository, String... secrets) {
    ProductionDataAccess data = new ProductionDataAccess();
    data.setSecretNames(List.of(secrets));
    data.setServiceAccountAnnotations(
        Map.of(WORKLOAD_IDENTITY, "dags-reader@acme-prod.iam.gserviceaccount.com"));
    repository.getSpec().setProductionData(data);
    return repository;
  }

  /** Our local cluster's real node: labelled {@code real}, tainted against everything else. */
  static final Map<String, String> NODE_SELECTOR = Map.of("branchflow.io/node-kind", "real");

  static final Toleration TOLERATION =
      new TolerationBuilder()
          .withKey("branchflow.io/real-node")
          .withOperator("Equal")
          .withValue("true")
          .withEffect("NoSchedule")
          .build();

  static final Toleration SPOT_TOLERATION =
      new TolerationBuilder()
          .withKey("cloud.google.com/gke-spot")
          .withOperator("Exists")
          .withEffect("NoSchedule")
          .build();

  static final Affinity AFFINITY =
      new AffinityBuilder()
          .withNewNodeAffinity()
          .addNewPreferredDuringSchedulingIgnoredDuringExecution()
          .withWeight(50)
          .withNewPreference()
          .addNewMatchExpression()
          .withKey("topology.kubernetes.io/zone")
          .withOperator("In")
          .withValues("europe-west1-b")
          .endMatchExpression()
          .endPreference()
          .endPreferredDuringSchedulingIgnoredDuringExecution()
          .endNodeAffinity()
          .build();

  /** Gives the repository's template a node selector, two tolerations and a node affinity. */
  static WorkflowRepository withPlacement(WorkflowRepository repository) {
    EnvironmentTemplate t = template(repository);
    t.setNodeSelector(NODE_SELECTOR);
    t.setTolerations(List.of(TOLERATION, SPOT_TOLERATION));
    t.setAffinity(AFFINITY);
    return repository;
  }

  static WorkflowRepository allowing(WorkflowRepository repository, OverridableField... fields) {
    repository.getSpec().setAllowedOverrides(List.of(fields));
    return repository;
  }

  static EnvironmentTemplate template(WorkflowRepository repository) {
    return repository.getSpec().getTemplate();
  }

  /** What the webhook receiver creates for a push to {@code branch}. */
  static WorkflowEnvironment environment(String branch) {
    WorkflowEnvironment env = Fixtures.environment(BRANCHFLOW_NAMESPACE, branch);
    env.getMetadata().setGeneration(1L);
    return env;
  }

  static WorkflowEnvironment environment() {
    return environment(BRANCH);
  }

  static WorkflowEnvironment withOverrides(
      WorkflowEnvironment env, String image, Map<String, String> extraAirflowConfig) {
    EnvironmentOverrides overrides = new EnvironmentOverrides();
    overrides.setImage(image);
    overrides.setExtraAirflowConfig(extraAirflowConfig);
    env.getSpec().setOverrides(overrides);
    return env;
  }

  static EnvironmentInputs inputs(WorkflowEnvironment env, WorkflowRepository repository) {
    return EnvironmentInputs.of(env, repository, OperatorSettings.defaults());
  }

  static EnvironmentInputs inputs(WorkflowRepository repository) {
    return inputs(environment(), repository);
  }

  static EnvironmentInputs inputs() {
    return inputs(environment(), repository());
  }

  /** The environment's name, e.g. {@code dags-login-<hash>}. */
  static String environmentName() {
    return EnvironmentNames.of(REPOSITORY, BRANCH).name();
  }

  /** Everything Branchflow creates for an environment is labelled and lives in its namespace. */
  static void assertOwnedByEnvironment(HasMetadata object) {
    String name = environmentName();
    assertThat(object.getMetadata().getNamespace())
        .as("namespace of %s %s", object.getKind(), object.getMetadata().getName())
        .isEqualTo("bf-" + name);
    assertThat(object.getMetadata().getLabels())
        .as("labels of %s %s", object.getKind(), object.getMetadata().getName())
        .containsEntry(Labels.MANAGED_BY, "branchflow")
        .containsEntry(Labels.ENVIRONMENT, name)
        .containsEntry(Labels.REPOSITORY, REPOSITORY_OBJECT)
        .containsEntry(EnvironmentInputs.OWNER_NAMESPACE, BRANCHFLOW_NAMESPACE);
  }

  static void assertOwnedByEnvironment(List<? extends HasMetadata> objects) {
    assertThat(objects).isNotEmpty();
    objects.forEach(TestInputs::assertOwnedByEnvironment);
  }

  /** The value of an environment variable set directly on a container. */
  static String env(List<EnvVar> env, String name) {
    return env.stream()
        .filter(e -> e.getName().equals(name))
        .map(EnvVar::getValue)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no env var " + name + " in " + names(env)));
  }

  private static List<String> names(List<EnvVar> env) {
    List<String> names = new ArrayList<>();
    env.forEach(e -> names.add(e.getName()));
    return names;
  }
}
