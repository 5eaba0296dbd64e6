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
      "Most environments of this repository that may exist at once. A further branch gets its"
          + " WorkflowEnvironment in phase Queued (no namespace, nothing running) and is"
          + " provisioned, first come first served, when one is removed. Lowering it never removes"
          + " a running environment.")
  private Integer maxEnvironments;

  @Pattern(Patterns.POSITIVE_DURATION)
  @JsonPropertyDescription(
      "Remove an environment this long after the last push to its branch, e.g. 72h or 7d: torn"
          + " down as if the branch were deleted, with a Slack reply in its thread and an Event an"
          + " hour before (half the ttl when it is under 2h). A push resets it and brings a removed"
          + " environment back. Never when unset.")
  private String ttl;

  @Pattern(Patterns.POSITIVE_DURATION)
  @JsonPropertyDescription(
      "Suspend an environment whose Airflow had no DAG run queued or running, no entry in its"
          + " event log (a task started or ended, an action in the UI or API) and no push for this"
          + " long, e.g. 2h: scaled to zero as spec.suspend does, database kept. A push wakes it,"
          + " and so does setting spec.suspend to false. Never when unset; Airflow 3 only.")
  private String idleAfter;

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

  public String getIdleAfter() {
    return idleAfter;
  }

  public void setIdleAfter(String idleAfter) {
    this.idleAfter = idleAfter;
  }
}
