package io.branchflow.receiver;

import io.branchflow.testing.HelmChart;
import io.branchflow.testing.TestCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.UUID;

/**
 * Points the receiver under test at the test cluster (KUBECONFIG's, or a private local control
 * plane) and gives it a fresh Branchflow namespace.
 */
public class ClusterForReceiver implements QuarkusTestResourceLifecycleManager {

  static final String NAMESPACE = "bf-receiver-" + UUID.randomUUID().toString().substring(0, 6);

  @Override
  public Map<String, String> start() {
    TestCluster cluster = TestCluster.shared();
    cluster
        .client()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(NAMESPACE)
                .addToLabels("branchflow.io/test", "receiver")
                .endMetadata()
                .build())
        .create();
    // The receiver runs as the Helm chart installs it: its ServiceAccount, with the chart's RBAC
    // and nothing more. fabric8 reads this before KUBECONFIG; the Quarkus client is built from it.
    System.setProperty(
        "kubeconfig",
        new HelmChart()
            .installIdentity(cluster, NAMESPACE, "branchflow-webhook-receiver")
            .toString());
    return Map.of("branchflow.namespace", NAMESPACE, "quarkus.http.test-port", "0");
  }

  @Override
  public void stop() {
    TestCluster.shared().client().namespaces().withName(NAMESPACE).delete();
  }
}
