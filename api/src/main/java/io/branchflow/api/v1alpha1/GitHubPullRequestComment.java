package io.branchflow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The comment Branchflow keeps on one pull request of the environment's branch. */
public class GitHubPullRequestComment {

  @JsonPropertyDescription("Number of the pull request.")
  private Integer number;

  @JsonPropertyDescription("ID of the comment, edited in place as the environment changes.")
  private Long commentId;

  public Integer getNumber() {
    return number;
  }

  public void setNumber(Integer number) {
    this.number = number;
  }

  public Long getCommentId() {
    return commentId;
  }

  public void setCommentId(Long commentId) {
    this.commentId = commentId;
  }
}
