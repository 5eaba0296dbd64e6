package io.branchflow.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.testing.KubernetesClusterExtension;
import io.branchflow.testing.NeedsKwok;
import io.branchflow.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The operator killed in the middle of provisioning picks up where the cluster stands. */
@NeedsKwok("the restarted operator must bring the environment to Ready")
@ExtendWith(KubernetesClusterExtension.class)
class OperatorRestartE2ETest {

  private final TestCluster cluster;
  private final KubernetesClient client;
  private final Environments environments;
  private String ns;
  private OperatorUnderTest operator;

  OperatorRestartE2ETest(TestCluster cluster) {
    this.cluster = cluster;
    this.client = cluster.client();
    this.environments = new Environments(client, cluster.kubectl());
  }

  @BeforeEach
  void createRepository() {
    ns = Fixtures.branchflowNamespace(client, "restart");
    Fixtures.createRepository(client, ns);
  }

  @AfterEach
  void cleanUp() {
    if (operator == null) {
      operator = OperatorUnderTest.start(cluster, ns);
    }
    client
        .resources(WorkflowEnvironment.class)
        .inNamespace(ns)
        .list()
        .getItems()
        .forEach(
            e -> {
              client.resource(e).delete();
              environments.awaitGone(e);
            });
    operator.close();
    OperatorUnderTest.revokeRbac(client, ns);
    client.namespaces().withName(ns).delete();
  }

  @Test
  void operatorStoppedMidProvisioningConvergesAfterRestartWithTheSameGeneratedSecrets() {
    WorkflowEnvironment env =
        client.resource(Fixtures.environment(ns, "feature/interrupted")).create();
    String envNs = Environments.namespaceOf(env);
    var generated = client.secrets().inNamespace(envNs).withName("airflow-secrets");

    // First life: killed as soon as the secrets exist, before the database is even ready.
    operator = OperatorUnderTest.start(cluster, ns);
    awaitThenStop(() -> generated.get() != null);
    Secret before = generated.get();
    assertThat(environments.phase(env)).isNotEqualTo(Phase.Ready);

    // Second life: killed once the migration Job exists, before any Airflow component.
    operator = OperatorUnderTest.start(cluster, ns);
    awaitThenStop(() -> !client.batch().v1().jobs().inNamespace(envNs).list().getItems().isEmpty());

    // Third life: converges.
    operator = OperatorUnderTest.start(cluster, ns);
    environments.awaitPhase(env, Phase.Ready);

    Secret after = generated.get();
    assertThat(after.getMetadata().getUid()).isEqualTo(before.getMetadata().getUid());
    assertThat(after.getData()).isEqualTo(before.getData());
    assertThat(client.apps().deployments().inNamespace(envNs).list().getItems()).hasSize(3);
    assertThat(client.batch().v1().jobs().inNamespace(envNs).list().getItems()).hasSize(1);
  }

  private void awaitThenStop(BooleanSupplier reached) {
    await()
        .atMost(Environments.PATIENCE)
        .pollInterval(Duration.ofMillis(20))
        .until(reached::getAsBoolean);
    operator.close();
    operator = null;
  }
}
