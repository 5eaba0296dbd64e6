package io.branchflow.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The Markdown tables `make bench` prints and docs/benchmarks.md shows. */
final class Report {

  private final Map<String, Object> r;
  private final StringBuilder md = new StringBuilder();

  Report(Map<String, Object> result) {
    this.r = result;
  }

  String markdown() {
    Map<String, Object> machine = map(r, "machine");
    Map<String, Object> v = map(r, "versions");
    line(
        "Branchflow bench, %s: %s cores, %s memory, load average %s at start; Kubernetes %s,"
            + " Java %s, Branchflow %s (%s), Quarkus %s, JOSDK %s, fabric8 %s. Run took %s s.",
        r.get("startedAt"),
        machine.get("cores"),
        gib(machine.get("memTotalBytes")),
        machine.get("loadAverageAtStart"),
        v.get("kubernetes"),
        v.get("java"),
        v.get("branchflow"),
        v.get("gitCommit"),
        v.get("quarkus"),
        v.get("javaOperatorSdk"),
        v.get("fabric8"),
        r.get("benchSeconds"));
    line("");
    receiver();
    operator();
    quietPasses();
    floor();
    scale();
    line("");
    resync();
    line("");
    realNode();
    return md.toString();
  }

  private void resync() {
    Map<String, Object> rs = map(r, "resync");
    if (!Boolean.TRUE.equals(rs.getOrDefault("measured", true)) || rs.isEmpty()) {
      line("Resync: not measured (%s).", rs.get("why"));
      return;
    }
    Map<String, Object> listing = map(rs, "listing");
    Map<String, Object> ms = map(listing, "ms");
    line(
        "### Resync of a repository with %,d branches (Git smart HTTP on loopback, docs/resync.md)",
        rs.get("branches"));
    line("");
    line(
        "Listing alone (`ls-remote`, %s branches): p50 %s ms, max %s ms over %s runs, %s HTTP"
            + " requests per listing.",
        listing.get("branchesListed"),
        num(ms.get("p50"), 0),
        num(ms.get("max"), 0),
        ms.get("count"),
        num(listing.get("httpRequestsPerListing"), 0));
    line("");
    line(
        "| pass | trigger -> converged | result | Git host HTTP requests | operator API requests |"
            + " of which | operator CPU s |");
    line("| --- | ---: | --- | ---: | ---: | --- | ---: |");
    for (Map<String, Object> pass : list(rs, "passes")) {
      line(
          "| %s | %s s | %s | %s | %,d | %s | %s |",
          pass.get("pass"),
          num(pass.get("seconds"), 2),
          pass.get("result"),
          pass.get("gitHostHttpRequests"),
          ((Number) pass.get("operatorApiRequests")).longValue(),
          byVerb(map(pass, "operatorApiRequestsByVerb")),
          num(pass.get("operatorCpuSeconds"), 2));
    }
    line("");
    line(
        "API requests as counted by the API server (`apiserver_request_total`, watches left out) on"
            + " the resources the resync touches; the harness's own trigger is subtracted.");
  }

  private void realNode() {
    Map<String, Object> rn = map(r, "realNode");
    if (!Boolean.TRUE.equals(rn.get("measured"))) {
      line("Real node: not measured (%s).", rn.get("why"));
      return;
    }
    line(
        "### Real node: push -> the branch's own Airflow (%s) answering, one branch at a time",
        rn.get("airflowImage"));
    line("");
    line("| figure | p50 | max | runs |");
    line("| --- | ---: | ---: | ---: |");
    realNodeFigure(
        "push -> Airflow API answering (`/api/v2/monitor/health` 200)", rn, "apiAnsweringSeconds");
    realNodeFigure("push -> environment Ready", rn, "readySeconds");
    realNodeFigure("delete -> namespace gone", rn, "teardownSeconds");
    line("");
    line(
        "Push: the branch's commit on a Git host on the node's bridge and its WorkflowEnvironment"
            + " created (what the receiver writes). LocalExecutor: PostgreSQL, the migration Job"
            + " and three Airflow components on the real node, sharing the machine's cores.");
  }

  private void realNodeFigure(String what, Map<String, Object> rn, String key) {
    Map<String, Object> s = map(rn, key);
    line(
        "| %s | %s s | %s s | %s |",
        what, num(s.get("p50"), 1), num(s.get("max"), 1), s.get("count"));
  }

  private static String byVerb(Map<String, Object> requests) {
    StringBuilder b = new StringBuilder();
    requests.forEach(
        (key, count) ->
            b.append(b.length() == 0 ? "" : ", ").append(key).append(" ").append(count));
    return b.toString();
  }

  private void receiver() {
    Map<String, Object> rec = map(r, "receiver");
    line("### Webhook receiver: signed push -> WorkflowEnvironment written");
    line("");
    line("| concurrency | deliveries | deliveries/s | p50 ms | p99 ms | max ms | answers |");
    line("| ---: | ---: | ---: | ---: | ---: | ---: | --- |");
    for (Map<String, Object> run : list(rec, "runs")) {
      Map<String, Object> lat = map(run, "latencyMs");
      line(
          "| %s | %s | %s | %s | %s | %s | %s |",
          run.get("concurrency"),
          run.get("deliveries"),
          num(run.get("deliveriesPerSecond"), 0),
          num(lat.get("p50"), 1),
          num(lat.get("p99"), 1),
          num(lat.get("max"), 1),
          run.get("outcomes"));
    }
    line("");
    line(
        "Receiver: %s WorkflowEnvironments written, %s ms CPU per delivery, RSS %s idle -> %s after"
            + " load, heap after GC %s -> %s.",
        rec.get("workflowEnvironmentsWritten"),
        num(((Number) rec.get("cpuSecondsPerDelivery")).doubleValue() * 1000, 2),
        mib(map(rec, "memoryIdle").get("rssBytes")),
        mib(map(rec, "memoryAfterLoad").get("rssBytes")),
        mib(map(rec, "memoryIdle").get("heapUsedAfterGcBytes")),
        mib(map(rec, "memoryAfterLoad").get("heapUsedAfterGcBytes")));
    line("");
  }

  private void operator() {
    Map<String, Object> op = map(r, "operator");
    line("### Operator: N environments created at once (seconds, p50 / p95 / max per environment)");
    line("");
    line(
        "| N | create -> applied | create -> Ready | all Ready (wall) | delete -> namespace gone |"
            + " all gone (wall) | operator CPU s / env | RSS after Ready | heap after GC |");
    line("| ---: | --- | --- | ---: | --- | ---: | ---: | ---: | ---: |");
    for (Map<String, Object> run : list(op, "runs")) {
      Map<String, Object> td = map(run, "teardown");
      Map<String, Object> mem = map(run, "operatorMemory");
      line(
          "| %s%s | %s | %s | %s | %s | %s | %s | %s | %s |",
          run.get("environments"),
          Boolean.TRUE.equals(run.get("allReady"))
              ? ""
              : " (" + run.get("readyCount") + " Ready at " + run.get("deadlineSeconds") + " s)",
          triple(map(run, "createToAppliedSeconds")),
          triple(map(run, "createToReadySeconds")),
          num(run.get("wallToAllReadySeconds"), 1),
          triple(map(td, "deleteToGoneSeconds")),
          num(td.get("wallToAllGoneSeconds"), 1),
          num(run.get("operatorCpuSecondsPerEnvironment"), 3),
          mib(mem.get("rssBytes")),
          mib(mem.get("heapUsedAfterGcBytes")));
    }
    line("");
  }

  private void quietPasses() {
    List<Map<String, Object>> measured =
        list(map(r, "operator"), "runs").stream()
            .filter(run -> run.containsKey("quietPass"))
            .toList();
    if (measured.isEmpty()) {
      return;
    }
    line("### Operator: a pass over Ready environments in which nothing changed");
    line("");
    line("| N | passes counted | writes | of which | reads (GET/LIST) of environment objects |");
    line("| ---: | ---: | ---: | --- | ---: |");
    for (Map<String, Object> run : measured) {
      Map<String, Object> q = map(run, "quietPass");
      line(
          "| %s | %s | %s | %s | %s |",
          q.get("environments"),
          q.get("passesCounted") == null ? "-" : q.get("passesCounted"),
          q.get("writes"),
          q.get("writesByVerbAndResource"),
          q.get("readsOnEnvironmentResources"));
    }
    line("");
  }

  private void floor() {
    Map<String, Object> f = map(r, "floor");
    Map<String, Object> write = map(map(f, "apiServerWrite"), "latencyMs");
    Map<String, Object> apply = map(f, "kubectlApplyOneEnvironment");
    Map<String, Object> applyMs = map(apply, "applyMs");
    Map<String, Object> startMs = map(apply, "kubectlStartupMs");
    Map<String, Object> first = list(map(r, "operator"), "runs").get(0);
    double applied = ((Number) map(first, "createToAppliedSeconds").get("p50")).doubleValue();
    double ready = ((Number) map(first, "createToReadySeconds").get("p50")).doubleValue();
    double floor = ((Number) applyMs.get("p50")).doubleValue() / 1000;
    line("### The floor: the API server alone");
    line("");
    line("| what | figure |");
    line("| --- | ---: |");
    line(
        "| API server write latency (ConfigMap create, %s sequential) p50 / p99 | %s / %s ms |",
        write.get("count"), num(write.get("p50"), 1), num(write.get("p99"), 1));
    line(
        "| one environment's %s objects, one `kubectl apply --server-side` (p50 of %s) | %s ms |",
        apply.get("objects"), apply.get("runs"), num(applyMs.get("p50"), 0));
    line(
        "| of which kubectl's own start-up (`kubectl get --raw /readyz`, p50) | %s ms |",
        num(startMs.get("p50"), 0));
    line(
        "| Branchflow, N=1: create -> every object applied (p50) | %s ms |",
        num(applied * 1000, 0));
    line(
        "| **Branchflow over the floor** (applied / kubectl apply) | **%sx** |",
        num(applied / floor, 1));
    Map<String, Object> split = map(first, "createToAppliedSplit");
    Object own = map(split, "operatorSeconds").get("p50");
    Object waits = map(split, "waitingOnControllersSeconds").get("p50");
    if (own instanceof Number o && waits instanceof Number w) {
      line(
          "| of which waits the ordering imposes (database pod Ready, migration Job Complete:"
              + " StatefulSet and Job controllers, kwok) | %s ms |",
          num(w.doubleValue() * 1000, 0));
      line(
          "| of which the operator's own share (create -> StatefulSet, database ready -> Job,"
              + " Job complete -> Ingress) | %s ms (**%sx** the floor) |",
          num(o.doubleValue() * 1000, 0), num(o.doubleValue() / floor, 1));
    }
    line(
        "| Branchflow, N=1: create -> Ready (p50), includes kwok's pod and Job progress | %s ms |",
        num(ready * 1000, 0));
    Map<String, Object> cold = map(map(r, "operator"), "firstEnvironment");
    Object coldApplied = map(cold, "createToAppliedSeconds").get("p50");
    if (coldApplied instanceof Number c) {
      line(
          "| the first environment after the operator started (cold JVM): create -> applied |"
              + " %s ms |",
          num(c.doubleValue() * 1000, 0));
    }
    line("");
  }

  private void scale() {
    Map<String, Object> op = map(r, "operator");
    line("### Scale: operator memory and CPU against environments");
    line("");
    line(
        "| environments | RSS | heap used | heap after GC | RSS growth per env over 0 | CPU s / env"
            + " provisioned | peak RSS so far |");
    line("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    Map<String, Object> zero = map(op, "memoryAt0");
    long rss0 = ((Number) zero.get("rssBytes")).longValue();
    memoryAtZero("started", zero);
    boolean afterShown = false;
    for (Map<String, Object> run : list(op, "runs")) {
      if (Boolean.TRUE.equals(run.get("scale")) && !afterShown) {
        afterTeardown(op);
        afterShown = true;
      }
      Map<String, Object> mem = map(run, "operatorMemory");
      int n = ((Number) run.get("environments")).intValue();
      long rss = ((Number) mem.get("rssBytes")).longValue();
      line(
          "| %s%s | %s | %s | %s | %s | %s | %s |",
          n,
          Boolean.TRUE.equals(run.get("allReady"))
              ? " (Ready)"
              : " (created; "
                  + run.get("readyCount")
                  + " Ready at "
                  + run.get("deadlineSeconds")
                  + " s)",
          mib(mem.get("rssBytes")),
          mib(mem.get("heapUsedBytes")),
          mib(mem.get("heapUsedAfterGcBytes")),
          String.format(Locale.ROOT, "%.2f MiB", (rss - rss0) / 1048576.0 / n),
          num(run.get("operatorCpuSecondsPerEnvironment"), 3),
          mib(mem.get("peakRssBytes")));
      if (run.containsKey("memoryAfterTeardown")) {
        memoryAtZero("after the " + n + " were torn down", map(run, "memoryAfterTeardown"));
      }
      Object oom = mem.get("outOfMemoryErrorsInLog");
      if (oom instanceof Number count && count.longValue() > 0) {
        line(
            "|  | **the operator logged java.lang.OutOfMemoryError %s times by then** | | | | | |",
            count);
      }
    }
    if (!afterShown) {
      afterTeardown(op);
    }
  }

  private void afterTeardown(Map<String, Object> op) {
    memoryAtZero("after the N runs were torn down", map(op, "memoryAfterTeardown"));
  }

  private void memoryAtZero(String when, Map<String, Object> memory) {
    line(
        "| 0 (%s) | %s | %s | %s | | | %s |",
        when,
        mib(memory.get("rssBytes")),
        mib(memory.get("heapUsedBytes")),
        mib(memory.get("heapUsedAfterGcBytes")),
        mib(memory.get("peakRssBytes")));
  }

  // ------------------------------------------------------------------------------ formatting

  private static String triple(Map<String, Object> s) {
    return num(s.get("p50"), 1) + " / " + num(s.get("p95"), 1) + " / " + num(s.get("max"), 1);
  }

  private static String num(Object o, int decimals) {
    if (!(o instanceof Number n) || Double.isNaN(n.doubleValue())) {
      return "-";
    }
    return String.format(Locale.ROOT, "%,." + decimals + "f", n.doubleValue());
  }

  private static String mib(Object bytes) {
    return bytes instanceof Number n
        ? String.format(Locale.ROOT, "%.0f MiB", n.doubleValue() / 1048576)
        : "-";
  }

  private static String gib(Object bytes) {
    return bytes instanceof Number n
        ? String.format(Locale.ROOT, "%.1f GiB", n.doubleValue() / (1L << 30))
        : "-";
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> m, String key) {
    Object o = m.get(key);
    return o instanceof Map ? (Map<String, Object>) o : Map.of();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> m, String key) {
    Object o = m.get(key);
    return o instanceof List ? (List<Map<String, Object>>) o : List.of();
  }

  private void line(String format, Object... args) {
    md.append(String.format(Locale.ROOT, format, args)).append('\n');
  }
}
