package io.branchflow.operator.desired;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ProbeBuilder;

/**
 * Health checks of the Airflow components, the ones the official Airflow Helm chart uses: the API
 * server's {@code /api/v2/monitor/health} (Airflow 2: the webserver's {@code /health}) and, for the
 * scheduler, DAG processor and triggerer, {@code airflow jobs check --local}, which passes only
 * while this pod's job keeps heart-beating in the database. Unlike the chart, each also gets a
 * readiness probe, so a Deployment is ready, and the environment {@code Ready}, only while Airflow
 * is healthy rather than merely started.
 *
 * <p>Budgets differ from the chart's where a small cluster needs them to: Airflow's start (imports,
 * first database round trips) takes tens of seconds on two shared cores, so startup probes allow
 * {@value #STARTUP_BUDGET_SECONDS} s before the kubelet gives up, and every exec check may take
 * {@value #CHECK_TIMEOUT_SECONDS} s (a Python start that imports Airflow).
 */
final class AirflowProbes {

  static final int STARTUP_BUDGET_SECONDS = 300;
  static final int CHECK_TIMEOUT_SECONDS = 30;
  private static final int STARTUP_PERIOD_SECONDS = 10;

  private AirflowProbes() {}

  /** Sets the component's probes on its Airflow container; components without a check get none. */
  static void apply(EnvironmentInputs in, String component, Container container) {
    if (AirflowComponents.isUi(component)) {
      String path = in.template().airflow3() ? "/api/v2/monitor/health" : "/health";
      container.setStartupProbe(
          http(path)
              .withPeriodSeconds(STARTUP_PERIOD_SECONDS)
              .withTimeoutSeconds(10)
              .withFailureThreshold(STARTUP_BUDGET_SECONDS / STARTUP_PERIOD_SECONDS)
              .build());
      container.setLivenessProbe(
          http(path).withPeriodSeconds(10).withTimeoutSeconds(10).withFailureThreshold(5).build());
      container.setReadinessProbe(
          http(path).withPeriodSeconds(10).withTimeoutSeconds(10).withFailureThreshold(3).build());
      return;
    }
    String jobType = jobType(component);
    if (jobType == null) {
      return;
    }
    container.setStartupProbe(
        jobCheck(jobType)
            .withPeriodSeconds(STARTUP_PERIOD_SECONDS)
            .withFailureThreshold(STARTUP_BUDGET_SECONDS / STARTUP_PERIOD_SECONDS)
            .build());
    container.setLivenessProbe(
        jobCheck(jobType).withPeriodSeconds(60).withFailureThreshold(5).build());
    container.setReadinessProbe(
        jobCheck(jobType).withPeriodSeconds(30).withFailureThreshold(2).build());
  }

  /** The job a component's heartbeat is recorded as; null for components without one. */
  static String jobType(String component) {
    return switch (component) {
      case Components.SCHEDULER -> "SchedulerJob";
      case Components.DAG_PROCESSOR -> "DagProcessorJob";
      case Components.TRIGGERER -> "TriggererJob";
      default -> null;
    };
  }

  private static ProbeBuilder http(String path) {
    return new ProbeBuilder().withNewHttpGet().withPath(path).withNewPort("http").endHttpGet();
  }

  private static ProbeBuilder jobCheck(String jobType) {
    return new ProbeBuilder()
        .withNewExec()
        .withCommand("airflow", "jobs", "check", "--job-type", jobType, "--local")
        .endExec()
        .withTimeoutSeconds(CHECK_TIMEOUT_SECONDS);
  }
}
