package io.branchflow.operator.desired;

/** Names of an environment's components and of the objects that run them. */
public final class Components {

  public static final String ENVIRONMENT = "environment";
  public static final String DATABASE = "database";
  public static final String MIGRATION = "migration";
  public static final String SCHEDULER = "scheduler";
  public static final String DAG_PROCESSOR = "dag-processor";
  public static final String API_SERVER = "api-server";

  /** Airflow 2's UI; Airflow 3 replaced it with the API server. */
  public static final String WEBSERVER = "webserver";

  public static final String TRIGGERER = "triggerer";
  public static final String WORKER = "worker";

  /** Airflow pods that run no task; no annotations. */
  public static final String SERVICE_ACCOUNT = "airflow";

  /** Airflow pods that run tasks; the repository's workload-identity annotations. */
  public static final String TASK_SERVICE_ACCOUNT = "airflow-tasks";

  public static final String GENERATED_SECRET = "airflow-secrets";
  public static final String GIT_CREDENTIALS = "git-credentials";
  public static final String CONFIG_MAP = "airflow-config";
  public static final String POD_TEMPLATE_CONFIG_MAP = "airflow-pod-template";
  public static final String DATABASE_NAME = "postgres";
  public static final String UI_SERVICE = "airflow-ui";
  public static final String INGRESS = "airflow";
  public static final int UI_PORT = 8080;

  private Components() {}

  public static String deploymentName(String component) {
    return "airflow-" + component;
  }
}
