package io.branchflow.bench;

import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a reconcile pass costs when nothing changed: every environment of the run is woken at once
 * (a Secret the repository names gets a new annotation: the operator reconciles all of the
 * repository's environments, and nothing they are made of differs), the harness waits until the
 * operator has finished that many passes (its own counter on /q/metrics, which also tells when the
 * passes that made them Ready are over), and the API server's {@code apiserver_request_total} says
 * what the passes sent.
 */
final class QuietPass {

  /** What the environment reconciler writes: anything else in the window is somebody else. */
  private static final Set<String> ENVIRONMENT_RESOURCES =
      Set.of(
          "namespaces",
          "secrets",
          "configmaps",
          "services",
          "serviceaccounts",
          "roles",
          "rolebindings",
          "networkpolicies",
          "resourcequotas",
          "limitranges",
          "persistentvolumeclaims",
          "statefulsets",
          "deployments",
          "jobs",
          "pods",
          "ingresses",
          "workflowenvironments",
          "events");

  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "APPLY", "DELETE");

  private final KubernetesClient client;
  private final ApiServerRequests requests;
  private final ManagedProcess operator;
  private final String ns;

  QuietPass(KubernetesClient client, String ns, ManagedProcess operator) {
    this.client = client;
    this.requests = new ApiServerRequests(client);
    this.operator = operator;
    this.ns = ns;
  }

  /**
   * Waits (at most 60 s and 2 s per environment: the poller's few threads each wait up to 5 s for
   * an Airflow that does not answer) until the poller has looked inside every environment's Airflow
   * once (condition DagsLoaded present: on kwok's node it says Airflow could not be asked), so that
   * first observation, a change the status must show, is not counted as the quiet pass's. Returns
   * how many environments had not been looked at by then.
   */
  private long awaitFirstObservations(int environments) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60 + 2L * environments).toNanos();
    long unobserved = environments;
    while (System.nanoTime() < deadline) {
      unobserved =
          client.resources(WorkflowEnvironment.class).inNamespace(ns).list().getItems().stream()
              .filter(env -> !observed(env))
              .count();
      if (unobserved == 0) {
        return 0;
      }
      ManagedProcess.pause(1000);
    }
    return unobserved;
  }

  private static boolean observed(WorkflowEnvironment env) {
    return env.getStatus() != null
        && env.getStatus().getConditions() != null
        && env.getStatus().getConditions().stream().anyMatch(c -> "DagsLoaded".equals(c.getType()));
  }

  /**
   * Waits (at most 30 s) until the passes that brought the environments to Ready are over (no pass
   * finished for 2 s), so their last status writes are not counted as the quiet pass's.
   */
  private void settle() {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    long last = operator.environmentPasses();
    while (System.nanoTime() < deadline) {
      ManagedProcess.pause(2000);
      long now = operator.environmentPasses();
      if (now == last) {
        return;
      }
      last = now;
    }
  }

  Map<String, Object> measure(int environments, int round) {
    long unobserved = awaitFirstObservations(environments);
    settle();
    long passesBefore = operator.environmentPasses();
    Map<String, Long> before = requests.snapshot();
    client
        .secrets()
        .inNamespace(ns)
        .withName(BenchFixtures.PRODUCTION_SECRET)
        .edit(
            (Secret s) -> {
              Map<String, String> annotations = new TreeMap<>();
              if (s.getMetadata().getAnnotations() != null) {
                annotations.putAll(s.getMetadata().getAnnotations());
              }
              annotations.put("bench.branchflow.io/touched", "" + round);
              s.getMetadata().setAnnotations(annotations);
              return s;
            });
    long deadline = System.nanoTime() + Duration.ofSeconds(60 + environments).toNanos();
    long passes = 0;
    while (System.nanoTime() < deadline) {
      passes = operator.environmentPasses() - passesBefore;
      if (passesBefore >= 0 && passes >= environments) {
        break;
      }
      ManagedProcess.pause(200);
    }
    // Passes already queued behind the counted ones finish within moments; let them land.
    ManagedProcess.pause(2000);
    passes = operator.environmentPasses() - passesBefore;
    Map<String, Long> all = ApiServerRequests.between(before, requests.snapshot());
    // The harness's own edit of the Secret.
    all.computeIfPresent("PATCH secrets", (k, v) -> v - 1 == 0 ? null : v - 1);
    // A namespace being deleted (an earlier run's) is swept by the namespace controller: one
    // DELETE per kind, CronJobs included, which Branchflow never writes; events twice (two API
    // groups). Those are not the operator's.
    long sweeps = all.getOrDefault("DELETE cronjobs", 0L);
    Map<String, Long> writes = new TreeMap<>();
    ApiServerRequests.on(all, ENVIRONMENT_RESOURCES)
        .forEach(
            (key, count) -> {
              String verb = key.substring(0, key.indexOf(' '));
              boolean subresource =
                  key.contains("/") && !key.endsWith("workflowenvironments/status");
              long notOurs = verb.equals("DELETE") ? sweeps * (key.endsWith(" events") ? 2 : 1) : 0;
              if (WRITES.contains(verb) && !subresource && count > notOurs) {
                writes.put(key, count - notOurs);
              }
            });
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("environments", environments);
    m.put("passesCounted", passesBefore < 0 ? null : passes);
    m.put("notYetObservedByThePoller", unobserved);
    m.put("writes", ApiServerRequests.total(writes));
    m.put("namespaceControllerSweepsExcluded", sweeps);
    m.put("writesByVerbAndResource", writes);
    m.put(
        "readsOnEnvironmentResources",
        ApiServerRequests.on(all, ENVIRONMENT_RESOURCES).entrySet().stream()
            .filter(e -> e.getKey().startsWith("GET ") || e.getKey().startsWith("LIST "))
            .mapToLong(Map.Entry::getValue)
            .sum());
    m.put("allRequestsInWindow", all);
    return m;
  }
}
