package io.branchflow.operator.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentSpec;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An Airflow REST API that answers what the test set, and counts what it was asked; the same
 * answers for every environment. Also the operator's Airflow on kwok, where none runs.
 */
public final class FakeAirflow extends AirflowRestClient {

  public volatile String loaded;
  volatile String importErrors = "{\"import_errors\": [], \"total_entries\": 0}";
  volatile String failedTasks = "{\"task_instances\": [], \"total_entries\": 0}";
  public volatile String runs = "{\"dag_runs\": [], \"total_entries\": 0}";
  public volatile String events = "{\"event_logs\": [], \"total_entries\": 0}";
  volatile String down;

  /** Whether {@link #down} is an outage (no answer) rather than, say, refused credentials. */
  volatile boolean unreachable;

  final List<String> asked = new CopyOnWriteArrayList<>();

  /** The path the poller reads failed task instances from. */
  static final String FAILED_TASKS = FailedTasks.PATH.split("\\?")[0];

  public FakeAirflow(String loaded) {
    super(null);
    this.loaded = loaded;
  }

  @Override
  public JsonNode get(String namespace, String path) throws Unavailable {
    asked.add(path.split("\\?")[0]);
    if (down != null) {
      throw new Unavailable(down, unreachable);
    }
    String body =
        path.startsWith(FAILED_TASKS)
            ? failedTasks
            : path.startsWith("api/v2/dags/~/dagRuns")
                ? runs
                : path.startsWith("api/v2/eventLogs")
                    ? events
                    : path.startsWith("api/v2/dags")
                        ? "{\"dags\": [{\"dag_id\": \"a\", \"last_parsed_time\":"
                            + " \"2026-11-30T09:59:00Z\", \"bundle_version\": \""
                            + loaded
                            + "\"}]}"
                        : importErrors;
    return Serialization.unmarshal(body, JsonNode.class);
  }

  /** Environment {@code branchflow/dags-hardy} with its last push. */
  static WorkflowEnvironment environment(String pushed) {
    WorkflowEnvironment env = new WorkflowEnvironment();
    env.setMetadata(
        new ObjectMetaBuilder().withName("dags-hardy").withNamespace("branchflow").build());
    WorkflowEnvironmentSpec spec = new WorkflowEnvironmentSpec();
    spec.setCommitSha(pushed);
    env.setSpec(spec);
    return env;
  }
}
