package io.branchflow.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.branchflow.api.naming.EnvironmentNames;
import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.testing.Kubectl;
import io.branchflow.testing.KubernetesClusterExtension;
import io.branchflow.testing.NeedsKwok;
import io.branchflow.testing.RepositoryRoot;
import io.branchflow.testing.TestCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the README promises: {@code kubectl apply -f examples/} with the operator running. */
@NeedsKwok("feature/hardy from examples/ must become Ready")
@ExtendWith(KubernetesClusterExtension.class)
class ExamplesE2ETest {

  private static final String NAMESPACE = "branchflow-system";

  @Test
  void examplesMakeFeatureHardyReadyAndDeletingItTearsItDown(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    Kubectl kubectl = cluster.kubectl();
    assumeTrue(
        client
            .resources(WorkflowRepository.class)
            .inNamespace(NAMESPACE)
            .list()
            .getItems()
            .isEmpty(),
        NAMESPACE + " has WorkflowRepositories on this cluster; not touching it");
    String examples = RepositoryRoot.find().resolve("examples").toString();
    Environments environments = new Environments(client, kubectl);
    kubectl.run("apply", "-f", examples);
    // The local cluster made the real warehouse-readonly (examples/10 says so); elsewhere a
    // stand-in with a made-up value lets the environment start.
    if (client.secrets().inNamespace(NAMESPACE).withName("warehouse-readonly").get() == null) {
      client
          .resource(
              Fixtures.productionSecret(
                  NAMESPACE,
                  "warehouse-readonly",
                  java.util.Map.of(
                      "AIRFLOW_CONN_WAREHOUSE", "postgresql://reader:x@example.invalid/w")))
          .create();
    }
    try (OperatorUnderTest operator = OperatorUnderTest.start(cluster, NAMESPACE)) {
      WorkflowEnvironment env =
          client
              .resources(WorkflowEnvironment.class)
              .inNamespace(NAMESPACE)
              .withName(EnvironmentNames.of("acme/dags", "feature/hardy").name())
              .get();
      assertThat(env).as("examples/ names the environment by the naming rule").isNotNull();

      environments.awaitPhase(env, Phase.Ready);

      kubectl.run("delete", "-f", examples + "/30-feature-hardy-environment.yaml");
      environments.awaitGone(env);
      // While the operator runs: the repository's finalizer is its to release.
      kubectl.run("delete", "-f", examples + "/20-acme-dags-repository.yaml");
    } finally {
      OperatorUnderTest.revokeRbac(client, NAMESPACE);
      // What examples/ made, not the namespace: the local cluster keeps warehouse-readonly there.
      // Not waited for: after a failure the repository may keep its finalizer (no operator).
      kubectl.run(
          "delete",
          "--ignore-not-found",
          "--wait=false",
          "-f",
          examples + "/20-acme-dags-repository.yaml",
          "-f",
          examples + "/10-acme-dags-secrets.yaml");
    }
  }
}
