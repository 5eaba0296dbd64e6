package io.branchflow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** What the operator observed of a repository. */
public class WorkflowRepositoryStatus {

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Current state: Ready, ResyncSucceeded and their reasons.")
  private List<Condition> conditions;

  @JsonPropertyDescription("Number of WorkflowEnvironments of this repository.")
  private Integer environments;

  @JsonPropertyDescription("When branches were last listed successfully (RFC 3339).")
  private String lastResyncTime;

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public Integer getEnvironments() {
    return environments;
  }

  public void setEnvironments(Integer environments) {
    this.environments = environments;
  }

  public String getLastResyncTime() {
    return lastResyncTime;
  }

  public void setLastResyncTime(String lastResyncTime) {
    this.lastResyncTime = lastResyncTime;
  }
}
