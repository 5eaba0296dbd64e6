package io.branchflow.operator.announce.github;

import io.branchflow.operator.announce.Outcome;
import java.io.FileNotFoundException;
import java.io.IOException;
import org.kohsuke.github.HttpException;

/**
 * What a failed GitHub call means for the reporter: passing (retry with back-off), throttled (retry
 * when GitHub says), or refused (tell the user; do not hammer). Reasons are short and name what to
 * fix; they never carry the token or GitHub's response body.
 */
final class GitHubFailures {

  private GitHubFailures() {}

  static Outcome classify(IOException e, GitHubChannel.Target t) {
    return classify(e, t, "write access to deployments");
  }

  /**
   * @param needs what a 403 means the token lacks, e.g. {@code write access to pull requests}
   */
  static Outcome classify(IOException e, GitHubChannel.Target t, String needs) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof Throttled throttled) {
        return new Outcome.Retry(throttled.waitFor(), throttled.getMessage());
      }
    }
    int code = e instanceof HttpException http ? http.getResponseCode() : -1;
    if (code == -1 && e instanceof FileNotFoundException) {
      code = 404;
    }
    String token = "the token in " + t.secretsNamespace() + "/" + t.tokenSecret();
    return switch (code) {
      case 401 -> new Outcome.Rejected("GitHub rejected " + token + " (401 Bad credentials)");
      case 403 ->
          new Outcome.Rejected(
              "GitHub refused (403): " + token + " needs " + needs + " of " + t.repository());
      case 404 ->
          new Outcome.Rejected(
              "GitHub answered 404: repository "
                  + t.repository()
                  + " does not exist or "
                  + token
                  + " cannot see it");
      case 422 ->
          new Outcome.Rejected(
              "GitHub refused the deployment of "
                  + t.sha()
                  + " (422): is the commit pushed to "
                  + t.repository()
                  + "?");
      case 429 -> new Outcome.Retry("GitHub answered 429 Too Many Requests");
      default ->
          code >= 500
              ? new Outcome.Retry("GitHub answered " + code)
              : new Outcome.Retry(
                  "GitHub unreachable: "
                      + e.getClass().getSimpleName()
                      + (code > 0 ? " " + code : ""));
    };
  }
}
