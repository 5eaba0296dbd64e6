package io.branchflow.operator.desired;

import io.branchflow.api.v1alpha1.ComponentResources;
import io.branchflow.api.v1alpha1.Resources;
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

/** The parts every Airflow pod shares: the Airflow container and git-sync of the branch. */
final class AirflowPods {

  static final long AIRFLOW_UID = 50000; // the official image's airflow user
  private static final String DAGS_VOLUME = "dags";
  private static final String POD_TEMPLATE_VOLUME = "pod-template";

  private AirflowPods() {}

  /**
   * A pod that runs {@code airflow <args>}. Long-running pods get a git-sync sidecar; all get a
   * one-shot git-sync init container so the DAGs are there before Airflow starts.
   */
  static PodSpec podSpec(
      EnvironmentInputs in, String component, List<String> args, boolean sidecar) {
    List<Container> containers = new ArrayList<>();
    containers.add(airflowContainer(in, component, args));
    if (sidecar) {
      containers.add(gitSync(in, "git-sync", false));
    }
    List<Volume> volumes = new ArrayList<>();
    volumes.add(new VolumeBuilder().withName(DAGS_VOLUME).withNewEmptyDir().endEmptyDir().build());
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
            .withServiceAccountName(Components.SERVICE_ACCOUNT)
            .withNewSecurityContext()
            .withRunAsUser(AIRFLOW_UID)
            .withFsGroup(0L)
            .endSecurityContext()
            .withInitContainers(gitSync(in, "git-sync-init", true))
            .withContainers(containers)
            .withVolumes(volumes)
            .build();
    // Components, the migration and KubernetesExecutor task pods alike: placement is per
    // environment.
    in.template().place(pod);
    return pod;
  }

  static Container airflowContainer(EnvironmentInputs in, String component, List<String> args) {
    ContainerBuilder container =
        new ContainerBuilder()
            .withName(Components.WORKER.equals(component) ? "base" : component)
            .withImage(in.template().image())
            .withArgs(args)
            .withEnvFrom(envFrom())
            .withResources(resources(in.template().resources(), component))
            .addNewVolumeMount()
            .withName(DAGS_VOLUME)
            .withMountPath(AirflowConfig.DAGS_MOUNT)
            .withReadOnly(true)
            .endVolumeMount();
    if (in.template().kubernetesExecutor() && !Components.WORKER.equals(component)) {
      container
          .addNewVolumeMount()
          .withName(POD_TEMPLATE_VOLUME)
          .withMountPath(AirflowConfig.POD_TEMPLATE_DIR)
          .withReadOnly(true)
          .endVolumeMount();
    }
    return container.build();
  }

  static List<EnvFromSource> envFrom() {
    return List.of(
        new EnvFromSourceBuilder()
            .withNewConfigMapRef()
            .withName(Components.CONFIG_MAP)
            .endConfigMapRef()
            .build(),
        new EnvFromSourceBuilder()
            .withNewSecretRef()
            .withName(Components.GENERATED_SECRET)
            .endSecretRef()
            .build());
  }

  /** git-sync v4 checking out this environment's branch into the shared dags volume. */
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
            .addNewVolumeMount()
            .withName(DAGS_VOLUME)
            .withMountPath("/git")
            .endVolumeMount();
    if (in.repository().getSpec().getGithubTokenRef() != null) {
      container.addToEnvFrom(
          new EnvFromSourceBuilder()
              .withNewSecretRef()
              .withName(Components.GIT_CREDENTIALS)
              .endSecretRef()
              .build());
    }
    return container.build();
  }

  private static io.fabric8.kubernetes.api.model.ResourceRequirements resources(
      ComponentResources all, String component) {
    Resources r =
        switch (component) {
          case Components.SCHEDULER -> all.getScheduler();
          case Components.DAG_PROCESSOR -> all.getDagProcessor();
          case Components.API_SERVER, Components.WEBSERVER -> all.getApiServer();
          case Components.TRIGGERER -> all.getTriggerer();
          case Components.WORKER -> all.getWorker();
          default -> null;
        };
    return ResourceRequirementsMapper.of(r, "100m", "512Mi");
  }
}
