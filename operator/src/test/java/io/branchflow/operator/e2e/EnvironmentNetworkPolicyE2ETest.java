package io.branchflow.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.operator.config.OperatorSettings;
import io.branchflow.operator.desired.Components;
import io.branchflow.operator.desired.DatabaseObjects;
import io.branchflow.operator.desired.EnvironmentInputs;
import io.branchflow.operator.desired.NamespaceObjects;
import io.branchflow.operator.desired.NetworkPolicies;
import io.branchflow.testing.NeedsRealNode;
import io.branchflow.testing.RealNode;
import io.branchflow.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The operator's NetworkPolicies, enforced on the real node (kube-network-policies, started by
 * hack/real-node.sh): code in one environment reaches its own database by its DNS name, and neither
 * another environment's database nor anything in the operator's namespace. The same probes run
 * first without the policies, so a pass is the policies' doing, not a network that reaches nothing
 * anyway.
 *
 * <p>The environments are the operator's own namespace objects and policies (NamespaceObjects,
 * NetworkPolicies, DatabaseObjects' Service) around small stand-in pods carrying the components'
 * labels, so the test needs seconds, not an Airflow start.
 */
@NeedsRealNode
class EnvironmentNetworkPolicyE2ETest {

  private static final Duration ENFORCED = Duration.ofSeconds(60);
  private static final int UI_PORT = Components.UI_PORT;

  private final TestCluster cluster = TestCluster.shared();
  private final KubernetesClient client = cluster.client();
  private final List<String> namespaces = new ArrayList<>();

  @AfterEach
  void deleteNamespaces() {
    namespaces.forEach(ns -> client.namespaces().withName(ns).delete());
  }

  @Test
  void anEnvironmentReachesItsOwnDatabaseAndDnsButNeitherAnotherEnvironmentNorTheOperator() {
    String operatorNs = Fixtures.branchflowNamespace(client, "netpol");
    namespaces.add(operatorNs);
    WorkflowRepository repository = Fixtures.repository(operatorNs);
    EnvironmentInputs a = environment(repository, operatorNs, "feature/fence-a");
    EnvironmentInputs b = environment(repository, operatorNs, "feature/fence-b");
    for (EnvironmentInputs env : List.of(a, b)) {
      client.resource(NamespaceObjects.namespace(env)).create();
      namespaces.add(env.namespace());
      client.resource(DatabaseObjects.service(env)).create();
      client
          .resource(server("database", env.namespace(), env.labels(Components.DATABASE), 5432))
          .create();
      client
          .resource(
              server("api-server", env.namespace(), env.labels(Components.API_SERVER), UI_PORT))
          .create();
    }
    // Code running in environment A: a pod with the scheduler's labels (the LocalExecutor's tasks).
    client.resource(sleeper("scheduler", a.namespace(), a.labels(Components.SCHEDULER))).create();
    // Something in the operator's namespace, and a pod there standing in for the ingress
    // controller.
    client.resource(server("operator", operatorNs, Map.of("app", "operator"), UI_PORT)).create();
    client.resource(sleeper("ingress-controller", operatorNs, Map.of("app", "ingress"))).create();
    awaitRunning(a.namespace(), "scheduler", "database", "api-server");
    awaitRunning(b.namespace(), "database", "api-server");
    awaitRunning(operatorNs, "operator", "ingress-controller");

    String ownDatabase = "postgres." + a.namespace() + ".svc.cluster.local:5432";
    String otherDatabase = ip(b.namespace(), "database") + ":5432";
    String otherUi = ip(b.namespace(), "api-server") + ":" + UI_PORT;
    String operator = ip(operatorNs, "operator") + ":" + UI_PORT;
    String ownUi = ip(a.namespace(), "api-server") + ":" + UI_PORT;
    String ownDatabaseIp = ip(a.namespace(), "database") + ":5432";

    // Without the policies every pod reaches every other: the probes below can see a difference.
    await("every server answering, nothing fenced yet")
        .atMost(ENFORCED)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              assertThat(reaches(a.namespace(), "scheduler", otherDatabase)).isTrue();
              assertThat(reaches(a.namespace(), "scheduler", operator)).isTrue();
              assertThat(reaches(operatorNs, "ingress-controller", ownDatabaseIp)).isTrue();
            });

    NetworkPolicies.all(a).forEach(p -> client.resource(p).create());
    NetworkPolicies.all(b).forEach(p -> client.resource(p).create());

    await("environment A fenced: no other environment, not the operator's namespace")
        .atMost(ENFORCED)
        .pollInterval(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              assertThat(reaches(a.namespace(), "scheduler", otherDatabase))
                  .as(otherDatabase)
                  .isFalse();
              assertThat(reaches(a.namespace(), "scheduler", otherUi)).as(otherUi).isFalse();
              assertThat(reaches(a.namespace(), "scheduler", operator)).as(operator).isFalse();
            });
    // ...while DNS and its own database (by the Service's name) still work.
    assertThat(
            resolves(
                a.namespace(), "scheduler", "postgres." + a.namespace() + ".svc.cluster.local"))
        .isTrue();
    assertThat(reaches(a.namespace(), "scheduler", ownDatabase)).isTrue();
    assertThat(reaches(a.namespace(), "scheduler", ownUi)).isTrue();
    // From outside the environments (the ingress controller's namespace): the UI, and only the UI.
    assertThat(reaches(operatorNs, "ingress-controller", ownUi)).isTrue();
    assertThat(reaches(operatorNs, "ingress-controller", ownDatabaseIp)).isFalse();
  }

  private static EnvironmentInputs environment(
      WorkflowRepository repository, String operatorNs, String branch) {
    var env = Fixtures.environment(operatorNs, branch);
    return EnvironmentInputs.of(env, repository, OperatorSettings.defaults());
  }

  /** Whether a TCP connection from the pod to host:port succeeds within 3 s. */
  private boolean reaches(String ns, String pod, String hostPort) {
    String out =
        cluster
            .kubectl()
            .run(
                "exec",
                "-n",
                ns,
                pod,
                "--",
                "sh",
                "-c",
                "if curl -sS -m 3 -o /dev/null http://"
                    + hostPort
                    + "/; then echo REACHED;"
                    + " else echo BLOCKED; fi");
    return out.contains("REACHED");
  }

  private boolean resolves(String ns, String pod, String name) {
    String out =
        cluster
            .kubectl()
            .run("exec", "-n", ns, pod, "--", "sh", "-c", "getent hosts " + name + " || echo NONE");
    return !out.contains("NONE") && !out.isBlank();
  }

  private String ip(String ns, String pod) {
    return client.pods().inNamespace(ns).withName(pod).get().getStatus().getPodIP();
  }

  private void awaitRunning(String ns, String... pods) {
    for (String pod : pods) {
      await(ns + "/" + pod + " ready")
          .atMost(Duration.ofMinutes(2))
          .until(
              () -> {
                Pod p = client.pods().inNamespace(ns).withName(pod).get();
                return p != null
                    && p.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
              });
    }
  }

  /** A pod that answers HTTP on {@code port}: what a probe reaching it connects to. */
  private static Pod server(String name, String ns, Map<String, String> labels, int port) {
    return pod(name, ns, labels, "exec python3 -m http.server " + port + " -d /tmp");
  }

  private static Pod sleeper(String name, String ns, Map<String, String> labels) {
    return pod(name, ns, labels, "exec sleep 3600");
  }

  /** On the real node, as Pod Security "restricted" (the environments enforce it) requires. */
  private static Pod pod(String name, String ns, Map<String, String> labels, String script) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withNodeSelector(RealNode.nodeSelector())
        .withTolerations(RealNode.toleration())
        .withTerminationGracePeriodSeconds(0L)
        .withAutomountServiceAccountToken(false)
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(65534L)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .addNewContainer()
        .withName("main")
        .withImage(RealNode.DEBIAN_IMAGE)
        .withCommand("sh", "-c", script)
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .endContainer()
        .endSpec()
        .build();
  }
}
