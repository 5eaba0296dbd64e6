package io.branchflow.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the operator relies on from the cluster beyond the API server itself: scheduling and pod
 * readiness (kube-scheduler + kwok), namespace deletion (namespace controller) and garbage
 * collection of owned objects. If one of these breaks, operator tests would hang, not fail. Only
 * the readiness test needs kwok; the other two hold on any cluster (Kind too).
 */
@ExtendWith(KubernetesClusterExtension.class)
class LocalControlPlaneTest {

  private static final Duration WAIT = Duration.ofSeconds(90);

  private final KubernetesClient client;
  private final List<String> namespaces = new ArrayList<>();

  LocalControlPlaneTest(KubernetesClient client) {
    this.client = client;
  }

  @AfterEach
  void deleteNamespaces() {
    // Matters on a shared cluster (KUBECONFIG); the private one is thrown away anyway.
    namespaces.forEach(ns -> client.namespaces().withName(ns).delete());
  }

  @Test
  @NeedsKwok("pods of an image that never pulls must become Running and Ready")
  void deploymentPodsAreScheduledAndBecomeReady() {
    String ns = createNamespace("pods");
    client.resource(deployment(ns, "web", 2)).create();

    await("2 pods of deployment web Running and Ready")
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              List<Pod> pods =
                  client.pods().inNamespace(ns).withLabel("app", "web").list().getItems();
              assertThat(pods).hasSize(2);
              assertThat(pods)
                  .allSatisfy(
                      pod -> {
                        assertThat(pod.getSpec().getNodeName()).isNotBlank();
                        assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
                        assertThat(pod.getStatus().getConditions())
                            .anyMatch(
                                c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
                      });
            });
    await("deployment web reports 2 ready replicas")
        .atMost(WAIT)
        .until(
            () -> {
              Deployment d = client.apps().deployments().inNamespace(ns).withName("web").get();
              return d.getStatus() != null
                  && Integer.valueOf(2).equals(d.getStatus().getReadyReplicas());
            });
  }

  @Test
  void deletingANamespaceCompletesAndRemovesItsContents() {
    String ns = createNamespace("delete");
    client.resource(deployment(ns, "web", 1)).create();
    await().atMost(WAIT).until(() -> !client.pods().inNamespace(ns).list().getItems().isEmpty());

    client.namespaces().withName(ns).delete();

    await("namespace " + ns + " gone")
        .atMost(WAIT)
        .until(() -> client.namespaces().withName(ns).get() == null);
    assertThat(client.pods().inNamespace(ns).list().getItems()).isEmpty();
  }

  @Test
  void objectWithOwnerReferenceIsGarbageCollectedWithItsOwner() {
    String ns = createNamespace("gc");
    ConfigMap owner =
        client
            .resource(
                new ConfigMapBuilder()
                    .withNewMetadata()
                    .withName("owner")
                    .withNamespace(ns)
                    .endMetadata()
                    .build())
            .create();
    client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("dependent")
                .withNamespace(ns)
                .addNewOwnerReference()
                .withApiVersion("v1")
                .withKind("ConfigMap")
                .withName("owner")
                .withUid(owner.getMetadata().getUid())
                .endOwnerReference()
                .endMetadata()
                .build())
        .create();

    client.configMaps().inNamespace(ns).withName("owner").delete();

    await("dependent ConfigMap collected")
        .atMost(WAIT)
        .until(() -> client.configMaps().inNamespace(ns).withName("dependent").get() == null);
  }

  private String createNamespace(String purpose) {
    String name = "cp-" + purpose + "-" + UUID.randomUUID().toString().substring(0, 8);
    client
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(Map.of("branchflow.io/test", "control-plane"))
                .endMetadata()
                .build())
        .create();
    namespaces.add(name);
    return name;
  }

  private static Deployment deployment(String ns, String name, int replicas) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName(name)
        .withImage("registry.invalid/never-pulled:1") // kwok runs no containers
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
