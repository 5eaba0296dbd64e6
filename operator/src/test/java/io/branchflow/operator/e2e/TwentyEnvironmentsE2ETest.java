package io.branchflow.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.Labels;
import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.testing.KubernetesClusterExtension;
import io.branchflow.testing.NeedsKwok;
import io.branchflow.testing.TestCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A busy Monday: twenty branches pushed at once, then all merged. */
@NeedsKwok("twenty environments must become Ready")
@ExtendWith(KubernetesClusterExtension.class)
class TwentyEnvironmentsE2ETest {

  private final TestCluster cluster;
  private final KubernetesClient client;
  private final Environments environments;
  private String ns;
  private OperatorUnderTest operator;

  TwentyEnvironmentsE2ETest(TestCluster cluster) {
    this.cluster = cluster;
    this.client = cluster.client();
    this.environments = new Environments(client, cluster.kubectl());
  }

  @BeforeEach
  void start() {
    ns = Fixtures.branchflowNamespace(client, "twenty");
    Fixtures.createRepository(client, ns);
    operator = OperatorUnderTest.start(cluster, ns);
  }

  @AfterEach
  void stop() {
    operator.close();
    OperatorUnderTest.revokeRbac(client, ns);
    client.namespaces().withName(ns).delete();
  }

  @Test
  void twentyEnvironmentsCreatedAtOnceAllBecomeReadyAndAllGoCleanly() {
    long start = System.nanoTime();
    List<WorkflowEnvironment> envs =
        IntStream.rangeClosed(1, 20)
            .mapToObj(i -> client.resource(Fixtures.environment(ns, "feature/busy-" + i)).create())
            .toList();

    envs.forEach(e -> environments.awaitPhase(e, Phase.Ready));
    Duration toReady = Duration.ofNanos(System.nanoTime() - start);
    assertThat(envs)
        .allSatisfy(e -> assertThat(environments.status(e).orElseThrow().getUrl()).isNotBlank());

    start = System.nanoTime();
    envs.forEach(e -> client.resource(e).delete());
    envs.forEach(environments::awaitGone);
    Duration toGone = Duration.ofNanos(System.nanoTime() - start);

    assertThat(
            environments.labelledObjects(
                Labels.MANAGED_SELECTOR + ",branchflow.io/owner-namespace=" + ns))
        .isEmpty();
    // Reported, not asserted: speed is measured by benchmarks, not by tests.
    System.out.printf(
        "[measure] 20 environments: create->Ready %d ms, delete->gone %d ms%n",
        toReady.toMillis(), toGone.toMillis());
  }
}
