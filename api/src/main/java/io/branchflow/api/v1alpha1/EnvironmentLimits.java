package io.branchflow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Limits on a repository's environments. */
public class EnvironmentLimits {

  @Default("20")
  @Min(1)
  @JsonPropertyDescription(
      "Most environments that may exist at once; further branches wait with a condition saying so.")
  private Integer maxEnvironments;

  @Pattern(Patterns.DURATION)
  @JsonPropertyDescription(
      "Environments whose branch has seen no push for this long are suspended, e.g. 72h; never when unset.")
  private String ttl;

  public Integer getMaxEnvironments() {
    return maxEnvironments;
  }

  public void setMaxEnvironments(Integer maxEnvironments) {
    this.maxEnvironments = maxEnvironments;
  }

  public String getTtl() {
    return ttl;
  }

  public void setTtl(String ttl) {
    this.ttl = ttl;
  }
}
