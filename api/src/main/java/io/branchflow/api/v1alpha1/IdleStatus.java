package io.branchflow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The repository's {@code limits.idleAfter} applied to one environment: since when nothing used its
 * Airflow, and whether the operator suspended it for that. The operator wakes only an environment
 * it suspended itself; one a person suspended stays suspended.
 */
public class IdleStatus {

  @JsonPropertyDescription(
      "When the environment was last in use (RFC 3339): the latest of the last push, becoming"
          + " Ready and the newest entry of its Airflow's event log. Empty while DAG runs are queued"
          + " or running.")
  private String since;

  @JsonPropertyDescription(
      "When the operator suspended the environment for being idle (RFC 3339); empty while it"
          + " runs, or when a person suspended it.")
  private String suspendedAt;

  @JsonPropertyDescription(
      "The commit the operator suspended it at: a push of another commit wakes it.")
  private String commitSha;

  public String getSince() {
    return since;
  }

  public void setSince(String since) {
    this.since = since;
  }

  public String getSuspendedAt() {
    return suspendedAt;
  }

  public void setSuspendedAt(String suspendedAt) {
    this.suspendedAt = suspendedAt;
  }

  public String getCommitSha() {
    return commitSha;
  }

  public void setCommitSha(String commitSha) {
    this.commitSha = commitSha;
  }
}
