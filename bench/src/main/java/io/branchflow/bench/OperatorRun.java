package io.branchflow.bench;

import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** N environments created at once, followed to applied and Ready, then deleted until gone. */
final class OperatorRun {

  private static final int CLIENT_THREADS = 8;

  private final KubernetesClient client;
  private final String ns;
  private final Stopwatch stopwatch;
  private final ManagedProcess operator;

  OperatorRun(KubernetesClient client, String ns, Stopwatch stopwatch, ManagedProcess operator) {
    this.client = client;
    this.ns = ns;
    this.stopwatch = stopwatch;
    this.operator = operator;
  }

  record Created(List<WorkflowEnvironment> envs, Map<String, Long> at, long start) {}

  /** Creates them from {@value #CLIENT_THREADS} client threads, as fast as the API server takes. */
  Created create(String prefix, int n) {
    List<WorkflowEnvironment> envs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      envs.add(BenchFixtures.environment(ns, "feature/" + prefix + "-" + i));
    }
    Map<String, Long> at = new ConcurrentHashMap<>();
    long start = System.nanoTime();
    parallel(
        envs,
        e -> {
          at.put(e.getMetadata().getName(), System.nanoTime());
          client.resource(e).create();
        });
    return new Created(envs, at, start);
  }

  /**
   * Follows {@code n} new environments until every one is Ready (or the deadline passes, which is
   * reported, not thrown), sampling the operator's CPU and memory.
   */
  Map<String, Object> provision(String prefix, int n, Duration deadline) {
    double cpu0 = operator.cpuSeconds();
    Created created = create(prefix, n);
    List<String> names = created.envs().stream().map(e -> e.getMetadata().getName()).toList();
    boolean allApplied = await(names, stopwatch.applied, created.start() + deadline.toNanos());
    boolean allReady = await(names, stopwatch.ready, created.start() + deadline.toNanos());
    long end = System.nanoTime();
    double cpu = operator.cpuSeconds() - cpu0;

    Map<String, Object> m = new LinkedHashMap<>();
    m.put("environments", n);
    m.put("allApplied", allApplied);
    m.put("allReady", allReady);
    m.put("appliedCount", names.stream().filter(stopwatch.applied::containsKey).count());
    m.put("readyCount", names.stream().filter(stopwatch.ready::containsKey).count());
    m.put("deadlineSeconds", deadline.toSeconds());
    m.put("createSeconds", seconds(created.start(), lastOf(created.at().values())));
    m.put("createToAppliedSeconds", since(created.at(), stopwatch.applied, names).json());
    m.put("createToMigrationJobSeconds", since(created.at(), stopwatch.migration, names).json());
    m.put("createToReadySeconds", since(created.at(), stopwatch.ready, names).json());
    m.put("createToAppliedSplit", appliedSplit(created.at(), names));
    m.put("wallToAllReadySeconds", allReady ? Stats.round(seconds(created.start(), end)) : null);
    m.put("operatorCpuSeconds", Stats.round(cpu));
    m.put("operatorCpuSecondsPerEnvironment", Math.round(cpu / n * 1000) / 1000.0);
    m.put("operatorMemory", operator.memory());
    m.put("names", names);
    return m;
  }

  /**
   * Create -> applied in two shares: the operator's (create -> database StatefulSet, database ready
   * -> migration Job, migration complete -> Ingress) and the waits its ordering imposes on
   * Kubernetes' own controllers and kwok's node (database pod Ready, migration Job Complete), which
   * one {@code kubectl apply} of every object does not wait for.
   */
  private Map<String, Object> appliedSplit(Map<String, Long> created, List<String> names) {
    List<Double> operatorShare = new ArrayList<>();
    List<Double> waits = new ArrayList<>();
    List<Double> toDatabase = new ArrayList<>();
    List<Double> toMigration = new ArrayList<>();
    List<Double> toIngress = new ArrayList<>();
    for (String name : names) {
      Long[] t = {
        created.get(name),
        stopwatch.database.get(name),
        stopwatch.databaseReady.get(name),
        stopwatch.migration.get(name),
        stopwatch.migrationComplete.get(name),
        stopwatch.applied.get(name)
      };
      if (java.util.Arrays.stream(t).allMatch(java.util.Objects::nonNull)) {
        operatorShare.add(seconds(t[0], t[1]) + seconds(t[2], t[3]) + seconds(t[4], t[5]));
        waits.add(seconds(t[1], t[2]) + seconds(t[3], t[4]));
        toDatabase.add(seconds(t[0], t[1]));
        toMigration.add(seconds(t[2], t[3]));
        toIngress.add(seconds(t[4], t[5]));
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("operatorSeconds", Stats.of(operatorShare).json());
    m.put("waitingOnControllersSeconds", Stats.of(waits).json());
    m.put("createToDatabaseSeconds", Stats.of(toDatabase).json());
    m.put("databaseReadyToMigrationJobSeconds", Stats.of(toMigration).json());
    m.put("migrationCompleteToIngressSeconds", Stats.of(toIngress).json());
    return m;
  }

  /** Deletes them all at once and follows each until its namespace and itself are gone. */
  Map<String, Object> teardown(List<String> names, Duration deadline) {
    double cpu0 = operator.cpuSeconds();
    Map<String, Long> at = new ConcurrentHashMap<>();
    long start = System.nanoTime();
    parallel(
        names,
        name -> {
          at.put(name, System.nanoTime());
          client.resources(WorkflowEnvironment.class).inNamespace(ns).withName(name).delete();
        });
    boolean allGone = await(names, stopwatch.gone, start + deadline.toNanos());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("allGone", allGone);
    m.put("deleteToNamespaceGoneSeconds", since(at, stopwatch.namespaceGone, names).json());
    m.put("deleteToGoneSeconds", since(at, stopwatch.gone, names).json());
    m.put("wallToAllGoneSeconds", allGone ? Stats.round(seconds(start, System.nanoTime())) : null);
    m.put("operatorCpuSeconds", Stats.round(operator.cpuSeconds() - cpu0));
    return m;
  }

  /** Polls the informers' records (not the API server) until all names are in, or the deadline. */
  private static boolean await(List<String> names, Map<String, Long> seen, long deadlineNanos) {
    while (System.nanoTime() < deadlineNanos) {
      if (seen.keySet().containsAll(names)) {
        return true;
      }
      ManagedProcess.pause(50);
    }
    return seen.keySet().containsAll(names);
  }

  private static Stats since(Map<String, Long> from, Map<String, Long> to, List<String> names) {
    List<Double> seconds = new ArrayList<>();
    for (String name : names) {
      Long a = from.get(name);
      Long b = to.get(name);
      if (a != null && b != null) {
        seconds.add(seconds(a, b));
      }
    }
    return Stats.of(seconds);
  }

  private static double seconds(long fromNanos, long toNanos) {
    return (toNanos - fromNanos) / 1e9;
  }

  private static long lastOf(java.util.Collection<Long> values) {
    return values.stream().mapToLong(Long::longValue).max().orElse(0);
  }

  private static <T> void parallel(List<T> items, java.util.function.Consumer<T> action) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(CLIENT_THREADS, items.size()));
    List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
    for (T item : items) {
      futures.add(pool.submit(() -> action.accept(item)));
    }
    pool.shutdown();
    try {
      for (var f : futures) {
        f.get(2, TimeUnit.MINUTES);
      }
    } catch (Exception e) {
      pool.shutdownNow();
      throw new IllegalStateException("client calls failed", e);
    }
  }
}
