package io.branchflow.operator.desired;

import io.branchflow.api.v1alpha1.ComponentResources;
import io.branchflow.api.v1alpha1.ProductionDataAccess;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The parts every Airflow pod shares: the Airflow container with the environment's configuration,
 * secrets and production credentials, and (Airflow 2 only) git-sync of the branch.
 */
final class AirflowPods {

  static final long AIRFLOW_UID = 50000; // the official image's airflow user

  /** Airflow images run with group 0 (the official image's convention, also OpenShift's). */
  static final long AIRFLOW_GID = 0;

  /**
   * Where Airflow writes outside its volumes, so its root can be read-only: /tmp (the git DAG
   * bundle's clones), AIRFLOW_HOME (Airflow 3.3.2 writes airflow.cfg there at start) and HOME
   * (git's and Python's caches, should a tool write them).
   */
  private static final String TMP_VOLUME = "tmp";

  private static final String AIRFLOW_HOME_VOLUME = "airflow-home";
  private static final String HOME_VOLUME = "home";
  static final String AIRFLOW_HOME = "/opt/airflow";
  static final String HOME = "/home/airflow";
  private static final String POD_TEMPLATE_VOLUME = "pod-template";

  private AirflowPods() {}

  /**
   * A pod that runs {@code airflow <args>}. With Airflow 2, long-running pods get a git-sync
   * sidecar and all get a one-shot git-sync init container, so the DAGs are there before Airflow
   * starts; Airflow 3 fetches the branch itself (see {@link DagDelivery}).
   */
  static PodSpec podSpec(
      EnvironmentInputs in, String component, List<String> args, boolean sidecar) {
    boolean gitSync = !in.template().airflow3();
    List<Container> initContainers = new ArrayList<>();
    List<Container> containers = new ArrayList<>();
    List<Volume> volumes = new ArrayList<>();
    Container airflow = airflowContainer(in, component, args);
    containers.add(airflow);
    if (gitSync) {
      initContainers.add(DagDelivery.gitSync(in, "git-sync-init", true));
      if (sidecar) {
        containers.add(DagDelivery.gitSync(in, "git-sync", false));
      }
      volumes.add(
          new VolumeBuilder()
              .withName(DagDelivery.DAGS_VOLUME)
              .withNewEmptyDir()
              .endEmptyDir()
              .build());
    }
    if (in.template().airflow3() && AirflowComponents.isUi(component)) {
      initContainers.add(AirflowLogin.initContainer(in));
      airflow.getVolumeMounts().add(AirflowLogin.mount());
      volumes.add(AirflowLogin.volume());
    }
    if (TaskLogs.usedBy(component)) {
      airflow.getVolumeMounts().add(TaskLogs.mount());
      volumes.add(TaskLogs.volume());
    }
    airflow.getVolumeMounts().add(PodSecurity.mount(TMP_VOLUME, "/tmp"));
    airflow.getVolumeMounts().add(PodSecurity.mount(AIRFLOW_HOME_VOLUME, AIRFLOW_HOME));
    airflow.getVolumeMounts().add(PodSecurity.mount(HOME_VOLUME, HOME));
    volumes.add(PodSecurity.scratch(TMP_VOLUME, "2Gi"));
    volumes.add(PodSecurity.scratch(AIRFLOW_HOME_VOLUME, "64Mi"));
    volumes.add(PodSecurity.scratch(HOME_VOLUME, "256Mi"));
    if (in.template().kubernetesExecutor() && !Components.WORKER.equals(component)) {
      volumes.add(
          new VolumeBuilder()
              .withName(POD_TEMPLATE_VOLUME)
              .withNewConfigMap()
              .withName(Components.POD_TEMPLATE_CONFIG_MAP)
              .endConfigMap()
              .build());
    }
    PodSpec pod =
        new PodSpecBuilder()
            .withServiceAccountName(serviceAccount(in, component))
            .withAutomountServiceAccountToken(callsKubernetesApi(in, component) ? null : false)
            .withSecurityContext(PodSecurity.pod(AIRFLOW_UID, AIRFLOW_GID, AIRFLOW_GID))
            .withInitContainers(initContainers)
            .withContainers(containers)
            .withVolumes(volumes)
            .build();
    // Components, the migration and KubernetesExecutor task pods alike: placement is per
    // environment.
    PodSecurity.restrictContainers(pod);
    in.template().place(pod);
    if (TaskLogs.usedBy(component)) {
      TaskLogs.besideDatabase(in, pod);
    }
    return pod;
  }

  /**
   * Only the scheduler under KubernetesExecutor calls the Kubernetes API (it starts and watches
   * task pods); every other pod gets no token, so code running there cannot use one.
   */
  static boolean callsKubernetesApi(EnvironmentInputs in, String component) {
    return in.template().kubernetesExecutor() && Components.SCHEDULER.equals(component);
  }

  /**
   * Pods that run tasks (the scheduler under LocalExecutor, KubernetesExecutor's task pods) use the
   * ServiceAccount that carries the repository's workload-identity annotations; every other pod
   * uses one without them.
   */
  static String serviceAccount(EnvironmentInputs in, String component) {
    boolean runsTasks =
        in.template().kubernetesExecutor()
            ? Components.WORKER.equals(component)
            : Components.SCHEDULER.equals(component);
    return runsTasks ? Components.TASK_SERVICE_ACCOUNT : Components.SERVICE_ACCOUNT;
  }

  static Container airflowContainer(EnvironmentInputs in, String component, List<String> args) {
    ContainerBuilder container =
        new ContainerBuilder()
            .withName(Components.WORKER.equals(component) ? "base" : component)
            .withImage(in.template().image())
            .withArgs(args)
            .withEnvFrom(envFrom(in, component))
            .withResources(resources(in.template().resources(), component));
    if (!in.template().airflow3()) {
      container
          .addNewVolumeMount()
          .withName(DagDelivery.DAGS_VOLUME)
          .withMountPath(DagDelivery.DAGS_MOUNT)
          .withReadOnly(true)
          .endVolumeMount();
    }
    if (in.template().kubernetesExecutor() && !Components.WORKER.equals(component)) {
      container
          .addNewVolumeMount()
          .withName(POD_TEMPLATE_VOLUME)
          .withMountPath(AirflowConfig.POD_TEMPLATE_DIR)
          .withReadOnly(true)
          .endVolumeMount();
    }
    Container built = container.build();
    if (built.getVolumeMounts() == null) {
      built.setVolumeMounts(new ArrayList<>());
    }
    AirflowProbes.apply(in, component, built);
    return built;
  }

  /**
   * What an Airflow container loads as environment variables: the configuration, the generated
   * secrets and, except for the migration, the bundle's git connection (Airflow 3) and the copied
   * production credentials. A copied Secret's keys become variables as they are, so a key named
   * {@code AIRFLOW_CONN_WAREHOUSE} is the connection {@code warehouse} every DAG can use.
   */
  static List<EnvFromSource> envFrom(EnvironmentInputs in, String component) {
    List<EnvFromSource> sources = new ArrayList<>();
    sources.add(
        new EnvFromSourceBuilder()
            .withNewConfigMapRef()
            .withName(Components.CONFIG_MAP)
            .endConfigMapRef()
            .build());
    sources.add(secretRef(Components.GENERATED_SECRET));
    if (!Components.MIGRATION.equals(component)) { // the migration needs neither
      if (DagDelivery.airflowLoadsGitCredentials(in)) {
        sources.add(secretRef(Components.GIT_CREDENTIALS));
      }
      Optional.ofNullable(in.repository().getSpec().getProductionData())
          .map(ProductionDataAccess::getSecretNames)
          .orElse(List.of())
          .forEach(name -> sources.add(productionSecretRef(name)));
    }
    return sources;
  }

  /**
   * Optional: a named production Secret is copied only while its owner opts in, and its copy is
   * deleted when the grant is revoked. Such a Secret is then simply not loaded (the pods roll when
   * the copies change), instead of stopping every pod with CreateContainerConfigError.
   */
  private static EnvFromSource productionSecretRef(String name) {
    return new EnvFromSourceBuilder()
        .withNewSecretRef()
        .withName(name)
        .withOptional(true)
        .endSecretRef()
        .build();
  }

  private static EnvFromSource secretRef(String name) {
    return new EnvFromSourceBuilder().withNewSecretRef().withName(name).endSecretRef().build();
  }

  /**
   * The template's resources, else defaults from measured peaks (cgroup max usage on the real node,
   * Airflow 3.3.2, LocalExecutor with parallelism 4 after task runs, 2026-11-29): scheduler 389
   * MiB, DAG processor 286 MiB, API server 265 MiB. Requests sit a little above the peak, limits at
   * about 1.5 times it, so a busier branch has room before the kernel kills it. The triggerer (not
   * measured) gets the DAG processor's; a KubernetesExecutor task pod runs one task (see
   * docs/airflow.md for its measurement).
   */
  private static io.fabric8.kubernetes.api.model.ResourceRequirements resources(
      ComponentResources all, String component) {
    return switch (component) {
      case Components.SCHEDULER ->
          ResourceRequirementsMapper.of(all.getScheduler(), "100m", "448Mi", "768Mi");
      case Components.DAG_PROCESSOR ->
          ResourceRequirementsMapper.of(all.getDagProcessor(), "100m", "320Mi", "512Mi");
      case Components.API_SERVER, Components.WEBSERVER ->
          ResourceRequirementsMapper.of(all.getApiServer(), "100m", "320Mi", "512Mi");
      case Components.TRIGGERER ->
          ResourceRequirementsMapper.of(all.getTriggerer(), "100m", "320Mi", "512Mi");
      case Components.WORKER ->
          ResourceRequirementsMapper.of(all.getWorker(), "100m", "320Mi", "512Mi");
      default -> ResourceRequirementsMapper.of(null, "100m", "512Mi");
    };
  }
}
