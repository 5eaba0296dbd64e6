package io.branchflow.operator.announce.slack;

import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import io.branchflow.operator.announce.Outcome;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;

/**
 * What Slack's answers mean for the reporter: passing (5xx, timeouts, an unknown error: retry with
 * back-off), rate limited (retry when Slack says), or refused (the user must fix the token, the
 * channel, the scopes or the app's membership: tell them; do not hammer). Reasons name what to
 * check; they never carry the token.
 */
final class SlackFailures {

  /** Slack errors a retry does not fix: the user must (token, channel, scopes, app membership). */
  static final Set<String> REFUSALS =
      Set.of(
          "invalid_auth",
          "not_authed",
          "account_inactive",
          "token_revoked",
          "token_expired",
          "no_permission",
          "missing_scope",
          "channel_not_found",
          "not_in_channel",
          "is_archived",
          "restricted_action",
          "org_login_required",
          "ekm_access_denied",
          "team_access_not_granted",
          "invalid_blocks",
          "invalid_attachments",
          "msg_too_long");

  /**
   * Slack answered {@code ok: false} (or the message is gone): the delivery ends here with {@link
   * #outcome}, skipping its later steps. No stack trace: this is an answer, not a bug.
   */
  static final class NotOk extends Exception {
    private final transient Outcome outcome;

    NotOk(Outcome outcome) {
      super(null, null, false, false);
      this.outcome = outcome;
    }

    Outcome outcome() {
      return outcome;
    }
  }

  private SlackFailures() {}

  /** Returns when Slack said ok; otherwise throws what its error means for the reporter. */
  static void check(SlackApiTextResponse response, SlackTarget t) throws NotOk {
    if (!response.isOk()) {
      throw new NotOk(outcome(response.getError(), t));
    }
  }

  static Outcome outcome(String error, SlackTarget t) {
    if (REFUSALS.contains(error)) {
      String hint =
          switch (error) {
            case "channel_not_found", "not_in_channel", "is_archived" ->
                "; check spec.slack.channel ("
                    + t.channel()
                    + ") and invite the app to the channel";
            case "missing_scope", "no_permission" -> "; the bot token needs chat:write";
            default ->
                "; check the bot token in Secret " + t.secretsNamespace() + "/" + t.tokenSecret();
          };
      return new Outcome.Rejected("Slack refused: " + error + hint);
    }
    if ("ratelimited".equals(error)) {
      return new Outcome.Retry(Duration.ofSeconds(30), "Slack rate limit");
    }
    return new Outcome.Retry("Slack answered " + error);
  }

  /** An HTTP error the Slack client threw. */
  static Outcome of(SlackApiException e) {
    int code = e.getResponse() == null ? -1 : e.getResponse().code();
    if (code == 429) {
      String retryAfter = e.getResponse().header("Retry-After");
      return new Outcome.Retry(retryAfter(retryAfter), "Slack rate limit (429)");
    }
    if (code >= 500 || code < 0) {
      return new Outcome.Retry("Slack answered " + code);
    }
    return new Outcome.Rejected("Slack refused the request (" + code + ")");
  }

  /** No answer at all (timeout, connection refused, DNS). */
  static Outcome unreachable(IOException e) {
    return new Outcome.Retry("Slack unreachable: " + e.getClass().getSimpleName());
  }

  static Duration retryAfter(String header) {
    try {
      long seconds = header == null ? 30 : Long.parseLong(header.strip());
      return Duration.ofSeconds(Math.max(1, Math.min(seconds, 3600)));
    } catch (NumberFormatException e) {
      return Duration.ofSeconds(30);
    }
  }
}
