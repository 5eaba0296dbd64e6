package io.branchflow.testing;

import io.fabric8.kubernetes.api.model.Node;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The condition behind {@link NeedsKwok}: enabled when the test cluster has a node annotated {@code
 * kwok.x-k8s.io/node=fake}, disabled (with the reason) when it has none, and an error when the
 * cluster is the private local control plane, which always registers one.
 *
 * <p>It asks {@link TestCluster#shared()}, the lazily started singleton every cluster test uses
 * anyway: on the first {@code @NeedsKwok} class of a JVM the cluster starts here instead of in that
 * class's {@link KubernetesClusterExtension}, which changes nothing else. The nodes are listed once
 * per test run (cached in the root store).
 */
public final class KwokNodeCondition implements ExecutionCondition {

  static final String ANNOTATION = "kwok.x-k8s.io/node";
  static final String FAKE = "fake";

  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(KwokNodeCondition.class);

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Verdict verdict =
        context
            .getRoot()
            .getStore(STORE)
            // Keyed by class loader: a @QuarkusTest's classes (and so its TestCluster singleton)
            // may come from Quarkus' class loader, and a Verdict of another loader is no Verdict.
            .getOrComputeIfAbsent(
                "verdict@" + System.identityHashCode(Verdict.class.getClassLoader()),
                key -> lookUp(),
                Verdict.class);
    String why =
        AnnotationSupport.findAnnotation(context.getElement(), NeedsKwok.class)
            .or(
                () ->
                    context
                        .getTestClass()
                        .flatMap(c -> AnnotationSupport.findAnnotation(c, NeedsKwok.class)))
            .map(NeedsKwok::value)
            .orElse("relies on kwok");
    return verdict.kwokNode()
        ? ConditionEvaluationResult.enabled(verdict.message())
        : ConditionEvaluationResult.disabled(verdict.message(), "@NeedsKwok: " + why);
  }

  private static Verdict lookUp() {
    // For a @QuarkusTest this class (and fabric8) may come from Quarkus' class loader while the
    // thread's context loader is still the application's: fabric8 would then load its model
    // classes through both and fail ("LimitRange not a subtype"). Ours, for this call.
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(KwokNodeCondition.class.getClassLoader());
    try {
      TestCluster cluster = TestCluster.shared();
      return decide(
          cluster.client().nodes().list().getItems(),
          cluster.isPrivateControlPlane(),
          String.valueOf(cluster.client().getMasterUrl()));
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /** What the nodes of the cluster at {@code server} allow; pure, for unit tests. */
  static Verdict decide(List<Node> nodes, boolean privateControlPlane, String server) {
    List<String> fake =
        nodes.stream()
            .filter(
                node ->
                    FAKE.equals(
                        Optional.ofNullable(node.getMetadata().getAnnotations())
                            .orElse(Map.of())
                            .get(ANNOTATION)))
            .map(node -> node.getMetadata().getName())
            .sorted()
            .toList();
    if (!fake.isEmpty()) {
      return new Verdict(
          true, "kwok's fake node " + String.join(", ", fake) + " is in the cluster");
    }
    if (privateControlPlane) {
      throw new IllegalStateException(
          "the private local control plane at "
              + server
              + " has no node annotated "
              + ANNOTATION
              + "="
              + FAKE
              + " (hack/local-cluster.sh registers kwok-node-0); it is broken, so @NeedsKwok"
              + " tests fail here instead of being skipped");
    }
    return new Verdict(
        false,
        "no node of the cluster at "
            + server
            + " is annotated "
            + ANNOTATION
            + "="
            + FAKE
            + " ("
            + nodes.size()
            + " nodes): without kwok, pods only become Ready if their containers really run"
            + " (plain Kind?). See docs/local-control-plane.md, \"Which tests need kwok\"");
  }

  record Verdict(boolean kwokNode, String message) {}
}
