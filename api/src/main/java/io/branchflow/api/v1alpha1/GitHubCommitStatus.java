package io.branchflow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The last commit status Branchflow set on a commit (context branchflow/dags). */
public class GitHubCommitStatus {

  @JsonPropertyDescription("Commit SHA the status was set on.")
  private String sha;

  @JsonPropertyDescription("success or failure.")
  private String state;

  @JsonPropertyDescription("The status's description as sent.")
  private String description;

  public String getSha() {
    return sha;
  }

  public void setSha(String sha) {
    this.sha = sha;
  }

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public String getDescription() {
    return description;
  }

  public void setDescription(String description) {
    this.description = description;
  }
}
