package io.branchflow.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code make bench}: measures the webhook receiver and the operator, each running as its own
 * process from its packaged jar, against the cluster in KUBECONFIG; prints a Markdown table and
 * writes every figure to target/bench/. Benchmarks print numbers; nothing here fails on a
 * threshold. See docs/benchmarks.md.
 */
public final class Bench {

  /** Classes of the live heap recorded per scale run (the whole histogram goes to a file). */
  private static final int HEAP_TOP = 15;

  private final Path root;
  private final Path out;
  private final KubernetesClient client;
  private final Path kubeconfig;
  private final Path kubectl;
  private final String runId;
  private final Map<String, Object> result = new LinkedHashMap<>();
  private final long started = System.nanoTime();

  private Bench(Path root) throws IOException {
    this.root = root;
    this.out = root.resolve("target/bench");
    Files.createDirectories(out);
    this.kubeconfig = Path.of(System.getenv("KUBECONFIG").split(java.io.File.pathSeparator)[0]);
    this.kubectl = Path.of(env("KUBECTL", "kubectl"));
    this.client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(kubeconfig.toFile()))
            .build();
    this.runId =
        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC)
            .format(Instant.now());
  }

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
    Bench bench = new Bench(root);
    int code = 0;
    try {
      bench.run();
    } catch (Throwable e) {
      e.printStackTrace();
      code = 1;
    } finally {
      bench.client.close();
    }
    // Informer and HTTP client threads must not keep the JVM alive.
    System.exit(code);
  }

  private void run() throws IOException {
    result.put("startedAt", Instant.now().toString());
    result.put("machine", Machine.facts());
    result.put("versions", versions());
    List<Integer> sizes = ints(env("BENCH_SIZES", "1,20,100"));
    List<Integer> scale = ints(env("BENCH_SCALE", "300,1000"));
    List<Integer> deliveries = ints(env("BENCH_DELIVERIES", "1000,3000"));
    int resyncBranches = Integer.parseInt(env("BENCH_RESYNC_BRANCHES", "1000"));
    int realNodeRuns = Integer.parseInt(env("BENCH_REAL_NODE_RUNS", "3"));
    result.put(
        "parameters",
        Map.of(
            "sizes", sizes,
            "scale", scale,
            "deliveriesAtConcurrency1And16", deliveries,
            "resyncBranches", resyncBranches,
            "realNodeRuns", realNodeRuns,
            "namespacePrefix", "bf-bench-" + runId));

    floor();
    checkpoint();
    // Before the receiver: its thousands of WorkflowEnvironments are deleted in the background
    // afterwards, and the resync's API requests are counted at the API server.
    resync(resyncBranches);
    checkpoint();
    receiver(deliveries);
    checkpoint();
    operator(sizes, scale);
    checkpoint();
    // Last: a whole Airflow per run on the real node, after the kwok figures are taken.
    realNode(realNodeRuns);
    result.put("loadAverageAtEnd", Machine.loadAverage());
    result.put("benchSeconds", Stats.round((System.nanoTime() - started) / 1e9));
    result.put("complete", true);

    Path file = checkpoint();
    Files.copy(file, out.resolve("latest.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    String table = new Report(result).markdown();
    Files.writeString(out.resolve("latest.md"), table);
    System.out.println();
    System.out.println(table);
    System.out.println("figures: " + root.relativize(file) + " (and target/bench/latest.json)");
  }

  /**
   * Writes the figures so far to target/bench/bench-{run}.json ("complete": false until the end),
   * so a run stopped part way keeps what it measured.
   */
  private Path checkpoint() throws IOException {
    result.putIfAbsent("complete", false);
    String json =
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result);
    Path file = out.resolve("bench-" + runId + ".json");
    Files.writeString(file, json + "\n");
    return file;
  }

  // ------------------------------------------------------------------------------ floor

  private void floor() {
    log("floor: API server write latency and one environment by kubectl apply --server-side");
    String ns = "bf-bench-" + runId + "-floor";
    BenchFixtures.namespace(client, ns);
    Floor floor = new Floor(client, kubectl, kubeconfig, out);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("apiServerWrite", floor.writeLatency(ns, 50, 300));
    @SuppressWarnings("unchecked")
    Map<String, Object> apply = floor.kubectlApply(ns, 5);
    m.put("kubectlApplyOneEnvironment", apply);
    result.put("floor", m);
    List<String> namespaces = new ArrayList<>(castList(apply.get("namespaces")));
    namespaces.add(ns);
    BenchFixtures.deleteNamespaces(client, namespaces, Duration.ofMinutes(2));
  }

  // ------------------------------------------------------------------------------ resync

  private void resync(int branches) throws IOException {
    if (branches <= 0) {
      result.put("resync", Map.of("measured", false, "why", "BENCH_RESYNC_BRANCHES=0"));
      return;
    }
    log("resync: a repository with " + branches + " branches on a Git host on loopback");
    result.put(
        "resync",
        new ResyncRun(client, "bf-bench-" + runId + "-resync")
            .run(
                branches,
                Math.max(1, branches / 100),
                operatorProcess("operator (resync)", "operator-resync.log")));
  }

  // ------------------------------------------------------------------------------ real node

  private void realNode(int runs) throws IOException {
    String airflowImage = System.getenv("BENCH_AIRFLOW_IMAGE");
    String why =
        runs <= 0 ? "BENCH_REAL_NODE_RUNS=0" : RealNodeRun.unavailable(client, airflowImage);
    if (why != null) {
      log("real node: not measured (" + why + ")");
      result.put("realNode", Map.of("measured", false, "why", why));
      return;
    }
    log("real node: push -> Airflow API answering, " + runs + " branches one after another");
    result.put(
        "realNode",
        new RealNodeRun(client, "bf-bench-" + runId + "-real", root)
            .run(
                runs,
                airflowImage,
                env("BENCH_POSTGRES_IMAGE", "branchflow.local/postgresql:15"),
                operatorProcess("operator (real node)", "operator-real-node.log")));
  }

  /** Starts the packaged operator on a free port with the given extra environment variables. */
  private Function<Map<String, String>, ManagedProcess> operatorProcess(String name, String log) {
    int port = freePort();
    return extra -> {
      Map<String, String> env = new LinkedHashMap<>(extra);
      env.put("OPERATOR_HTTP_PORT", "" + port);
      return ManagedProcess.start(
          name,
          root.resolve("operator/target/quarkus-app/quarkus-run.jar"),
          operatorOptions(),
          env,
          port,
          out.resolve(log));
    };
  }

  // ------------------------------------------------------------------------------ receiver

  private void receiver(List<Integer> deliveries) {
    log("receiver: signed push deliveries at concurrency 1 and 16");
    String ns = "bf-bench-" + runId + "-receiver";
    BenchFixtures.namespace(client, ns);
    BenchFixtures.createRepository(client, ns);
    int port = freePort();
    Map<String, Object> m = new LinkedHashMap<>();
    try (ManagedProcess receiver =
        ManagedProcess.start(
            "receiver",
            root.resolve("webhook-receiver/target/quarkus-app/quarkus-run.jar"),
            jvmOptions("BENCH_RECEIVER_JVM_OPTS"),
            Map.of("BRANCHFLOW_NAMESPACE", ns, "RECEIVER_HTTP_PORT", "" + port),
            port,
            out.resolve("receiver.log"))) {
      receiver.awaitReady(Duration.ofMinutes(2));
      m.put("memoryIdle", receiver.memory());
      ReceiverLoad load =
          new ReceiverLoad(
              URI.create(receiver.url("/webhooks/github")), BenchFixtures.WEBHOOK_SECRET);
      double cpu0 = receiver.cpuSeconds();
      m.put("warmup", load.run(load.deliveries("warmup", 200), 4));
      List<Map<String, Object>> runs = new ArrayList<>();
      int[] concurrency = {1, 16};
      int total = 0;
      for (int i = 0; i < concurrency.length; i++) {
        int count = deliveries.get(Math.min(i, deliveries.size() - 1));
        total += count;
        log("receiver: " + count + " deliveries at concurrency " + concurrency[i]);
        runs.add(load.run(load.deliveries("c" + concurrency[i], count), concurrency[i]));
      }
      m.put("runs", runs);
      double cpu = receiver.cpuSeconds() - cpu0;
      m.put("cpuSecondsPerDelivery", Math.round(cpu / (total + 200) * 1e5) / 1e5);
      m.put("memoryAfterLoad", receiver.memory());
      int written =
          client
              .resources(io.branchflow.api.v1alpha1.WorkflowEnvironment.class)
              .inNamespace(ns)
              .list()
              .getItems()
              .size();
      m.put("workflowEnvironmentsWritten", written);
    }
    result.put("receiver", m);
    // Nothing reconciles this namespace (the operator watches another one): no finalizers.
    client.namespaces().withName(ns).delete();
  }

  // ------------------------------------------------------------------------------ operator

  private void operator(List<Integer> sizes, List<Integer> scales) {
    String ns = "bf-bench-" + runId;
    BenchFixtures.namespace(client, ns);
    BenchFixtures.createRepository(client, ns);
    int port = freePort();
    Map<String, Object> m = new LinkedHashMap<>();
    List<Map<String, Object>> runs = new ArrayList<>();
    try (Stopwatch stopwatch = new Stopwatch(client, ns);
        ManagedProcess operator =
            ManagedProcess.start(
                "operator",
                root.resolve("operator/target/quarkus-app/quarkus-run.jar"),
                operatorOptions(),
                Map.of("BRANCHFLOW_WATCH_NAMESPACES", ns, "OPERATOR_HTTP_PORT", "" + port),
                port,
                out.resolve("operator.log"))) {
      operator.awaitReady(Duration.ofMinutes(2));
      m.put("startupCpuSeconds", Stats.round(operator.cpuSeconds()));
      m.put("memoryAt0", operator.memory());
      OperatorRun run = new OperatorRun(client, ns, stopwatch, operator);
      QuietPass quiet = new QuietPass(client, ns, operator);
      Map<String, Object> writesWhenNothingChanged = new LinkedHashMap<>();
      // The first environment after start runs cold code (class loading, JIT) in the operator
      // while kubectl's floor is a warm, compiled binary: it is measured and shown on its own, and
      // the N runs start warm.
      log("operator: warm-up, the first environment after start");
      Map<String, Object> first = run.provision("warmup", 1, deadline(1));
      first.put("teardown", run.teardown(castList(first.remove("names")), deadline(1)));
      m.put("firstEnvironment", first);
      for (int n : sizes) {
        log("operator: " + n + " environment(s) created at once");
        Map<String, Object> r = run.provision("n" + n + "-" + runs.size(), n, deadline(n));
        if (Boolean.TRUE.equals(r.get("allReady"))) {
          Map<String, Object> q = quiet.measure(n, runs.size());
          log("operator: " + n + " -> a pass with nothing changed wrote " + q.get("writes"));
          r.put("quietPass", q);
          writesWhenNothingChanged.put("" + n, q.get("writes"));
        }
        log("operator: " + n + " -> " + summary(r) + "; deleting");
        r.put("teardown", run.teardown(castList(r.remove("names")), deadline(n)));
        runs.add(r);
      }
      m.put("writesWhenNothingChanged", writesWhenNothingChanged);
      m.put("memoryAfterTeardown", operator.memory());
      for (int scale : scales.stream().filter(n -> n > 0).toList()) {
        log("operator: scale, " + scale + " environments created at once");
        Duration scaleDeadline =
            Duration.ofSeconds(
                Long.parseLong(env("BENCH_SCALE_DEADLINE_SECONDS", "300"))
                    * Math.max(1, scale / 300));
        Map<String, Object> r = run.provision("s" + scale, scale, scaleDeadline);
        r.put("scale", true);
        r.put(
            "heapTop",
            operator.heapHistogram(out.resolve("operator-heap-" + scale + ".txt"), HEAP_TOP));
        runs.add(r);
        List<String> names = castList(r.remove("names"));
        log("operator: " + scale + " -> " + summary(r) + "; deleting");
        r.put("teardown", run.teardown(names, deadline(scale)));
        r.put("memoryAfterTeardown", operator.memory());
        r.put(
            "heapTopAfterTeardown",
            operator.heapHistogram(
                out.resolve("operator-heap-" + scale + "-torn-down.txt"), HEAP_TOP));
      }
      m.put("runs", runs);
    }
    result.put("operator", m);
    client.namespaces().withName(ns).delete();
  }

  private static List<String> operatorOptions() {
    return jvmOptions("BENCH_OPERATOR_JVM_OPTS");
  }

  private static Duration deadline(int n) {
    return Duration.ofSeconds(Long.parseLong(env("BENCH_DEADLINE_SECONDS", "120")) + 2L * n);
  }

  private static String summary(Map<String, Object> r) {
    return "applied "
        + r.get("allApplied")
        + ", Ready "
        + r.get("allReady")
        + ", wall "
        + r.get("wallToAllReadySeconds")
        + " s";
  }

  // ------------------------------------------------------------------------------ facts

  private Map<String, Object> versions() {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("java", System.getProperty("java.runtime.version"));
    v.put("javaVendor", System.getProperty("java.vendor"));
    v.put("kubernetes", client.getKubernetesVersion().getGitVersion());
    v.put("branchflow", env("BENCH_PROJECT_VERSION", "unknown"));
    v.put("gitCommit", env("BENCH_GIT_COMMIT", "unknown"));
    String cp = System.getProperty("java.class.path");
    v.put("quarkus", jarVersion(cp, "quarkus-core"));
    v.put("quarkusOperatorSdk", jarVersion(cp, "quarkus-operator-sdk"));
    v.put("javaOperatorSdk", jarVersion(cp, "operator-framework-core"));
    v.put("fabric8", jarVersion(cp, "kubernetes-client"));
    return v;
  }

  private static String jarVersion(String classpath, String artifact) {
    Matcher m =
        Pattern.compile("/" + Pattern.quote(artifact) + "-([0-9][^/]*?)\\.jar").matcher(classpath);
    return m.find() ? m.group(1) : "unknown";
  }

  private static List<String> jvmOptions(String variable) {
    String value = System.getenv(variable);
    if (value == null) {
      // The container's JVM, as the image's run-java.sh starts it (ubi9/openjdk-17-runtime:
      // the parallel collector, returning heap above 20 % free) inside the Helm chart's memory
      // limits and heap shares (JAVA_MAX_MEM_RATIO): operator 768Mi at 50 %, receiver 256Mi at
      // 75 %. Left out: -XX:+ExitOnOutOfMemoryError (the pod restarts; here the log counts it).
      String collector =
          " -XX:+UseParallelGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20"
              + " -XX:GCTimeRatio=4 -XX:AdaptiveSizePolicyWeight=90";
      value =
          variable.contains("OPERATOR")
              ? "-XX:MaxRAM=768m -XX:MaxRAMPercentage=50" + collector
              : "-XX:MaxRAM=256m -XX:MaxRAMPercentage=75" + collector;
    }
    return value.isBlank() ? List.of() : List.of(value.trim().split("\\s+"));
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<Integer> ints(String csv) {
    List<Integer> out = new ArrayList<>();
    for (String s : csv.split(",")) {
      if (!s.isBlank()) {
        out.add(Integer.parseInt(s.strip()));
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<String> castList(Object o) {
    return (List<String>) o;
  }

  static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }

  private void log(String message) {
    System.out.printf(
        "[bench +%4ds] %s%n", (System.nanoTime() - started) / 1_000_000_000L, message);
  }
}
