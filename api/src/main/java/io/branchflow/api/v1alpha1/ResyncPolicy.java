package io.branchflow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Converging environments with the branches that exist. */
public class ResyncPolicy {

  @Default("5m")
  @Pattern(Patterns.DURATION)
  @JsonPropertyDescription("How often branches are listed and environments converged.")
  private String period;

  @Default("50")
  @Min(0)
  @Max(100)
  @JsonPropertyDescription(
      "A resync that would delete more than this share of the repository's environments at once deletes none and reports instead.")
  private Integer maxDeletionPercent;

  public String getPeriod() {
    return period;
  }

  public void setPeriod(String period) {
    this.period = period;
  }

  public Integer getMaxDeletionPercent() {
    return maxDeletionPercent;
  }

  public void setMaxDeletionPercent(Integer maxDeletionPercent) {
    this.maxDeletionPercent = maxDeletionPercent;
  }
}
