package io.branchflow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;

/** Limits on a repository's environments. */
public class EnvironmentLimits {

  @Default("20")
  @Min(1)
  @JsonPropertyDescription(
      "Most environments of this repository that may exist at once. A further branch gets its"
          + " WorkflowEnvironment in phase Queued (no namespace, nothing running) and is"
          + " provisioned, first come first served, when one is removed. Lowering it never removes"
          + " a running environment.")
  private Integer maxEnvironments;

  public Integer getMaxEnvironments() {
    return maxEnvironments;
  }

  public void setMaxEnvironments(Integer maxEnvironments) {
    this.maxEnvironments = maxEnvironments;
  }
}
