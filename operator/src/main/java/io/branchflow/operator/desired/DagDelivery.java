package io.branchflow.operator.desired;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the branch's DAGs reach Airflow.
 *
 * <p>Airflow 3: its own git DAG bundle ({@code apache-airflow-providers-git}). The DAG processor
 * tracks the branch and re-fetches it every {@code gitSync.periodSeconds}; every parse is recorded
 * with its commit, and each task runs the DAG code of the commit its run started with (the worker
 * checks that commit out itself). Nothing but Airflow runs in the pods, so it works wherever the
 * Airflow image runs; git-sync images cannot even be built on some machines.
 *
 * <p>Airflow 2 has no bundles: a git-sync sidecar (and init container) keeps the branch checked out
 * into a volume Airflow reads its DAG folder from.
 */
final class DagDelivery {

  /** The bundle's name in Airflow: what its UI and API show as a DAG's bundle. */
  static final String BUNDLE_NAME = "branch";

  /** Airflow connection id of the repository; its environment variable is in git-credentials. */
  static final String GIT_CONNECTION_ID = "branchflow_git";

  static final String GIT_CONNECTION_ENV = "AIRFLOW_CONN_BRANCHFLOW_GIT";

  /** Airflow 2: where git-sync checks the repository out. */
  static final String DAGS_MOUNT = "/opt/airflow/dags";

  static final String DAGS_VOLUME = "dags";

  private DagDelivery() {}

  /** Airflow settings that point Airflow at the branch's DAGs. */
  static Map<String, String> config(EnvironmentInputs in) {
    ResolvedTemplate t = in.template();
    Map<String, String> env = new LinkedHashMap<>();
    if (t.airflow3()) {
      Map<String, Object> kwargs = new LinkedHashMap<>();
      kwargs.put("tracking_ref", in.branch());
      kwargs.put("subdir", t.dagsPath());
      kwargs.put("git_conn_id", GIT_CONNECTION_ID);
      kwargs.put("refresh_interval", t.gitSyncPeriodSeconds());
      Map<String, Object> bundle = new LinkedHashMap<>();
      bundle.put("name", BUNDLE_NAME);
      bundle.put("classpath", "airflow.providers.git.bundles.git.GitDagBundle");
      bundle.put("kwargs", kwargs);
      env.put(
          "AIRFLOW__DAG_PROCESSOR__DAG_BUNDLE_CONFIG_LIST", Serialization.asJson(List.of(bundle)));
      // How often the DAG processor asks each bundle whether its refresh_interval has passed
      // (Airflow's default; written down so the delay a push waits is visible in one place).
      env.put("AIRFLOW__DAG_PROCESSOR__BUNDLE_REFRESH_CHECK_INTERVAL", "5");
    } else {
      env.put("AIRFLOW__CORE__DAGS_FOLDER", DAGS_MOUNT + "/repo/" + t.dagsPath());
    }
    return env;
  }

  /**
   * The repository as the Airflow connection the bundle clones with, the read-only clone credential
   * included when the repository has one (spec.cloneCredentialRef; never the GitHub deployments
   * token). Airflow 3 only; it goes into the git-credentials Secret.
   */
  static String gitConnection(EnvironmentInputs in, String token) {
    Map<String, Object> connection = new LinkedHashMap<>();
    connection.put("conn_type", "git");
    connection.put("host", in.repository().getSpec().getCloneUrl());
    if (token != null) {
      connection.put("login", "x-access-token");
      connection.put("password", token);
    }
    return Serialization.asJson(connection);
  }

  /**
   * Whether Airflow containers load the git-credentials Secret: always with Airflow 3 (it holds the
   * bundle's connection), never with Airflow 2 (only git-sync uses it there).
   */
  static boolean airflowLoadsGitCredentials(EnvironmentInputs in) {
    return in.template().airflow3();
  }

  /** Airflow 2: git-sync v4 checking out this environment's branch into the shared volume. */
  static Container gitSync(EnvironmentInputs in, String name, boolean oneTime) {
    ResolvedTemplate t = in.template();
    ContainerBuilder container =
        new ContainerBuilder()
            .withName(name)
            .withImage(t.gitSyncImage())
            .addNewEnv()
            .withName("GITSYNC_REPO")
            .withValue(in.repository().getSpec().getCloneUrl())
            .endEnv()
            .addNewEnv()
            .withName("GITSYNC_REF")
            .withValue(in.branch())
            .endEnv()
            .addNewEnv()
            .withName("GITSYNC_ROOT")
            .withValue("/git")
            .endEnv()
            .addNewEnv()
            .withName("GITSYNC_LINK")
            .withValue("repo")
            .endEnv()
            .addNewEnv()
            .withName("GITSYNC_PERIOD")
            .withValue(t.gitSyncPeriodSeconds() + "s")
            .endEnv()
            .addNewEnv()
            .withName("GITSYNC_ONE_TIME")
            .withValue(String.valueOf(oneTime))
            .endEnv()
            .withResources(ResourceRequirementsMapper.of(t.resources().getGitSync(), "10m", "64Mi"))
            // Never tried with a read-only root (no git-sync image can be built or pulled on the
            // machines Branchflow is tested on), so its root stays writable.
            .withSecurityContext(PodSecurity.container(false))
            .addNewVolumeMount()
            .withName(DAGS_VOLUME)
            .withMountPath("/git")
            .endVolumeMount();
    if (in.repository().getSpec().getCloneCredentialRef() != null) {
      container.addToEnvFrom(
          new EnvFromSourceBuilder()
              .withNewSecretRef()
              .withName(Components.GIT_CREDENTIALS)
              .endSecretRef()
              .build());
    }
    return container.build();
  }
}
