package io.branchflow.operator.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.operator.desired.EnvironmentInputs;
import io.branchflow.operator.inspect.AirflowRestClient.Unavailable;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingEventSource.ResourceFetcher;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The one way the operator looks inside an environment: a poll of its Airflow's REST API, on the
 * poller's own threads ({@link AirflowObservations}), never in a reconcile. Each poll asks which
 * commit Airflow loaded ({@code GET /api/v2/dags}) and, once that commit is the last push and has
 * been seen twice in a row (its files parsed), which DAG files fail to import ({@code GET
 * /api/v2/importErrors}), and each time which task instances failed ({@link FailedTasks}); for a
 * repository with limits.idleAfter, also what happens in it ({@link AirflowActivity}: two more
 * GETs). When it is not time to ask ({@link InspectionSchedule}) or the environment's Airflow is
 * not up, the last observation stands and nothing is sent.
 */
public final class AirflowInspector
    implements ResourceFetcher<AirflowObservation, WorkflowEnvironment> {

  private static final Logger LOG = Logger.getLogger(AirflowInspector.class);

  static final Duration SHORTEST_WAIT = Duration.ofSeconds(1);

  private final AirflowRestClient airflow;
  private final AirflowTargets targets;
  private final InspectionSchedule schedule;

  /**
   * The namespaces whose Airflow was unreachable on its last poll. While the outage lasts, its
   * observation keeps the reason it began with: how an unreachable Airflow fails (a timeout, the
   * proxy's 503, a reset connection) varies from poll to poll, and each new text would be a new
   * observation, a reconcile and a status write with nothing changed for anyone.
   */
  private final Set<String> outages = ConcurrentHashMap.newKeySet();

  public AirflowInspector(AirflowRestClient airflow, AirflowTargets targets) {
    this(airflow, targets, Clock.systemUTC());
  }

  AirflowInspector(AirflowRestClient airflow, AirflowTargets targets, Clock clock) {
    this.airflow = airflow;
    this.targets = targets;
    this.schedule = new InspectionSchedule(clock);
  }

  /** Never throws: an exception would end JOSDK's polling of this environment for good. */
  @Override
  public Set<AirflowObservation> fetchResources(WorkflowEnvironment env) {
    String key = key(env);
    try {
      String pushed = env.getSpec().getCommitSha();
      if (!schedule.due(key, pushed)) {
        return last(key);
      }
      Optional<AirflowTargets.Target> target = targets.toAsk(env);
      if (target.isEmpty()) {
        return last(key);
      }
      AirflowObservation observation = observe(target.get(), pushed, schedule.last(key));
      Duration next = schedule.answered(key, pushed, observation);
      LOG.debugf("Airflow of %s: %s; next look in %s", key, observation, next);
      return Set.of(observation);
    } catch (RuntimeException e) {
      LOG.warnf(e, "looking inside the Airflow of %s failed unexpectedly", key);
      return last(key);
    }
  }

  /**
   * When JOSDK runs {@link #fetchResources} next: when the schedule says, a tick while the
   * environment's Airflow cannot be asked, never sooner than {@link #SHORTEST_WAIT} (an Airflow
   * that is due but cannot be asked must not make the poller spin).
   */
  @Override
  public Optional<Duration> fetchDelay(Set<AirflowObservation> last, WorkflowEnvironment env) {
    Duration wait =
        askable(env)
            ? schedule.delay(key(env), env.getSpec().getCommitSha())
            : InspectionSchedule.TICK;
    return Optional.of(wait.compareTo(SHORTEST_WAIT) < 0 ? SHORTEST_WAIT : wait);
  }

  /** Whether JOSDK should start polling an environment: its Airflow may be up. */
  boolean worthPolling(WorkflowEnvironment env) {
    try {
      return targets.worthPolling(env);
    } catch (RuntimeException e) {
      // Called on the informer's thread: odd data must not stop its events.
      LOG.warnf(e, "cannot tell whether the Airflow of %s is up", key(env));
      return false;
    }
  }

  private boolean askable(WorkflowEnvironment env) {
    try {
      return targets.toAsk(env).isPresent();
    } catch (RuntimeException e) {
      LOG.warnf(e, "cannot tell whether the Airflow of %s can be asked", key(env));
      return false;
    }
  }

  void forget(WorkflowEnvironment env) {
    schedule.forget(key(env));
    airflow.forget(EnvironmentInputs.namespaceOf(env));
    outages.remove(EnvironmentInputs.namespaceOf(env));
  }

  AirflowObservation observe(
      AirflowTargets.Target target, String pushed, AirflowObservation previous) {
    String namespace = target.namespace();
    try {
      String revision = newestParse(airflow.get(namespace, "api/v2/dags?limit=1000"));
      // Import errors carry no commit, so they are read only when they can be only the last
      // push's: Airflow runs it (while it runs an older one, the new commit's changed files are
      // parsed first and their errors would be taken for the older commit's), and it was already
      // running it on the poll before (its files are parsed one after the other), so an error
      // not recorded yet is never reported as "every file imports".
      boolean current = pushed == null || pushed.equals(revision);
      boolean seenBefore =
          previous != null && previous.answered() && Objects.equals(previous.revision(), revision);
      ImportErrors imports =
          current && seenBefore
              ? ImportErrors.parse(airflow.get(namespace, ImportErrors.PATH), target.dagsPath())
              : null;
      // Failed tasks carry their run: whichever commit Airflow runs, they are its own.
      FailedTasks failures = FailedTasks.parse(airflow.get(namespace, FailedTasks.PATH));
      AirflowActivity activity =
          target.activity()
              ? AirflowActivity.parse(
                  airflow.get(namespace, AirflowActivity.ACTIVE_RUNS),
                  airflow.get(namespace, AirflowActivity.NEWEST_EVENT))
              : null;
      outages.remove(namespace);
      return new AirflowObservation(revision, null, imports, failures, activity);
    } catch (Unavailable e) {
      if (!e.unreachable()) {
        outages.remove(namespace);
      } else if (!outages.add(namespace) && previous != null && !previous.answered()) {
        return previous; // the same outage
      }
      return AirflowObservation.unavailable(e.getMessage());
    }
  }

  /**
   * The bundle version of the DAG parsed last: the commit whose DAGs the DAG processor has loaded.
   * Airflow re-parses every file of the bundle when it moves to a new commit, so the newest parse
   * carries the newest commit. Null when no DAG was parsed yet.
   */
  static String newestParse(JsonNode dags) {
    String newest = null;
    String sha = null;
    for (JsonNode dag : dags.path("dags")) {
      String parsed = dag.path("last_parsed_time").asText(null);
      String version = dag.path("bundle_version").asText(null);
      if (parsed != null && version != null && (newest == null || parsed.compareTo(newest) > 0)) {
        newest = parsed;
        sha = version;
      }
    }
    return sha;
  }

  private Set<AirflowObservation> last(String key) {
    AirflowObservation last = schedule.last(key);
    return last == null ? Set.of() : Set.of(last);
  }

  private static String key(WorkflowEnvironment env) {
    return env.getMetadata().getNamespace() + "/" + env.getMetadata().getName();
  }
}
