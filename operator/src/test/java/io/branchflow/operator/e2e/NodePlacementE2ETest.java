package io.branchflow.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.branchflow.api.v1alpha1.Condition;
import io.branchflow.api.v1alpha1.ConditionStatus;
import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentStatus;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.testing.KubernetesClusterExtension;
import io.branchflow.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The repository's placement reaches the scheduler: a node selector no node matches leaves the
 * environment's pods Pending and its status says why, in the scheduler's words; a node selector
 * naming the (kwok) node makes it Ready there.
 */
@ExtendWith(KubernetesClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodePlacementE2ETest {

  private static final Map<String, String> NO_SUCH_POOL =
      Map.of("branchflow.io/node-pool", "no-such-pool");

  /** The local control plane's fake node; on another cluster, one that takes any pod. */
  private static final String KWOK_NODE = "kwok-node-0";

  private final TestCluster cluster;
  private final KubernetesClient client;
  private final Environments environments;
  private String ns;
  private OperatorUnderTest operator;

  NodePlacementE2ETest(TestCluster cluster) {
    this.cluster = cluster;
    this.client = cluster.client();
    this.environments = new Environments(client, cluster.kubectl());
  }

  @BeforeAll
  void startOperator() {
    ns = Fixtures.branchflowNamespace(client, "placement");
    Fixtures.createRepository(
        client, ns, r -> r.getSpec().getTemplate().setNodeSelector(NO_SUCH_POOL));
    operator = OperatorUnderTest.start(cluster, ns);
  }

  @AfterAll
  void stopOperator() {
    environments.deleteAllAndAwaitGone(ns);
    operator.closeAndRemove(client, ns);
  }

  @Test
  void noNodeMatchesKeepsPodsPendingAndSaysWhyThenTheKwokNodeByHostnameMakesItReady() {
    WorkflowEnvironment env =
        client.resource(Fixtures.environment(ns, "feature/placement")).create();
    String envNs = Environments.namespaceOf(env);

    // No node matches: the database cannot be placed, and the status says so. (The scheduler's
    // first word may be about the volume claim not bound yet; the node selector's comes next.)
    await("the scheduler's reason in the status")
        .atMost(Environments.PATIENCE)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                environments
                    .status(env)
                    .map(WorkflowEnvironmentStatus::getMessage)
                    .filter(m -> m.startsWith("pods cannot be scheduled"))
                    .filter(m -> m.contains("didn't match Pod's node affinity/selector"))
                    .isPresent());
    WorkflowEnvironmentStatus pending = environments.status(env).orElseThrow();
    assertThat(pending.getPhase()).isEqualTo(Phase.Provisioning);
    assertThat(pending.getMessage())
        .contains("pod postgres-0: ")
        .contains("didn't match Pod's node affinity/selector")
        .contains("WorkflowRepository " + Fixtures.REPOSITORY_OBJECT);
    assertThat(condition(pending, "Ready"))
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo(ConditionStatus.False);
              assertThat(c.getReason()).isEqualTo("Unschedulable");
              assertThat(c.getMessage()).isEqualTo(pending.getMessage());
            });
    Pod database = client.pods().inNamespace(envNs).withName("postgres-0").get();
    assertThat(database.getSpec().getNodeSelector()).isEqualTo(NO_SUCH_POOL);
    assertThat(database.getSpec().getNodeName()).isNull();
    assertThat(database.getStatus().getPhase()).isEqualTo("Pending");
    assertThat(scheduled(database))
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getReason()).isEqualTo("Unschedulable");
            });

    // And it stays so: nothing is placed, nothing becomes Ready, nothing runs after it.
    await("the environment staying unready")
        .during(Duration.ofSeconds(5))
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                environments.phase(env) == Phase.Provisioning
                    && "Pending"
                        .equals(
                            client
                                .pods()
                                .inNamespace(envNs)
                                .withName("postgres-0")
                                .get()
                                .getStatus()
                                .getPhase()));
    assertThat(client.apps().deployments().inNamespace(envNs).list().getItems()).isEmpty();
    assertThat(client.batch().v1().jobs().inNamespace(envNs).list().getItems()).isEmpty();

    // The platform engineer points the template at the node by its hostname.
    String node = placeableNode();
    Map<String, String> onTheNode = Map.of("kubernetes.io/hostname", node);
    editRepository(
        r -> {
          r.getSpec().getTemplate().setNodeSelector(onTheNode);
          r.getSpec()
              .getTemplate()
              .setTolerations(
                  List.of(
                      new TolerationBuilder()
                          .withKey("branchflow.io/real-node")
                          .withOperator("Equal")
                          .withValue("true")
                          .withEffect("NoSchedule")
                          .build()));
        });

    WorkflowEnvironmentStatus ready = environments.awaitPhase(env, Phase.Ready);
    assertThat(condition(ready, "Ready").getStatus()).isEqualTo(ConditionStatus.True);
    List<Pod> pods = client.pods().inNamespace(envNs).list().getItems();
    assertThat(pods)
        .extracting(p -> p.getMetadata().getLabels().get("app.kubernetes.io/component"))
        .contains("database", "migration", "scheduler", "dag-processor", "api-server");
    assertThat(pods)
        .allSatisfy(
            p -> {
              assertThat(p.getSpec().getNodeSelector())
                  .as("nodeSelector of %s", p.getMetadata().getName())
                  .isEqualTo(onTheNode);
              assertThat(p.getSpec().getTolerations())
                  .as("tolerations of %s", p.getMetadata().getName())
                  .anySatisfy(t -> assertThat(t.getKey()).isEqualTo("branchflow.io/real-node"));
              assertThat(p.getSpec().getNodeName())
                  .as("node of %s", p.getMetadata().getName())
                  .isEqualTo(node);
            });
  }

  /** {@value #KWOK_NODE} on the local control plane, else a Ready node without taints. */
  private String placeableNode() {
    List<Node> nodes = client.nodes().list().getItems();
    return nodes.stream()
        .filter(n -> n.getMetadata().getName().equals(KWOK_NODE))
        .findFirst()
        .or(
            () ->
                nodes.stream()
                    .filter(
                        n -> n.getSpec().getTaints() == null || n.getSpec().getTaints().isEmpty())
                    .findFirst())
        .map(n -> n.getMetadata().getLabels().get("kubernetes.io/hostname"))
        .orElseThrow(() -> new AssertionError("no node takes the environment's pods"));
  }

  /** Edits the repository as its owner would, retried when the operator's status write races. */
  private void editRepository(java.util.function.Consumer<WorkflowRepository> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        client
            .resources(WorkflowRepository.class)
            .inNamespace(ns)
            .withName(Fixtures.REPOSITORY_OBJECT)
            .edit(
                r -> {
                  change.accept(r);
                  return r;
                });
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }

  private static PodCondition scheduled(Pod pod) {
    return pod.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals("PodScheduled"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no PodScheduled condition"));
  }

  private static Condition condition(WorkflowEnvironmentStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no condition " + type));
  }
}
