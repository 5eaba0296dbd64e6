package io.branchflow.operator.desired;

import io.branchflow.api.v1alpha1.ComponentResources;
import io.branchflow.api.v1alpha1.DatabaseStorage;
import io.branchflow.api.v1alpha1.EnvironmentOverrides;
import io.branchflow.api.v1alpha1.EnvironmentTemplate;
import io.branchflow.api.v1alpha1.Executor;
import io.branchflow.api.v1alpha1.GitSyncSettings;
import io.branchflow.api.v1alpha1.IngressTemplate;
import io.branchflow.api.v1alpha1.OverridableField;
import io.branchflow.api.v1alpha1.Quota;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A repository's template with every default filled in and the branch's allowed overrides applied.
 * The API server defaults only the objects a user wrote, so nested objects left out of a
 * WorkflowRepository arrive as null; this is the one place that knows the fallbacks.
 */
public record ResolvedTemplate(
    String image,
    int airflowMajorVersion,
    Executor executor,
    boolean triggerer,
    ComponentResources resources,
    Quota quota,
    String databaseImage,
    String databaseSize,
    String storageClassName,
    IngressTemplate ingress,
    String gitSyncImage,
    int gitSyncPeriodSeconds,
    String dagsPath,
    Map<String, String> airflowConfig,
    Map<String, String> nodeSelector,
    List<Toleration> tolerations,
    Affinity affinity) {

  static final String DEFAULT_IMAGE = "apache/airflow:3.3.2";
  static final String DEFAULT_DATABASE_IMAGE = "postgres:16";
  static final String DEFAULT_GIT_SYNC_IMAGE = "registry.k8s.io/git-sync/git-sync:v4.4.2";

  public static ResolvedTemplate of(WorkflowRepository repository, WorkflowEnvironment env) {
    EnvironmentTemplate t =
        Optional.ofNullable(repository.getSpec().getTemplate()).orElseGet(EnvironmentTemplate::new);
    DatabaseStorage db = Optional.ofNullable(t.getDatabase()).orElseGet(DatabaseStorage::new);
    GitSyncSettings git = Optional.ofNullable(t.getGitSync()).orElseGet(GitSyncSettings::new);
    EnvironmentOverrides overrides =
        Optional.ofNullable(env.getSpec().getOverrides()).orElseGet(EnvironmentOverrides::new);
    List<OverridableField> allowed =
        Optional.ofNullable(repository.getSpec().getAllowedOverrides()).orElse(List.of());

    String image = or(t.getImage(), DEFAULT_IMAGE);
    if (allowed.contains(OverridableField.IMAGE) && overrides.getImage() != null) {
      image = overrides.getImage();
    }
    Map<String, String> config = new TreeMap<>(or(t.getExtraAirflowConfig(), Map.of()));
    if (allowed.contains(OverridableField.EXTRA_AIRFLOW_CONFIG)
        && overrides.getExtraAirflowConfig() != null) {
      config.putAll(overrides.getExtraAirflowConfig());
    }
    return new ResolvedTemplate(
        image,
        or(t.getAirflowMajorVersion(), 3),
        or(t.getExecutor(), Executor.LocalExecutor),
        or(t.getTriggerer(), false),
        or(t.getResources(), new ComponentResources()),
        t.getQuota(),
        or(db.getImage(), DEFAULT_DATABASE_IMAGE),
        or(db.getSize(), "1Gi"),
        db.getStorageClassName(),
        t.getIngress(),
        or(git.getImage(), DEFAULT_GIT_SYNC_IMAGE),
        or(git.getPeriodSeconds(), 30),
        or(git.getDagsPath(), "dags"),
        config,
        // Placement is the repository's alone: no OverridableField reaches it.
        new TreeMap<>(or(t.getNodeSelector(), Map.of())),
        or(t.getTolerations(), List.<Toleration>of()).stream().filter(Objects::nonNull).toList(),
        t.getAffinity());
  }

  /**
   * Puts the template's placement (node selector, tolerations, affinity) on a pod; every pod of an
   * environment goes through here. Without placement nothing is set, so the scheduler's defaults
   * (and the cluster's admission plugins) apply.
   */
  void place(PodSpec pod) {
    pod.setNodeSelector(nodeSelector.isEmpty() ? null : new TreeMap<>(nodeSelector));
    pod.setTolerations(tolerations.isEmpty() ? null : new ArrayList<>(tolerations));
    pod.setAffinity(affinity);
  }

  /**
   * The placement as JSON, for names that must change when it does (the migration Job's); empty
   * without placement, so names made before placement existed stay the same.
   */
  String placementKey() {
    if (nodeSelector.isEmpty() && tolerations.isEmpty() && affinity == null) {
      return "";
    }
    Map<String, Object> placement = new LinkedHashMap<>();
    placement.put("nodeSelector", nodeSelector);
    placement.put("tolerations", tolerations);
    placement.put("affinity", affinity);
    return Serialization.asJson(placement);
  }

  public boolean airflow3() {
    return airflowMajorVersion >= 3;
  }

  public boolean kubernetesExecutor() {
    return executor == Executor.KubernetesExecutor;
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
