package io.branchflow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The GitHub deployment that shows the environment on the branch and pull request. */
public class GitHubDeployment {

  @JsonPropertyDescription("ID of the GitHub deployment.")
  private Long deploymentId;

  @JsonPropertyDescription(
      "Last deployment status sent: in_progress, success, failure or inactive.")
  private String state;

  public Long getDeploymentId() {
    return deploymentId;
  }

  public void setDeploymentId(Long deploymentId) {
    this.deploymentId = deploymentId;
  }

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }
}
