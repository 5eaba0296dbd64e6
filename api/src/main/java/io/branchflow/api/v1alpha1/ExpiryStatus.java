package io.branchflow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The repository's {@code limits.ttl} applied to one environment: which push its clock counts from,
 * and what was done about it. Kept in the status, so a restarted operator neither resets the clock
 * nor warns twice.
 */
public class ExpiryStatus {

  @JsonPropertyDescription(
      "The commit the clock counts from: spec.commitSha when the operator last saw it change.")
  private String commitSha;

  @JsonPropertyDescription(
      "When the operator first saw that commit (RFC 3339): the last push, as far as limits.ttl is"
          + " concerned. Edits other than a new commit leave it alone.")
  private String pushedAt;

  @JsonPropertyDescription(
      "When the environment is removed unless its branch is pushed again (RFC 3339); empty when"
          + " the repository sets no limits.ttl.")
  private String expiresAt;

  @JsonPropertyDescription(
      "When the warning about this push's expiry went out (Event, Slack reply); empty until then.")
  private String warnedAt;

  public String getCommitSha() {
    return commitSha;
  }

  public void setCommitSha(String commitSha) {
    this.commitSha = commitSha;
  }

  public String getPushedAt() {
    return pushedAt;
  }

  public void setPushedAt(String pushedAt) {
    this.pushedAt = pushedAt;
  }

  public String getExpiresAt() {
    return expiresAt;
  }

  public void setExpiresAt(String expiresAt) {
    this.expiresAt = expiresAt;
  }

  public String getWarnedAt() {
    return warnedAt;
  }

  public void setWarnedAt(String warnedAt) {
    this.warnedAt = warnedAt;
  }
}
