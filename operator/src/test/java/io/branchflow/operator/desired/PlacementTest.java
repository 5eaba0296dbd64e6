package io.branchflow.operator.desired;

import static io.branchflow.operator.desired.TestInputs.AFFINITY;
import static io.branchflow.operator.desired.TestInputs.NODE_SELECTOR;
import static io.branchflow.operator.desired.TestInputs.SPOT_TOLERATION;
import static io.branchflow.operator.desired.TestInputs.TOLERATION;
import static io.branchflow.operator.desired.TestInputs.allowing;
import static io.branchflow.operator.desired.TestInputs.environment;
import static io.branchflow.operator.desired.TestInputs.inputs;
import static io.branchflow.operator.desired.TestInputs.repository;
import static io.branchflow.operator.desired.TestInputs.template;
import static io.branchflow.operator.desired.TestInputs.withOverrides;
import static io.branchflow.operator.desired.TestInputs.withPlacement;
import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.v1alpha1.Executor;
import io.branchflow.api.v1alpha1.OverridableField;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The template's placement (nodeSelector, tolerations, affinity) reaches every pod an environment
 * runs: PostgreSQL, the migration Job, each Airflow component and KubernetesExecutor task pods.
 */
class PlacementTest {

  @Test
  void everyPodOfAnEnvironmentCarriesThePlacement() {
    Map<String, PodSpec> pods = everyPod(inputs(withPlacement(everyComponent())));

    assertThat(pods)
        .containsOnlyKeys(
            "statefulset/postgres",
            "job/migration",
            "deployment/airflow-scheduler",
            "deployment/airflow-dag-processor",
            "deployment/airflow-api-server",
            "deployment/airflow-triggerer",
            "configmap/airflow-pod-template");
    pods.forEach(
        (name, pod) -> {
          assertThat(pod.getNodeSelector()).as("nodeSelector of %s", name).isEqualTo(NODE_SELECTOR);
          assertThat(pod.getTolerations())
              .as("tolerations of %s", name)
              .containsExactly(TOLERATION, SPOT_TOLERATION);
          assertThat(pod.getAffinity().getNodeAffinity())
              .as("node affinity of %s", name)
              .isEqualTo(AFFINITY.getNodeAffinity());
          assertOnlyBesideTheDatabase(name, pod);
        });
  }

  @Test
  void everyPodThatKeepsTaskLogsRunsBesideTheDatabaseAndMountsTheLogs() {
    everyPod(inputs(everyComponent()))
        .forEach(
            (name, pod) -> {
              boolean logs = !name.equals("statefulset/postgres") && !name.equals("job/migration");
              assertThat(pod.getVolumes())
                  .as("volumes of %s", name)
                  .filteredOn(v -> v.getPersistentVolumeClaim() != null)
                  .extracting(v -> v.getPersistentVolumeClaim().getClaimName())
                  .containsExactlyElementsOf(
                      logs ? java.util.List.of(TaskLogs.CLAIM) : java.util.List.of());
              if (logs) {
                assertThat(pod.getContainers().get(0).getVolumeMounts())
                    .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo(TaskLogs.MOUNT));
              }
            });
  }

  /**
   * The only pod affinity an environment adds: pods that share the task-log volume run on the
   * database's node; PostgreSQL and the migration have none.
   */
  private static void assertOnlyBesideTheDatabase(String name, PodSpec pod) {
    if (name.equals("statefulset/postgres") || name.equals("job/migration")) {
      assertThat(pod.getAffinity() == null ? null : pod.getAffinity().getPodAffinity())
          .as("pod affinity of %s", name)
          .isNull();
      return;
    }
    assertThat(
            pod.getAffinity().getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution())
        .as("pod affinity of %s", name)
        .singleElement()
        .satisfies(
            term -> {
              assertThat(term.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
              assertThat(term.getLabelSelector().getMatchLabels())
                  .containsEntry("app.kubernetes.io/component", "database");
            });
  }

  @Test
  void airflow2WebserverCarriesThePlacement() {
    WorkflowRepository repository = withPlacement(repository());
    template(repository).setAirflowMajorVersion(2);
    template(repository).setImage("apache/airflow:2.10.5");

    Map<String, PodSpec> pods = everyPod(inputs(repository));

    assertThat(pods).containsKey("deployment/airflow-webserver");
    assertThat(pods.values())
        .allSatisfy(pod -> assertThat(pod.getNodeSelector()).isEqualTo(NODE_SELECTOR));
  }

  @Test
  void taskPodTemplateFileCarriesThePlacementAsYaml() {
    String file =
        AirflowComponents.podTemplate(inputs(withPlacement(everyComponent())))
            .orElseThrow()
            .getData()
            .get(AirflowConfig.POD_TEMPLATE_FILE);

    // What Airflow reads: the YAML text itself, not only the object it was made from.
    assertThat(file)
        .contains("nodeSelector:")
        .contains("branchflow.io/node-kind: \"real\"")
        .contains("tolerations:")
        .contains("key: \"branchflow.io/real-node\"")
        .contains("effect: \"NoSchedule\"")
        .contains("affinity:")
        .contains("topology.kubernetes.io/zone");
    PodSpec task = Serialization.unmarshal(file, Pod.class).getSpec();
    assertThat(task.getNodeSelector()).isEqualTo(NODE_SELECTOR);
    assertThat(task.getTolerations()).containsExactly(TOLERATION, SPOT_TOLERATION);
    assertThat(task.getAffinity().getNodeAffinity()).isEqualTo(AFFINITY.getNodeAffinity());
  }

  @Test
  void withoutPlacementNothingIsSet() {
    Map<String, PodSpec> pods = everyPod(inputs(everyComponent()));

    assertThat(pods).hasSize(7);
    pods.forEach(
        (name, pod) -> {
          assertThat(pod.getNodeSelector()).as("nodeSelector of %s", name).isNullOrEmpty();
          assertThat(pod.getTolerations()).as("tolerations of %s", name).isNullOrEmpty();
          assertThat(pod.getAffinity() == null ? null : pod.getAffinity().getNodeAffinity())
              .as("node affinity of %s", name)
              .isNull();
          assertOnlyBesideTheDatabase(name, pod);
        });
    String file =
        AirflowComponents.podTemplate(inputs(everyComponent()))
            .orElseThrow()
            .getData()
            .get(AirflowConfig.POD_TEMPLATE_FILE);
    assertThat(file).doesNotContain("nodeSelector").doesNotContain("tolerations");
    assertThat(file).doesNotContain("nodeAffinity");
  }

  @Test
  void emptyPlacementSetsNothingEither() {
    WorkflowRepository repository = everyComponent();
    template(repository).setNodeSelector(Map.of());
    template(repository).setTolerations(java.util.List.of());

    everyPod(inputs(repository))
        .forEach(
            (name, pod) -> {
              // (a pod read back from YAML has empty collections where the YAML has none)
              assertThat(pod.getNodeSelector()).as("nodeSelector of %s", name).isNullOrEmpty();
              assertThat(pod.getTolerations()).as("tolerations of %s", name).isNullOrEmpty();
            });
  }

  @Test
  void onlyTheSettingsGivenAreSet() {
    WorkflowRepository repository = everyComponent();
    template(repository).setNodeSelector(NODE_SELECTOR);

    everyPod(inputs(repository))
        .forEach(
            (name, pod) -> {
              assertThat(pod.getNodeSelector())
                  .as("nodeSelector of %s", name)
                  .isEqualTo(NODE_SELECTOR);
              assertThat(pod.getTolerations()).as("tolerations of %s", name).isNullOrEmpty();
              assertThat(pod.getAffinity() == null ? null : pod.getAffinity().getNodeAffinity())
                  .as("node affinity of %s", name)
                  .isNull();
            });
  }

  @Test
  void aBranchCannotMoveItsPodsEvenWhenEveryOverrideIsAllowed() {
    WorkflowRepository repository =
        allowing(
            withPlacement(repository()),
            OverridableField.IMAGE,
            OverridableField.EXTRA_AIRFLOW_CONFIG);
    var env =
        withOverrides(environment(), "evil/airflow:1", Map.of("AIRFLOW__CORE__PARALLELISM", "1"));

    ResolvedTemplate t = ResolvedTemplate.of(repository, env);

    assertThat(t.nodeSelector()).isEqualTo(NODE_SELECTOR);
    assertThat(t.tolerations()).containsExactly(TOLERATION, SPOT_TOLERATION);
    assertThat(t.affinity()).isEqualTo(AFFINITY);
  }

  @Test
  void migrationJobIsRenamedWhenThePlacementChangesAndOnlyThen() {
    WorkflowRepository repository = repository();
    String unplaced = MigrationJob.name(inputs(repository));
    withPlacement(repository);
    String placed = MigrationJob.name(inputs(repository));
    template(repository).setNodeSelector(Map.of("kubernetes.io/hostname", "kwok-node-0"));
    String moved = MigrationJob.name(inputs(repository));

    // A Job's pod template is immutable: a new placement needs a new Job.
    assertThat(placed).isNotEqualTo(unplaced).isNotEqualTo(moved);
    assertThat(MigrationJob.name(inputs(withPlacement(repository())))).isEqualTo(placed);
    // Environments made before placement existed keep their Job (and do not migrate again).
    assertThat(unplaced).isEqualTo("airflow-migrate-" + legacyHash(repository()));
  }

  /** A repository that runs every kind of pod: triggerer on, KubernetesExecutor task pods. */
  private static WorkflowRepository everyComponent() {
    WorkflowRepository repository = repository();
    template(repository).setTriggerer(true);
    template(repository).setExecutor(Executor.KubernetesExecutor);
    return repository;
  }

  /** Every pod spec the desired state of an environment holds, by the object that holds it. */
  private static Map<String, PodSpec> everyPod(EnvironmentInputs in) {
    Map<String, PodSpec> pods = new LinkedHashMap<>();
    pods.put(
        "statefulset/" + Components.DATABASE_NAME,
        DatabaseObjects.statefulSet(in).getSpec().getTemplate().getSpec());
    pods.put("job/migration", MigrationJob.job(in).getSpec().getTemplate().getSpec());
    AirflowComponents.deployments(in, "h", false)
        .forEach(
            d ->
                pods.put(
                    "deployment/" + d.getMetadata().getName(),
                    d.getSpec().getTemplate().getSpec()));
    AirflowComponents.podTemplate(in)
        .ifPresent(
            cm ->
                pods.put(
                    "configmap/" + cm.getMetadata().getName(),
                    Serialization.unmarshal(
                            cm.getData().get(AirflowConfig.POD_TEMPLATE_FILE), Pod.class)
                        .getSpec()));
    return pods;
  }

  /** The migration Job's name as it was computed before placement existed. */
  private static String legacyHash(WorkflowRepository repository) {
    ResolvedTemplate t = ResolvedTemplate.of(repository, environment());
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(
                  (t.image() + "\n" + t.airflowConfig())
                      .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest).substring(0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
