package io.branchflow.operator.desired;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.Map;
import java.util.TreeMap;

/** Airflow's non-secret configuration, as environment variables every Airflow pod loads. */
public final class AirflowConfig {

  static final String POD_TEMPLATE_DIR = "/opt/airflow/pod-templates";
  static final String POD_TEMPLATE_FILE = "pod_template.yaml";

  static final int PARALLELISM = 4;

  private AirflowConfig() {}

  public static ConfigMap configMap(EnvironmentInputs in, String url) {
    ResolvedTemplate t = in.template();
    Map<String, String> env = new TreeMap<>();
    env.put("AIRFLOW__CORE__EXECUTOR", t.executor().name());
    env.put("AIRFLOW__CORE__LOAD_EXAMPLES", "False");
    // Airflow's default of 32 makes the LocalExecutor fork 32 workers at start: a scheduler of
    // about 1.5 GiB for an environment that runs a handful of tasks at once. The template's
    // extraAirflowConfig can raise it.
    env.put("AIRFLOW__CORE__PARALLELISM", String.valueOf(PARALLELISM));
    env.putAll(DagDelivery.config(in));
    if (t.airflow3()) {
      // Task processes (and KubernetesExecutor pods) report to the API server's execution API.
      env.put(
          "AIRFLOW__CORE__EXECUTION_API_SERVER_URL",
          "http://" + Components.UI_SERVICE + ":" + Components.UI_PORT + "/execution/");
      env.put("AIRFLOW__API__BASE_URL", url);
      env.putAll(AirflowLogin.config());
      // Without an issuer Airflow 3.x signs tokens with "iss": null and POST /auth/token fails
      // (TypeError: Issuer (iss) must be a string).
      env.put("AIRFLOW__API_AUTH__JWT_ISSUER", "branchflow/" + in.name());
    } else {
      env.put("AIRFLOW__WEBSERVER__BASE_URL", url);
    }
    if (t.kubernetesExecutor()) {
      env.put("AIRFLOW__KUBERNETES_EXECUTOR__NAMESPACE", in.namespace());
      env.put(
          "AIRFLOW__KUBERNETES_EXECUTOR__POD_TEMPLATE_FILE",
          POD_TEMPLATE_DIR + "/" + POD_TEMPLATE_FILE);
      env.put("AIRFLOW__KUBERNETES_EXECUTOR__DELETE_WORKER_PODS", "True");
    }
    // What DAGs may want to know about where they run.
    env.put("BRANCHFLOW_REPOSITORY", in.repository().getSpec().getRepository());
    env.put("BRANCHFLOW_BRANCH", in.branch());
    env.put("BRANCHFLOW_ENVIRONMENT", in.name());
    env.putAll(t.airflowConfig());
    return new ConfigMapBuilder()
        .withMetadata(in.meta(Components.CONFIG_MAP, Components.ENVIRONMENT))
        .withData(env)
        .build();
  }
}
