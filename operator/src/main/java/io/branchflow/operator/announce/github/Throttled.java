package io.branchflow.operator.announce.github;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.kohsuke.github.GitHubAbuseLimitHandler;
import org.kohsuke.github.GitHubRateLimitHandler;
import org.kohsuke.github.connector.GitHubConnectorResponse;

/**
 * GitHub said "not now" (primary rate limit: 403/429 with {@code x-ratelimit-remaining: 0}; or a
 * secondary limit with {@code retry-after}). hub4j's default handlers sleep the calling thread
 * until the limit resets, up to an hour; ours throw this instead, so the reporter schedules the
 * retry and its threads keep serving other environments.
 */
final class Throttled extends IOException {

  private static final Duration UNKNOWN = Duration.ofMinutes(1);
  private static final Duration LONGEST = Duration.ofHours(1);

  private final transient Duration wait;

  Throttled(String message, Duration wait) {
    super(message);
    this.wait = wait;
  }

  Duration waitFor() {
    return wait;
  }

  static final GitHubRateLimitHandler RATE_LIMIT =
      new GitHubRateLimitHandler() {
        @Override
        public void onError(GitHubConnectorResponse response) throws IOException {
          throw new Throttled("GitHub API rate limit exhausted", waitTime(response));
        }
      };

  static final GitHubAbuseLimitHandler SECONDARY_LIMIT =
      new GitHubAbuseLimitHandler() {
        @Override
        public void onError(GitHubConnectorResponse response) throws IOException {
          throw new Throttled("GitHub secondary rate limit", waitTime(response));
        }
      };

  /** {@code retry-after} seconds if given, else until {@code x-ratelimit-reset}, else a minute. */
  static Duration waitTime(GitHubConnectorResponse response) {
    return waitTime(
        response.header("Retry-After"), response.header("X-RateLimit-Reset"), Instant.now());
  }

  static Duration waitTime(String retryAfter, String reset, Instant now) {
    Duration wait = UNKNOWN;
    try {
      if (retryAfter != null) {
        wait = Duration.ofSeconds(Long.parseLong(retryAfter.strip()));
      } else if (reset != null) {
        wait = Duration.between(now, Instant.ofEpochSecond(Long.parseLong(reset.strip())));
      }
    } catch (NumberFormatException e) {
      wait = UNKNOWN;
    }
    if (wait.compareTo(Duration.ofSeconds(1)) < 0) {
      return Duration.ofSeconds(1);
    }
    return wait.compareTo(LONGEST) > 0 ? LONGEST : wait;
  }
}
