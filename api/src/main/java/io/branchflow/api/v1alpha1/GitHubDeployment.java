package io.branchflow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The GitHub deployment that shows the environment on the branch and pull request. */
public class GitHubDeployment {

  @JsonPropertyDescription("ID of the GitHub deployment.")
  private Long deploymentId;

  @JsonPropertyDescription(
      "Last deployment status sent: in_progress, success, failure or inactive.")
  private String state;

  @JsonPropertyDescription("Commit SHA the deployment is for; a new commit gets a new deployment.")
  private String sha;

  @JsonPropertyDescription(
      "Why the last report to GitHub did not go through (e.g. a rejected token); empty when it did.")
  private String message;

  @JsonPropertyDescription(
      "The commit status with context branchflow/dags: whether the loaded commit's DAG files import.")
  private GitHubCommitStatus dags;

  @JsonPropertyDescription(
      "The comment kept on each pull request of the branch (spec.github.pullRequestComments of the repository).")
  private List<GitHubPullRequestComment> pullRequests;

  @JsonPropertyDescription(
      "Fingerprint of the comment text every open pull request of the branch showed at the last look; the pull requests are looked up again only when the text changes or the webhook receiver notes a pull request opened or reopened.")
  private String comment;

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

  public String getSha() {
    return sha;
  }

  public void setSha(String sha) {
    this.sha = sha;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public GitHubCommitStatus getDags() {
    return dags;
  }

  public void setDags(GitHubCommitStatus dags) {
    this.dags = dags;
  }

  public List<GitHubPullRequestComment> getPullRequests() {
    return pullRequests;
  }

  public void setPullRequests(List<GitHubPullRequestComment> pullRequests) {
    this.pullRequests = pullRequests;
  }

  public String getComment() {
    return comment;
  }

  public void setComment(String comment) {
    this.comment = comment;
  }
}
