package io.branchflow.receiver;

import io.branchflow.testing.ServiceAccountKubeconfig;
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
    // The receiver runs as it does in a cluster: a ServiceAccount bound to the Role we ship, and
    // nothing more. fabric8 reads this before KUBECONFIG; the Quarkus client is built from it.
    System.setProperty(
        "kubeconfig",
        ServiceAccountKubeconfig.forNamespacedRole(
                cluster,
                NAMESPACE,
                "branchflow-webhook-receiver",
                "charts/branchflow/files/rbac/receiver-role.yaml")
            .toString());
    return Map.of("branchflow.namespace", NAMESPACE, "quarkus.http.test-port", "0");
  }

  @Override
  public void stop() {
    TestCluster.shared().client().namespaces().withName(NAMESPACE).delete();
  }
}
