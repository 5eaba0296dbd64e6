package io.branchflow.operator.desired;

import io.branchflow.api.v1alpha1.Resources;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.Map;
import java.util.TreeMap;

/** Template resources to a container's requests and limits, with per-component fallbacks. */
final class ResourceRequirementsMapper {

  private ResourceRequirementsMapper() {}

  static ResourceRequirements of(Resources r, String defaultCpu, String defaultMemory) {
    return of(r, defaultCpu, defaultMemory, null);
  }

  /**
   * @param defaultMemoryLimit the limit when the template sets neither request nor limit; null: the
   *     memory request
   */
  static ResourceRequirements of(
      Resources r, String defaultCpu, String defaultMemory, String defaultMemoryLimit) {
    Resources given = r != null ? r : new Resources();
    String memoryRequest = or(given.getMemoryRequest(), defaultMemory);
    String fallbackLimit =
        given.getMemoryRequest() == null && defaultMemoryLimit != null
            ? defaultMemoryLimit
            : memoryRequest;
    Map<String, Quantity> requests = new TreeMap<>();
    requests.put("cpu", new Quantity(or(given.getCpuRequest(), defaultCpu)));
    requests.put("memory", new Quantity(memoryRequest));
    Map<String, Quantity> limits = new TreeMap<>();
    limits.put("memory", new Quantity(or(given.getMemoryLimit(), fallbackLimit)));
    if (given.getCpuLimit() != null) {
      limits.put("cpu", new Quantity(given.getCpuLimit()));
    }
    return new ResourceRequirementsBuilder().withRequests(requests).withLimits(limits).build();
  }

  private static String or(String value, String fallback) {
    return value != null ? value : fallback;
  }
}
