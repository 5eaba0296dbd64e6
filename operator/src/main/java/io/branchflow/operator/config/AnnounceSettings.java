package io.branchflow.operator.config;

import java.time.Duration;

/**
 * How environments are announced outside the cluster (GitHub deployments, Slack), from {@code
 * branchflow.github.*}, {@code branchflow.slack.*} and {@code branchflow.announce.*}.
 *
 * @param githubApiUrl base URL of GitHub's REST API ({@code https://api.github.com}, or a GitHub
 *     Enterprise Server's {@code https://host/api/v3})
 * @param slackApiUrl base URL of Slack's Web API methods, ending in {@code /api/}
 * @param requestTimeout longest wait for one HTTP request (connect and response)
 * @param retryMin first pause after a failed report; doubled per failure
 * @param retryMax longest pause between retries of a failing report
 * @param rejectedRetry pause before a report the service rejected for good (bad token, missing
 *     channel or repository) is tried again if nothing changed meanwhile
 */
public record AnnounceSettings(
    String githubApiUrl,
    String slackApiUrl,
    Duration requestTimeout,
    Duration retryMin,
    Duration retryMax,
    Duration rejectedRetry) {

  public static final String GITHUB_FIELD_MANAGER = "branchflow-github";
  public static final String SLACK_FIELD_MANAGER = "branchflow-slack";

  public static AnnounceSettings defaults() {
    return new AnnounceSettings(
        "https://api.github.com",
        "https://slack.com/api/",
        Duration.ofSeconds(10),
        Duration.ofSeconds(1),
        Duration.ofMinutes(5),
        Duration.ofMinutes(30));
  }

  public AnnounceSettings withGithubApiUrl(String url) {
    return new AnnounceSettings(
        url, slackApiUrl, requestTimeout, retryMin, retryMax, rejectedRetry);
  }

  public AnnounceSettings withSlackApiUrl(String url) {
    return new AnnounceSettings(
        githubApiUrl, url, requestTimeout, retryMin, retryMax, rejectedRetry);
  }

  public AnnounceSettings withRetry(Duration min, Duration max, Duration rejected) {
    return new AnnounceSettings(githubApiUrl, slackApiUrl, requestTimeout, min, max, rejected);
  }
}
