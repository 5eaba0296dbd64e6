package io.branchflow.operator.desired;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodAffinity;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where task logs live: one volume of the environment that every pod writing or reading them mounts
 * at Airflow's log folder. Airflow's default keeps a task's log in the pod that ran it and has the
 * API server fetch it from that pod by host name: no one resolves that name, and the log is gone
 * once the pod is (a KubernetesExecutor worker right after its task, any pod when it rolls). On a
 * shared volume the API server reads every log itself, and logs outlive pods.
 *
 * <p>The volume is ReadWriteOnce (what every cluster offers), so all pods that mount it must share
 * a node: each is required to run beside the environment's PostgreSQL pod, which its own volume
 * already ties to one node. A preview environment is small enough for one node.
 */
public final class TaskLogs {

  static final String CLAIM = "airflow-logs";
  static final String MOUNT = "/opt/airflow/logs";
  static final String SIZE = "1Gi";
  private static final String VOLUME = "logs";
  private static final String HOSTNAME = "kubernetes.io/hostname";

  private TaskLogs() {}

  public static PersistentVolumeClaim claim(EnvironmentInputs in) {
    return new PersistentVolumeClaimBuilder()
        .withMetadata(in.meta(CLAIM, Components.ENVIRONMENT))
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withStorageClassName(in.template().storageClassName())
        .withNewResources()
        .withRequests(Map.of("storage", new Quantity(SIZE)))
        .endResources()
        .endSpec()
        .build();
  }

  /** Whether a component's pods write or read task logs; the migration does neither. */
  static boolean usedBy(String component) {
    return !Components.MIGRATION.equals(component);
  }

  static Volume volume() {
    return new VolumeBuilder()
        .withName(VOLUME)
        .withNewPersistentVolumeClaim()
        .withClaimName(CLAIM)
        .endPersistentVolumeClaim()
        .build();
  }

  static VolumeMount mount() {
    return new VolumeMountBuilder().withName(VOLUME).withMountPath(MOUNT).build();
  }

  /**
   * Adds "on the node of this environment's PostgreSQL pod" to the pod's required pod affinity,
   * keeping whatever affinity the template's placement already set.
   */
  static void besideDatabase(EnvironmentInputs in, PodSpec pod) {
    PodAffinityTerm term =
        new PodAffinityTermBuilder()
            .withNewLabelSelector()
            .withMatchLabels(in.selector(Components.DATABASE))
            .endLabelSelector()
            .withTopologyKey(HOSTNAME)
            .build();
    Affinity affinity =
        pod.getAffinity() == null
            ? new Affinity()
            : new AffinityBuilder(pod.getAffinity()).build(); // a copy: the template is shared
    PodAffinity podAffinity =
        affinity.getPodAffinity() == null ? new PodAffinity() : affinity.getPodAffinity();
    List<PodAffinityTerm> required =
        new ArrayList<>(
            podAffinity.getRequiredDuringSchedulingIgnoredDuringExecution() == null
                ? List.of()
                : podAffinity.getRequiredDuringSchedulingIgnoredDuringExecution());
    required.add(term);
    podAffinity.setRequiredDuringSchedulingIgnoredDuringExecution(required);
    affinity.setPodAffinity(podAffinity);
    pod.setAffinity(affinity);
  }
}
