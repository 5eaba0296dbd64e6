package io.branchflow.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class a real Kubernetes API with Branchflow's CRDs installed. Inject {@link
 * TestCluster} or {@link KubernetesClient} into constructors, lifecycle methods or tests.
 *
 * <pre>{@code
 * @ExtendWith(KubernetesClusterExtension.class)
 * class MyTest {
 *   @Test void works(KubernetesClient client) { ... }
 * }
 * }</pre>
 */
public final class KubernetesClusterExtension implements BeforeAllCallback, ParameterResolver {

  @Override
  public void beforeAll(ExtensionContext context) {
    TestCluster.shared();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == TestCluster.class || type == KubernetesClient.class || type == Kubectl.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    TestCluster cluster = TestCluster.shared();
    if (type == KubernetesClient.class) {
      return cluster.client();
    }
    if (type == Kubectl.class) {
      return cluster.kubectl();
    }
    return cluster;
  }
}
