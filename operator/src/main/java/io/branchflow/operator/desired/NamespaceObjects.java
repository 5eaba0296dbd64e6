package io.branchflow.operator.desired;

import io.branchflow.api.v1alpha1.Quota;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The environment's namespace and the fences around it. */
public final class NamespaceObjects {

  /**
   * The UID of the WorkflowEnvironment that created the namespace: with the creation time, what
   * lets a restarted operator recognise a namespace it created before it could record the
   * namespace's UID in status.
   */
  public static final String ENVIRONMENT_UID_ANNOTATION = "branchflow.io/environment-uid";

  private NamespaceObjects() {}

  public static Namespace namespace(EnvironmentInputs in) {
    Map<String, String> labels = new TreeMap<>(in.labels(Components.ENVIRONMENT));
    // Branch code runs here: the API server refuses any pod that is not "restricted" (non-root,
    // no privilege escalation, no capabilities, RuntimeDefault seccomp); every pod the operator
    // makes is (AirflowPods, DatabaseObjects).
    labels.put("pod-security.kubernetes.io/enforce", "restricted");
    labels.put("pod-security.kubernetes.io/enforce-version", "latest");
    String environmentUid = in.environment().getMetadata().getUid();
    return new NamespaceBuilder()
        .withNewMetadata()
        .withName(in.namespace())
        .withLabels(labels)
        .withAnnotations(
            environmentUid == null ? null : Map.of(ENVIRONMENT_UID_ANNOTATION, environmentUid))
        .endMetadata()
        .build();
  }

  /** Only when the template sets a quota: the namespace's hard ceiling. */
  public static Optional<ResourceQuota> resourceQuota(EnvironmentInputs in) {
    Quota quota = in.template().quota();
    if (quota == null) {
      return Optional.empty();
    }
    Map<String, Quantity> hard = new TreeMap<>();
    if (quota.getCpu() != null) {
      hard.put("requests.cpu", new Quantity(quota.getCpu()));
    }
    if (quota.getMemory() != null) {
      hard.put("limits.memory", new Quantity(quota.getMemory()));
    }
    if (quota.getPods() != null) {
      hard.put("pods", new Quantity(String.valueOf(quota.getPods())));
    }
    if (quota.getStorage() != null) {
      hard.put("requests.storage", new Quantity(quota.getStorage()));
    }
    return Optional.of(
        new ResourceQuotaBuilder()
            .withMetadata(in.meta("environment-quota", Components.ENVIRONMENT))
            .withNewSpec()
            .withHard(hard)
            .endSpec()
            .build());
  }

  /** Defaults for containers that name no resources, so a quota never rejects them. */
  public static LimitRange limitRange(EnvironmentInputs in) {
    return new LimitRangeBuilder()
        .withMetadata(in.meta("container-defaults", Components.ENVIRONMENT))
        .withNewSpec()
        .addNewLimit()
        .withType("Container")
        .withDefaultRequest(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("256Mi")))
        .withDefault(Map.of("memory", new Quantity("1Gi")))
        .endLimit()
        .endSpec()
        .build();
  }
}
