package io.branchflow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Which branch of which repository, at which commit, to run. */
public class WorkflowEnvironmentSpec {

  @Required
  @Pattern(Patterns.DNS_SUBDOMAIN)
  @JsonPropertyDescription(
      "Name of the WorkflowRepository (in the same namespace) this branch belongs to.")
  private String repositoryRef;

  @Required
  @Size(min = 1, max = 255)
  @ValidationRule(value = Patterns.BRANCH_RULE, message = Patterns.BRANCH_MESSAGE)
  @JsonPropertyDescription("Branch name without refs/heads/, e.g. feature/hardy.")
  private String branch;

  @Pattern(Patterns.COMMIT_SHA)
  @JsonPropertyDescription("Last pushed commit of the branch (lower-case hex).")
  private String commitSha;

  @Pattern(Patterns.GITHUB_LOGIN)
  @JsonPropertyDescription("GitHub login of who pushed last.")
  private String pusher;

  @JsonPropertyDescription(
      "Per-branch changes, only those the repository's allowedOverrides permits.")
  private EnvironmentOverrides overrides;

  @Default("false")
  @JsonPropertyDescription(
      "Scale the Airflow components to zero, keeping the database and secrets.")
  private Boolean suspend;

  public String getRepositoryRef() {
    return repositoryRef;
  }

  public void setRepositoryRef(String repositoryRef) {
    this.repositoryRef = repositoryRef;
  }

  public String getBranch() {
    return branch;
  }

  public void setBranch(String branch) {
    this.branch = branch;
  }

  public String getCommitSha() {
    return commitSha;
  }

  public void setCommitSha(String commitSha) {
    this.commitSha = commitSha;
  }

  public String getPusher() {
    return pusher;
  }

  public void setPusher(String pusher) {
    this.pusher = pusher;
  }

  public EnvironmentOverrides getOverrides() {
    return overrides;
  }

  public void setOverrides(EnvironmentOverrides overrides) {
    this.overrides = overrides;
  }

  public Boolean getSuspend() {
    return suspend;
  }

  public void setSuspend(Boolean suspend) {
    this.suspend = suspend;
  }
}
