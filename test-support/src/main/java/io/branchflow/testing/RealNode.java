package io.branchflow.testing;

import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/**
 * The local cluster's real node (hack/real-node.sh), where pods really run: how to place a pod
 * there, and the images built for it (hack/images.sh). kwok's fake node carries the same label with
 * the value {@code kwok}.
 */
public final class RealNode {

  /** The label that tells the two kinds of node apart. */
  public static final String KIND_LABEL = "branchflow.io/node-kind";

  /** The real node's taint: only pods that ask for it run there. */
  public static final String TAINT_KEY = "branchflow.io/real-node";

  /** A Debian bookworm image with python3 and curl, built locally (never pulled). */
  public static final String DEBIAN_IMAGE = "branchflow.local/debian:bookworm";

  private RealNode() {}

  /** The node selector that places a pod on the real node. */
  public static Map<String, String> nodeSelector() {
    return Map.of(KIND_LABEL, "real");
  }

  /** The toleration of the real node's taint. */
  public static Toleration toleration() {
    return new TolerationBuilder()
        .withKey(TAINT_KEY)
        .withOperator("Equal")
        .withValue("true")
        .withEffect("NoSchedule")
        .build();
  }

  /**
   * The real node's address (its InternalIP): where a server on this machine must listen for the
   * node's pods to reach it (they reach nothing else outside the cluster).
   */
  public static String address(KubernetesClient client) {
    return client.nodes().withLabel(KIND_LABEL, "real").list().getItems().stream()
        .flatMap(n -> n.getStatus().getAddresses().stream())
        .filter(a -> "InternalIP".equals(a.getType()))
        .map(a -> a.getAddress())
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no real node with an InternalIP"));
  }

  /** The real node's name. */
  public static String name(KubernetesClient client) {
    return client.nodes().withLabel(KIND_LABEL, "real").list().getItems().stream()
        .map(n -> n.getMetadata().getName())
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no node labelled " + KIND_LABEL + "=real"));
  }

  /** Whether the cluster has a real node. */
  public static boolean presentIn(KubernetesClient client) {
    return !client.nodes().withLabel(KIND_LABEL, "real").list().getItems().isEmpty();
  }
}
