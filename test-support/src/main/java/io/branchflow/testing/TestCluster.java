package io.branchflow.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The Kubernetes cluster a test run talks to: the caller's {@code KUBECONFIG} when one is set (so
 * the same suites run on Kind or any other cluster), otherwise a local control plane started once
 * for the whole JVM and stopped when it exits.
 */
public final class TestCluster {

  private static TestCluster shared;

  private final Path kubeconfig;
  private final Path kubectl;
  private final boolean privateControlPlane;
  private final KubernetesClient client;

  private TestCluster(Path kubeconfig, Path kubectl, boolean privateControlPlane) {
    this.kubeconfig = kubeconfig;
    this.kubectl = kubectl;
    this.privateControlPlane = privateControlPlane;
    this.client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(kubeconfig.toFile()))
            .build();
  }

  /** The cluster for this JVM, started (and its CRDs installed) on first use. */
  public static synchronized TestCluster shared() {
    if (shared == null) {
      shared = connect();
      new CrdInstaller(shared.client).installAll(RepositoryRoot.find().resolve("crds"));
    }
    return shared;
  }

  private static final String STARTED_KUBECONFIG = "branchflow.test-cluster.kubeconfig";
  private static final String STARTED_KUBECTL = "branchflow.test-cluster.kubectl";

  private static TestCluster connect() {
    Optional<Path> external =
        Optional.ofNullable(System.getenv("KUBECONFIG"))
            .filter(value -> !value.isBlank())
            .map(value -> Path.of(value.split(java.io.File.pathSeparator)[0]));
    if (external.isPresent()) {
      if (!Files.isRegularFile(external.get())) {
        throw new IllegalStateException(
            "KUBECONFIG names " + external.get() + ", which is no file");
      }
      Path kubectl = Path.of(Optional.ofNullable(System.getenv("KUBECTL")).orElse("kubectl"));
      return new TestCluster(external.get(), kubectl, false);
    }
    // Quarkus tests load this class a second time, in their own class loader; system properties
    // are the JVM's, so the second copy joins the cluster the first one started instead of
    // starting another (which could not have the machine's one real node).
    String started = System.getProperty(STARTED_KUBECONFIG);
    if (started != null) {
      return new TestCluster(Path.of(started), Path.of(System.getProperty(STARTED_KUBECTL)), true);
    }
    LocalControlPlane plane = LocalControlPlane.start(RepositoryRoot.find());
    TestCluster cluster = new TestCluster(plane.kubeconfig(), plane.kubectl(), true);
    System.setProperty(STARTED_KUBECONFIG, plane.kubeconfig().toString());
    System.setProperty(STARTED_KUBECTL, plane.kubectl().toString());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  cluster.client.close();
                  plane.stop();
                },
                "stop-local-control-plane"));
    return cluster;
  }

  public KubernetesClient client() {
    return client;
  }

  /**
   * True when this JVM started the cluster itself (no {@code KUBECONFIG}): the local control plane
   * of {@code hack/local-cluster.sh}, which always registers kwok's fake node.
   */
  public boolean isPrivateControlPlane() {
    return privateControlPlane;
  }

  public Path kubeconfig() {
    return kubeconfig;
  }

  /** Runs the real {@code kubectl} against this cluster, as a user would. */
  public Kubectl kubectl() {
    return new Kubectl(kubectl, kubeconfig);
  }
}
