package io.branchflow.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The real node does what kwok only pretends: containers from our locally built images start, a
 * readiness probe really probes, a pod reaches another through a Service by its DNS name, and
 * deleting the namespace stops the processes on this machine. Every pod carries a token of its own
 * so that what a test sees can only come from the process it started.
 */
@NeedsRealNode
class RealNodeTest {

  private static final Duration WAIT = Duration.ofMinutes(2);

  private final KubernetesClient client;
  private final String token = UUID.randomUUID().toString();
  private String namespace;

  RealNodeTest(KubernetesClient client) {
    this.client = client;
  }

  @AfterEach
  void deleteNamespace() {
    if (namespace != null) {
      client.namespaces().withName(namespace).delete();
    }
  }

  @Test
  void aPodBecomesReadyOnlyOnceItsProbeReallyAnswers() {
    namespace = createNamespace("probe");
    // The server starts only after 3 s; until then the probe gets "connection refused".
    client.resource(webServer("web", "sleep 3; exec python3 -m http.server 8080 -d /srv")).create();

    Pod ready = awaitReady("web");

    assertThat(ready.getSpec().getNodeName()).isEqualTo(realNodeName());
    var status = ready.getStatus().getContainerStatuses().get(0);
    assertThat(status.getImage()).contains(RealNode.DEBIAN_IMAGE);
    assertThat(status.getState().getRunning()).isNotNull();
    assertThat(status.getContainerID()).startsWith("containerd://");
    // A real process: its log is what python's http.server printed for the kubelet's probes.
    assertThat(client.pods().inNamespace(namespace).withName("web").getLog())
        .contains("\"GET /id HTTP/1.1\" 200");
  }

  @Test
  void aProbeThatFailsKeepsThePodNotReady() {
    namespace = createNamespace("unready");
    Pod pod = webServer("web", "exec python3 -m http.server 8080 -d /srv");
    // Probes a path the server does not have: 404, so never Ready, although Running.
    pod.getSpec()
        .getContainers()
        .get(0)
        .getReadinessProbe()
        .getHttpGet()
        .setPath("/missing-" + token);
    client.resource(pod).create();

    await("the probe of pod web fails at least 3 times")
        .atMost(WAIT)
        .ignoreExceptions() // no log while the container is being created
        .untilAsserted(
            () ->
                assertThat(client.pods().inNamespace(namespace).withName("web").getLog())
                    .containsPattern("(?s)(GET /missing-" + token + " HTTP/1.1\" 404.*){3}"));
    Pod now = client.pods().inNamespace(namespace).withName("web").get();
    assertThat(now.getStatus().getPhase()).isEqualTo("Running");
    assertThat(now.getStatus().getConditions())
        .anyMatch(c -> "Ready".equals(c.getType()) && "False".equals(c.getStatus()));
  }

  @Test
  void aPodReachesAnotherThroughAServiceByItsDnsName() {
    namespace = createNamespace("dns");
    client.resource(webServer("web", "exec python3 -m http.server 8080 -d /srv")).create();
    client
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("web")
                .withNamespace(namespace)
                .endMetadata()
                .withNewSpec()
                .withSelector(Map.of("app", "web"))
                .addNewPort()
                .withPort(80)
                .withNewTargetPort(8080)
                .endPort()
                .endSpec()
                .build())
        .create();
    awaitReady("web");

    String url = "http://web." + namespace + ".svc.cluster.local/id";
    client
        .resource(
            pod(
                "client",
                "curl -fsS --retry 10 --retry-connrefused --retry-delay 1 "
                    + url
                    + " && echo && (getent hosts pypi.org || echo no answer for pypi.org)",
                "Never"))
        .create();

    awaitSucceeded("client");
    // Cluster names only: CoreDNS has no forward plugin, so no lookup leaves the machine.
    assertThat(client.pods().inNamespace(namespace).withName("client").getLog())
        .contains(token)
        .contains("no answer for pypi.org");
  }

  @Test
  void nothingAPodSendsIsForwardedOffItsBridge() throws Exception {
    namespace = createNamespace("fence");
    try (OutsideHost outside = OutsideHost.start(token)) {
      // The host is up and answers this machine...
      await("the outside host answers this machine")
          .atMost(WAIT)
          .ignoreExceptions()
          .untilAsserted(() -> assertThat(fetch(outside.url())).isEqualTo(token));
      // ...but a pod's packets would have to be forwarded off the bridge to reach it.
      client
          .resource(
              pod(
                  "client",
                  "if curl -sS -m 3 "
                      + outside.url()
                      + "; then echo REACHED; else echo BLOCKED; fi",
                  "Never"))
          .create();
      awaitSucceeded("client");
      assertThat(client.pods().inNamespace(namespace).withName("client").getLog())
          .contains("BLOCKED")
          .doesNotContain(token);
    }
  }

  private static String fetch(String url) throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    var request =
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
            .timeout(Duration.ofSeconds(3))
            .build();
    return http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void deletingTheNamespaceStopsTheProcessesOnTheNode() {
    namespace = createNamespace("stop");
    client.resource(webServer("web", "exec python3 -m http.server 8080 -d /srv")).create();
    awaitReady("web");
    // The container's process, seen from this machine (the node), not through the API.
    assertThat(processesServing()).isNotEmpty();

    client.namespaces().withName(namespace).delete();

    await("no process serves /srv/" + token + " on this machine")
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(processesServing()).isEmpty());
    await("namespace " + namespace + " is gone")
        .atMost(WAIT)
        .until(() -> client.namespaces().withName(namespace).get() == null);
    namespace = null;
  }

  /** Processes on this machine whose command line names this test's token. */
  private List<String> processesServing() {
    return ProcessHandle.allProcesses()
        .map(p -> p.info().commandLine().orElse(""))
        .filter(line -> line.contains("http.server") && line.contains(token))
        .toList();
  }

  /** python's http.server on 8080 serving /id (the token) from /srv/TOKEN, probed on /id. */
  private Pod webServer(String name, String serve) {
    String script = "mkdir -p /srv/" + token + " && echo " + token + " > /srv/" + token + "/id && ";
    // The token is in the command line too, so the process can be found on the node.
    Pod pod = pod(name, script + serve.replace("/srv", "/srv/" + token), "Always");
    pod.getMetadata().setLabels(Map.of("app", name));
    var container = pod.getSpec().getContainers().get(0);
    container.setReadinessProbe(
        new ProbeBuilder()
            .withNewHttpGet()
            .withPath("/id")
            .withNewPort(8080)
            .endHttpGet()
            .withPeriodSeconds(1)
            .withFailureThreshold(1)
            .build());
    return pod;
  }

  private Pod pod(String name, String shell, String restartPolicy) {
    PodSpec spec =
        new PodSpecBuilder()
            .withNodeSelector(RealNode.nodeSelector())
            .withTolerations(RealNode.toleration())
            .withRestartPolicy(restartPolicy)
            .withTerminationGracePeriodSeconds(2L)
            .withContainers(
                new ContainerBuilder()
                    .withName("main")
                    .withImage(RealNode.DEBIAN_IMAGE)
                    .withImagePullPolicy("IfNotPresent")
                    .withCommand("sh", "-c", shell)
                    .build())
            .build();
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .endMetadata()
        .withSpec(spec)
        .build();
  }

  private void awaitSucceeded(String name) {
    await("pod " + name + " succeeds")
        .atMost(WAIT)
        .until(
            () ->
                "Succeeded"
                    .equals(
                        client
                            .pods()
                            .inNamespace(namespace)
                            .withName(name)
                            .get()
                            .getStatus()
                            .getPhase()));
  }

  private Pod awaitReady(String name) {
    await("pod " + name + " Ready on the real node")
        .atMost(WAIT)
        .until(
            () -> {
              Pod p = client.pods().inNamespace(namespace).withName(name).get();
              return p != null
                  && p.getStatus() != null
                  && p.getStatus().getConditions() != null
                  && p.getStatus().getConditions().stream()
                      .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
            });
    return client.pods().inNamespace(namespace).withName(name).get();
  }

  private String realNodeName() {
    return RealNode.name(client);
  }

  private String createNamespace(String purpose) {
    String ns = "bf-test-node-" + purpose + "-" + token.substring(0, 8);
    client
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(ns)
                .addToLabels("branchflow.io/test", "real-node")
                .endMetadata()
                .build())
        .create();
    await("default ServiceAccount in " + ns)
        .atMost(WAIT)
        .until(() -> client.serviceAccounts().inNamespace(ns).withName("default").get() != null);
    return ns;
  }
}
