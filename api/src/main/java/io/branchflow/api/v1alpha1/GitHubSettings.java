package io.branchflow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

/** What the operator shows on GitHub besides the deployments, with githubTokenRef. */
public class GitHubSettings {

  @Default("true")
  @JsonPropertyDescription(
      "Whether each open pull request of an environment's branch gets one comment, edited in place as the environment's phase, URL and DAG import results change (needs Pull requests: write). false: no pull request is looked up.")
  private Boolean pullRequestComments;

  public Boolean getPullRequestComments() {
    return pullRequestComments;
  }

  public void setPullRequestComments(Boolean pullRequestComments) {
    this.pullRequestComments = pullRequestComments;
  }
}
