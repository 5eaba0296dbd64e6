package io.branchflow.bench;

import io.branchflow.api.v1alpha1.Condition;
import io.branchflow.api.v1alpha1.ConditionStatus;
import io.branchflow.api.v1alpha1.ResyncPolicy;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.operator.repository.BranchLister;
import io.branchflow.testing.FakeGitHost;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The resync of a repository with many branches (docs/resync.md), against a Git host on loopback
 * that serves them over smart HTTP as GitHub does (JGit's GitServlet, {@link FakeGitHost}).
 *
 * <p>The operator runs as its own process with the resync on and the environment reconciler pointed
 * at an empty namespace, so the figures are the resync's alone: it creates a thousand
 * WorkflowEnvironments, and provisioning them is what the operator runs measure. Three passes: the
 * first (every branch new), one with nothing to do, and one with a few branches gone and a few new.
 * For each: time from the trigger to the repository's status saying the resync converged, HTTP
 * requests to the Git host, and API requests counted by the API server.
 */
final class ResyncRun {

  /** What the resync reads and writes; other requests in the window are the cluster's own. */
  private static final Set<String> RESYNC_RESOURCES =
      Set.of("workflowrepositories", "workflowenvironments", "configmaps", "events", "secrets");

  private static final String RESYNC_SUCCEEDED = "ResyncSucceeded";
  private static final String GIT_REPOSITORY = "acme/dags";

  private final KubernetesClient client;
  private final String ns;
  private final ApiServerRequests requests;

  ResyncRun(KubernetesClient client, String ns) {
    this.client = client;
    this.ns = ns;
    this.requests = new ApiServerRequests(client);
  }

  /**
   * @param branches how many {@code feature/*} branches the repository has
   * @param churn how many of them the third pass finds deleted, and how many new
   * @param startOperator starts the operator with the given extra environment
   */
  Map<String, Object> run(
      int branches, int churn, Function<Map<String, String>, ManagedProcess> startOperator)
      throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("branches", branches);
    Path gitRoot = Files.createTempDirectory("branchflow-bench-git");
    String idle = ns + "-idle";
    BenchFixtures.namespace(client, ns);
    BenchFixtures.namespace(client, idle);
    try (FakeGitHost host = FakeGitHost.start(gitRoot)) {
      long t0 = System.nanoTime();
      String cloneUrl = host.createRepository(GIT_REPOSITORY);
      for (int i = 1; i <= branches; i++) {
        host.push(GIT_REPOSITORY, branch("bench", i));
      }
      m.put("gitHostSetupSeconds", Stats.round((System.nanoTime() - t0) / 1e9));
      m.put("listing", listing(host, cloneUrl));

      try (ManagedProcess operator =
          startOperator.apply(
              Map.of(
                  "BRANCHFLOW_WATCH_NAMESPACES",
                  ns,
                  // Only the resync: the environments it creates are not provisioned here.
                  "QUARKUS_OPERATOR_SDK_CONTROLLERS_WORKFLOWENVIRONMENT_NAMESPACES",
                  idle,
                  // The churn pass deletes environments created a minute earlier.
                  "BRANCHFLOW_RESYNC_GRACE_PERIOD",
                  "0S"))) {
        operator.awaitReady(Duration.ofMinutes(2));
        List<Map<String, Object>> passes = new ArrayList<>();
        try (RepositoryWatch watch = new RepositoryWatch()) {
          WorkflowRepository repository = BenchFixtures.repository(ns);
          repository.getSpec().setCloneUrl(cloneUrl);
          ResyncPolicy policy = new ResyncPolicy();
          policy.setPeriod("1h"); // only the passes below, no timer in between
          repository.getSpec().setResync(policy);

          passes.add(
              pass(
                  "first: every branch new",
                  host,
                  operator,
                  watch,
                  1,
                  "POST workflowrepositories",
                  () -> client.resource(repository).create()));
          verifyEnvironments(branches, m);
          passes.add(
              pass(
                  "again: nothing changed",
                  host,
                  operator,
                  watch,
                  2,
                  "PATCH workflowrepositories",
                  () -> period("59m")));
          for (int i = 1; i <= churn; i++) {
            host.deleteBranch(GIT_REPOSITORY, branch("bench", i));
            host.push(GIT_REPOSITORY, branch("new", i));
          }
          passes.add(
              pass(
                  "churn: " + churn + " branches gone, " + churn + " new",
                  host,
                  operator,
                  watch,
                  3,
                  "PATCH workflowrepositories",
                  () -> period("58m")));
        }
        m.put("passes", passes);
        m.put("operatorMemory", operator.memory());
      }
    } finally {
      cleanUp(List.of(ns, idle));
      deleteTree(gitRoot);
    }
    return m;
  }

  /** The listing alone, as the operator makes it: ls-remote through JGit, five times. */
  private Map<String, Object> listing(FakeGitHost host, String cloneUrl) {
    BranchLister lister = new BranchLister();
    List<Double> ms = new ArrayList<>();
    long before = host.requests();
    int listed = -1;
    int runs = 5;
    for (int i = 0; i < runs + 1; i++) {
      long start = System.nanoTime();
      BranchLister.Listing listing =
          lister.list(cloneUrl, Optional.empty(), Duration.ofSeconds(30));
      double took = (System.nanoTime() - start) / 1e6;
      if (!(listing instanceof BranchLister.Listed l)) {
        throw new IllegalStateException("the fake Git host did not list: " + listing);
      }
      listed = l.branches().size();
      if (i > 0) { // the first one loads JGit's classes
        ms.add(took);
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("branchesListed", listed);
    m.put("ms", Stats.of(ms).json());
    m.put("httpRequestsPerListing", (host.requests() - before) / (double) (runs + 1));
    return m;
  }

  private Map<String, Object> pass(
      String name,
      FakeGitHost host,
      ManagedProcess operator,
      RepositoryWatch watch,
      long generation,
      String harnessRequest,
      Runnable trigger) {
    Map<String, Long> before = requests.snapshot();
    long gitBefore = host.requests();
    double cpuBefore = operator.cpuSeconds();
    long start = System.nanoTime();
    trigger.run();
    WorkflowRepository converged = watch.await(generation, Duration.ofMinutes(10), start);
    long took = watch.lastSeenAt - start;
    double cpu = operator.cpuSeconds() - cpuBefore;
    Map<String, Long> all = ApiServerRequests.between(before, requests.snapshot());
    Map<String, Long> resync = ApiServerRequests.on(all, RESYNC_RESOURCES);
    Map<String, Long> other = new LinkedHashMap<>(all);
    other.keySet().removeAll(resync.keySet());
    // The harness's own trigger is in the window too: the create or the period patch.
    resync.computeIfPresent(harnessRequest, (k, v) -> v > 1 ? v - 1 : null);

    Condition condition = condition(converged);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pass", name);
    m.put("seconds", Stats.round(took / 1e9));
    m.put("converged", condition != null && condition.getStatus() == ConditionStatus.True);
    m.put("result", condition == null ? "no condition" : condition.getMessage());
    m.put("environmentsAfter", converged.getStatus().getEnvironments());
    m.put("gitHostHttpRequests", host.requests() - gitBefore);
    m.put("operatorApiRequests", ApiServerRequests.total(resync));
    m.put("operatorApiRequestsByVerb", resync);
    m.put("otherApiRequestsInWindow", ApiServerRequests.total(other));
    m.put("otherApiRequestsByVerb", other);
    m.put("operatorCpuSeconds", Stats.round(cpu));
    return m;
  }

  private void verifyEnvironments(int expected, Map<String, Object> m) {
    int found =
        client.resources(WorkflowEnvironment.class).inNamespace(ns).list().getItems().size();
    m.put("environmentsAfterFirstPass", found);
    if (found != expected) {
      throw new IllegalStateException(
          "the first resync left " + found + " WorkflowEnvironments, not " + expected);
    }
  }

  private void period(String period) {
    client
        .resources(WorkflowRepository.class)
        .inNamespace(ns)
        .withName(BenchFixtures.REPOSITORY_OBJECT)
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"resync\":{\"period\":\"" + period + "\"}}}");
  }

  private static Condition condition(WorkflowRepository repository) {
    if (repository.getStatus() == null || repository.getStatus().getConditions() == null) {
      return null;
    }
    return repository.getStatus().getConditions().stream()
        .filter(c -> RESYNC_SUCCEEDED.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }

  private static String branch(String prefix, int i) {
    return String.format("feature/%s-%04d", prefix, i);
  }

  private void cleanUp(List<String> namespaces) {
    // No finalizers here (no environment was provisioned): the namespace controller removes all.
    try {
      BenchFixtures.deleteNamespaces(client, namespaces, Duration.ofMinutes(3));
    } catch (KubernetesClientException e) {
      System.out.println(
          "[bench] namespaces " + namespaces + " still terminating: " + e.getMessage());
    }
  }

  private static void deleteTree(Path root) {
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      // a temporary directory left behind is not worth failing the bench for
    }
  }

  /**
   * One watch on the repository, opened before the first pass, so waiting for a pass to converge
   * costs no API request in the window being counted (polling would be counted as the operator's).
   */
  private final class RepositoryWatch implements AutoCloseable {

    private final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
    private final Watch watch;
    long lastSeenAt;

    private record Seen(long at, WorkflowRepository repository) {}

    RepositoryWatch() {
      watch =
          client
              .resources(WorkflowRepository.class)
              .inNamespace(ns)
              .withName(BenchFixtures.REPOSITORY_OBJECT)
              .watch(
                  new Watcher<>() {
                    @Override
                    public void eventReceived(Action action, WorkflowRepository repository) {
                      seen.add(new Seen(System.nanoTime(), repository));
                    }

                    @Override
                    public void onClose(WatcherException cause) {}
                  });
    }

    /** The first state at {@code generation} with ResyncSucceeded decided, either way. */
    WorkflowRepository await(long generation, Duration timeout, long since) {
      long deadline = since + timeout.toNanos();
      while (true) {
        Seen s;
        try {
          s = seen.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
        if (s == null) {
          throw new IllegalStateException(
              "the resync at generation " + generation + " did not finish within " + timeout);
        }
        var status = s.repository().getStatus();
        Condition c = condition(s.repository());
        if (status != null
            && status.getObservedGeneration() != null
            && status.getObservedGeneration() >= generation
            && c != null
            && c.getStatus() != ConditionStatus.Unknown) {
          lastSeenAt = s.at();
          return s.repository();
        }
      }
    }

    @Override
    public void close() {
      watch.close();
    }
  }
}
