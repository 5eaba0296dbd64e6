package io.branchflow.bench;

import io.branchflow.api.v1alpha1.DatabaseStorage;
import io.branchflow.api.v1alpha1.EgressRule;
import io.branchflow.api.v1alpha1.EnvironmentTemplate;
import io.branchflow.api.v1alpha1.Executor;
import io.branchflow.api.v1alpha1.GitSyncSettings;
import io.branchflow.api.v1alpha1.NetworkPolicySettings;
import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.testing.FakeGitHost;
import io.branchflow.testing.RealNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The real node's row: a branch pushed to a Git host on the node's bridge, its WorkflowEnvironment
 * created (what the receiver writes for the push), and the time until that environment's own
 * Airflow API answers (the API server pod's {@code /api/v2/monitor/health} with HTTP 200) and until
 * the environment is Ready; then deleted and followed until its namespace is gone. One environment
 * at a time, {@code runs} times: each is a whole Airflow (PostgreSQL, migration, three components)
 * on two shared cores, and the figure is what one DAG author waits for.
 */
final class RealNodeRun {

  private static final String GIT_REPOSITORY = "acme/dags";
  private static final int AIRFLOW_API_PORT = 8080;
  private static final Duration DEADLINE = Duration.ofMinutes(10);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final KubernetesClient client;
  private final String ns;
  private final Path root;

  RealNodeRun(KubernetesClient client, String ns, Path root) {
    this.client = client;
    this.ns = ns;
    this.root = root;
  }

  /** Why the row cannot be measured on this cluster, or null when it can. */
  static String unavailable(KubernetesClient client, String airflowImage) {
    if (!RealNode.presentIn(client)) {
      return "the cluster has no real node (BRANCHFLOW_REAL_NODE=0, or not root)";
    }
    if (airflowImage == null || airflowImage.isBlank()) {
      return "BENCH_AIRFLOW_IMAGE is not set (hack/bench.sh sets it from hack/images.sh list)";
    }
    return null;
  }

  Map<String, Object> run(
      int runs,
      String airflowImage,
      String postgresImage,
      Function<Map<String, String>, ManagedProcess> startOperator)
      throws IOException {
    String nodeAddress = RealNode.address(client);
    Path gitRoot = Files.createTempDirectory("branchflow-bench-real-git");
    BenchFixtures.namespace(client, ns);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("measured", true);
    m.put("airflowImage", airflowImage);
    try (FakeGitHost git = FakeGitHost.start(gitRoot, nodeAddress);
        ManagedProcess operator =
            startOperator.apply(
                Map.of(
                    "BRANCHFLOW_WATCH_NAMESPACES", ns,
                    "BRANCHFLOW_GIT_PLAIN_HTTP_HOSTS", nodeAddress))) {
      git.createRepository(GIT_REPOSITORY);
      Map<String, String> dags = sampleDags();
      createRepository(git.cloneUrl(GIT_REPOSITORY), nodeAddress, airflowImage, postgresImage);
      operator.awaitReady(Duration.ofMinutes(2));
      List<Map<String, Object>> samples = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        samples.add(once("feature/bench-real-" + i, git, dags));
      }
      m.put("runs", samples);
      for (String figure : List.of("apiAnsweringSeconds", "readySeconds", "teardownSeconds")) {
        List<Double> values =
            samples.stream()
                .map(s -> s.get(figure))
                .filter(Number.class::isInstance)
                .map(v -> ((Number) v).doubleValue())
                .toList();
        m.put(figure, values.isEmpty() ? Map.of("count", 0) : Stats.of(values).json());
      }
    } finally {
      client.namespaces().withName(ns).delete();
    }
    return m;
  }

  /** One branch: push, environment, Airflow API answering, Ready, deleted, namespace gone. */
  private Map<String, Object> once(String branch, FakeGitHost git, Map<String, String> dags) {
    Map<String, Object> sample = new LinkedHashMap<>();
    sample.put("branch", branch);
    long pushedAt = System.nanoTime();
    String commit = git.push(GIT_REPOSITORY, branch, dags);
    WorkflowEnvironment env = BenchFixtures.environment(ns, branch);
    env.getSpec().setCommitSha(commit);
    client.resource(env).create();
    String name = env.getMetadata().getName();
    long deadline = pushedAt + DEADLINE.toNanos();
    Long answeredAt = null;
    Long readyAt = null;
    String envNs = null;
    while ((answeredAt == null || readyAt == null) && System.nanoTime() < deadline) {
      WorkflowEnvironment now =
          client.resources(WorkflowEnvironment.class).inNamespace(ns).withName(name).get();
      if (now != null && now.getStatus() != null) {
        envNs = now.getStatus().getNamespace();
        if (readyAt == null && now.getStatus().getPhase() == Phase.Ready) {
          readyAt = System.nanoTime();
        }
      }
      if (answeredAt == null && envNs != null && airflowAnswers(envNs)) {
        answeredAt = System.nanoTime();
      }
      ManagedProcess.pause(500);
    }
    sample.put("apiAnsweringSeconds", seconds(pushedAt, answeredAt));
    sample.put("readySeconds", seconds(pushedAt, readyAt));
    if (answeredAt == null || readyAt == null) {
      sample.put("deadlineSeconds", DEADLINE.toSeconds());
    }
    long deletedAt = System.nanoTime();
    client.resources(WorkflowEnvironment.class).inNamespace(ns).withName(name).delete();
    String gone = envNs == null ? "bf-" + name : envNs;
    client
        .namespaces()
        .withName(gone)
        .waitUntilCondition(
            n -> n == null, DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    sample.put("teardownSeconds", seconds(deletedAt, System.nanoTime()));
    return sample;
  }

  /** Whether the environment's Airflow API server answers its health endpoint with 200. */
  private boolean airflowAnswers(String envNs) {
    List<Pod> pods =
        client
            .pods()
            .inNamespace(envNs)
            .withLabel("app.kubernetes.io/component", "api-server")
            .list()
            .getItems();
    for (Pod pod : pods) {
      String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
      if (ip == null) {
        continue;
      }
      try {
        HttpResponse<Void> answer =
            HTTP.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://" + ip + ":" + AIRFLOW_API_PORT + "/api/v2/monitor/health"))
                    .timeout(Duration.ofSeconds(3))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (answer.statusCode() == 200) {
          return true;
        }
      } catch (IOException e) {
        // Not listening yet.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  private void createRepository(
      String cloneUrl, String nodeAddress, String airflowImage, String postgresImage) {
    client
        .resource(BenchFixtures.secret(ns, "acme-dags-github", Map.of("webhook-secret", "x")))
        .create();
    client.resource(BenchFixtures.productionSecret(ns)).create();
    WorkflowRepository repository = BenchFixtures.repository(ns);
    repository.getSpec().setCloneUrl(cloneUrl);
    repository.getSpec().getProductionData().setServiceAccountAnnotations(null);
    EnvironmentTemplate template = repository.getSpec().getTemplate();
    template.setImage(airflowImage);
    template.setExecutor(Executor.LocalExecutor);
    DatabaseStorage database = new DatabaseStorage();
    database.setImage(postgresImage);
    template.setDatabase(database);
    GitSyncSettings gitSync = new GitSyncSettings();
    gitSync.setPeriodSeconds(10);
    template.setGitSync(gitSync);
    template.setNodeSelector(RealNode.nodeSelector());
    template.setTolerations(List.of(RealNode.toleration()));
    // Default deny, with the Git host and DNS (both on the node's address) opened: what a
    // LocalExecutor Airflow of the sample DAGs needs to start.
    NetworkPolicySettings network = new NetworkPolicySettings();
    network.setEgress(
        List.of(
            egress(nodeAddress, EgressRule.Protocol.TCP, URI.create(cloneUrl).getPort(), 53),
            egress(nodeAddress, EgressRule.Protocol.UDP, 53)));
    template.setNetworkPolicy(network);
    client.resource(repository).create();
  }

  private static EgressRule egress(String address, EgressRule.Protocol protocol, Integer... ports) {
    EgressRule rule = new EgressRule();
    rule.setCidr(address + "/32");
    rule.setProtocol(protocol);
    rule.setPorts(List.of(ports));
    return rule;
  }

  /** examples/dags, the DAG repository `make demo` serves, as files to push. */
  private Map<String, String> sampleDags() throws IOException {
    Path dir = root.resolve("examples/dags");
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.filter(Files::isRegularFile).toList()) {
        files.put(dir.relativize(p).toString(), Files.readString(p));
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return files;
  }

  private static Double seconds(long from, Long to) {
    return to == null ? null : Stats.round((to - from) / 1e9);
  }
}
