package io.branchflow.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.branchflow.api.v1alpha1.Condition;
import io.branchflow.api.v1alpha1.EnvironmentLimits;
import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentStatus;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.testing.KubernetesClusterExtension;
import io.branchflow.testing.NeedsKwok;
import io.branchflow.testing.TestCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * limits.maxEnvironments as a platform engineer and a DAG author see it: branches past the limit
 * wait in phase Queued with nothing created, first come first served, and a restarted operator
 * keeps the same environments running and the same ones waiting.
 */
@NeedsKwok("admitted environments become Ready while the others wait")
@ExtendWith(KubernetesClusterExtension.class)
class EnvironmentQueueE2ETest {

  private final TestCluster cluster;
  private final KubernetesClient client;
  private final Environments environments;
  private String ns;
  private OperatorUnderTest operator;

  EnvironmentQueueE2ETest(TestCluster cluster) {
    this.cluster = cluster;
    this.client = cluster.client();
    this.environments = new Environments(client, cluster.kubectl());
  }

  @BeforeEach
  void createRepositoryWithRoomForTwo() {
    ns = Fixtures.branchflowNamespace(client, "queue");
    Fixtures.createRepository(client, ns, r -> r.getSpec().setLimits(limit(2)));
    operator = OperatorUnderTest.start(cluster, ns);
  }

  @AfterEach
  void cleanUp() {
    environments.deleteAllAndAwaitGone(ns);
    operator.closeAndRemove(client, ns);
  }

  @Test
  void branchesPastTheLimitWaitInOrderAndTakeTheSlotOfARemovedOne() {
    WorkflowEnvironment a = create("feature/a");
    WorkflowEnvironment b = create("feature/b");
    environments.awaitPhase(a, Phase.Ready);
    environments.awaitPhase(b, Phase.Ready);
    WorkflowEnvironment c = create("feature/c");
    WorkflowEnvironment d = create("feature/d");

    WorkflowEnvironmentStatus third = environments.awaitPhase(c, Phase.Queued);
    assertThat(third.getMessage())
        .startsWith("waiting: 2 of 2 environments of repository acme/dags exist; position 1");
    assertThat(third.getNamespace()).isNull();
    assertThat(third.getUrl()).isNull();
    assertThat(condition(third, "Ready").getReason()).isEqualTo("Queued");
    assertThat(environments.awaitPhase(d, Phase.Queued).getMessage()).contains("position 2");
    assertNothingProvisioned(c);
    assertNothingProvisioned(d);
    assertThat(cluster.kubectl().run("get", "wfe", "-n", ns, "-o", "wide"))
        .containsPattern("feature/c\\s+Queued.*waiting: 2 of 2 environments");

    environments.deleteAndAwaitGone(a);
    environments.awaitPhase(c, Phase.Ready);
    await("feature/d moves up")
        .atMost(Environments.PATIENCE)
        .until(() -> environments.status(d).orElseThrow().getMessage().contains("position 1"));
    assertNothingProvisioned(d);
  }

  @Test
  void aRestartedOperatorKeepsTheSameAdmissionAndALowerLimitTearsNothingDown() {
    WorkflowEnvironment a = create("feature/a");
    WorkflowEnvironment b = create("feature/b");
    environments.awaitPhase(a, Phase.Ready);
    environments.awaitPhase(b, Phase.Ready);
    WorkflowEnvironment c = create("feature/c");
    environments.awaitPhase(c, Phase.Queued);

    operator.close();
    operator = OperatorUnderTest.start(cluster, ns);
    // A push to the waiting branch: the restarted operator has decided again once the revision
    // in its status follows.
    String pushed = "fedcba9876543210fedcba9876543210fedcba98";
    environments.edit(c, e -> e.getSpec().setCommitSha(pushed));
    await("the restarted operator decides on feature/c")
        .atMost(Environments.PATIENCE)
        .until(() -> "fedcba9".equals(environments.status(c).orElseThrow().getRevision()));
    assertThat(environments.phase(c)).isEqualTo(Phase.Queued);
    assertNothingProvisioned(c);
    assertThat(environments.phase(a)).isEqualTo(Phase.Ready);
    assertThat(environments.phase(b)).isEqualTo(Phase.Ready);

    client
        .resources(WorkflowRepository.class)
        .inNamespace(ns)
        .withName(Fixtures.REPOSITORY_OBJECT)
        .edit(
            r -> {
              r.getSpec().setLimits(limit(1));
              return r;
            });
    await("the running environments say they are over the lowered limit")
        .atMost(Environments.PATIENCE)
        .until(() -> "OverLimit".equals(admission(a)) && "OverLimit".equals(admission(b)));
    assertThat(environments.phase(a)).isEqualTo(Phase.Ready);
    assertThat(environments.phase(b)).isEqualTo(Phase.Ready);
    await("feature/c waits behind two")
        .atMost(Environments.PATIENCE)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> environments.status(c).orElseThrow().getMessage().contains("position 2"));
  }

  private WorkflowEnvironment create(String branch) {
    return client.resource(Fixtures.environment(ns, branch)).create();
  }

  private void assertNothingProvisioned(WorkflowEnvironment env) {
    assertThat(client.namespaces().withName(Environments.namespaceOf(env)).get())
        .as("namespace of queued " + env.getMetadata().getName())
        .isNull();
  }

  /** The reason of condition Admitted, or null before there is one. */
  private String admission(WorkflowEnvironment env) {
    return environments.status(env).map(s -> s.getConditions()).orElse(java.util.List.of()).stream()
        .filter(c -> "Admitted".equals(c.getType()))
        .map(Condition::getReason)
        .findFirst()
        .orElse(null);
  }

  private static EnvironmentLimits limit(int max) {
    EnvironmentLimits limits = new EnvironmentLimits();
    limits.setMaxEnvironments(max);
    return limits;
  }

  private static Condition condition(WorkflowEnvironmentStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }
}
