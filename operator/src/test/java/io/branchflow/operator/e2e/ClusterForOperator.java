package io.branchflow.operator.e2e;

import io.branchflow.testing.HelmChart;
import io.branchflow.testing.TestCluster;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points the packaged operator under test at the test cluster: a fresh Branchflow namespace, and
 * the identity the Helm chart gives the operator there (its ServiceAccount and RBAC, nothing more).
 */
public class ClusterForOperator implements QuarkusTestResourceLifecycleManager {

  static String namespace;

  @Override
  public Map<String, String> start() {
    TestCluster cluster = TestCluster.shared();
    namespace = Fixtures.branchflowNamespace(cluster.client(), "packaged");
    // fabric8 reads this before KUBECONFIG; the Quarkus client is built from it.
    System.setProperty(
        "kubeconfig",
        new HelmChart()
            .installIdentity(cluster, namespace, OperatorUnderTest.SERVICE_ACCOUNT)
            .toString());
    return Map.of(
        // What the chart sets: the namespace both controllers watch, and the operator's identity.
        "BRANCHFLOW_WATCH_NAMESPACES",
        namespace,
        "branchflow.rbac.environment-role",
        OperatorUnderTest.environmentAccess(namespace).clusterRole(),
        "branchflow.rbac.service-account",
        namespace + "/" + OperatorUnderTest.SERVICE_ACCOUNT,
        // So a branch pushed a moment ago may be resynced (and the test need not wait).
        "branchflow.resync.grace-period",
        "0S",
        "quarkus.http.test-port",
        "0");
  }

  @Override
  public void stop() {
    System.clearProperty("kubeconfig");
    OperatorUnderTest.revokeRbac(TestCluster.shared().client(), namespace);
    TestCluster.shared().client().namespaces().withName(namespace).delete();
  }
}
