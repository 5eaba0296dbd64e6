package io.branchflow.operator.announce.slack;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import io.branchflow.operator.announce.EnvironmentRef;
import io.branchflow.operator.announce.Outcome;
import java.io.IOException;
import org.jboss.logging.Logger;

/**
 * The environment's one message: posted when it is first announced, then updated in place on each
 * change, the last time when it is removed ({@link SlackMessageRenderer} says how it looks).
 */
final class EnvironmentMessage {

  private static final Logger LOG = Logger.getLogger(EnvironmentMessage.class);

  private final PostedMessages memory;

  EnvironmentMessage(PostedMessages memory) {
    this.memory = memory;
  }

  /**
   * Makes the message show {@code t}: posts it (and records where) the first time, otherwise
   * updates it unless its removal is already shown. Returns it; null when the environment was
   * removed before it was ever posted (nothing to say).
   */
  PostedMessage show(MethodsClient methods, EnvironmentRef env, SlackTarget t)
      throws IOException, SlackApiException, SlackFailures.NotOk {
    PostedMessage known = memory.get(env);
    if (known == null) {
      return t.removed() ? null : post(methods, env, t);
    }
    if (!t.removed() || !known.removedShown) {
      update(methods, env, known, t);
    }
    return known;
  }

  private PostedMessage post(MethodsClient methods, EnvironmentRef env, SlackTarget t)
      throws IOException, SlackApiException, SlackFailures.NotOk {
    LOG.debugf("Slack: posting for %s (%s)", env, t.phase());
    SlackMessageRenderer.Rendered rendered = SlackMessageRenderer.render(t);
    ChatPostMessageResponse response =
        methods.chatPostMessage(
            r -> r.channel(t.channel()).text(rendered.text()).attachments(rendered.attachments()));
    SlackFailures.check(response, t);
    PostedMessage message = new PostedMessage(response.getChannel(), response.getTs());
    memory.posted(env, message);
    return message;
  }

  private void update(MethodsClient methods, EnvironmentRef env, PostedMessage known, SlackTarget t)
      throws IOException, SlackApiException, SlackFailures.NotOk {
    LOG.debugf("Slack: updating %s for %s (%s)", known.ts, env, t.phase());
    SlackMessageRenderer.Rendered rendered = SlackMessageRenderer.render(t);
    var response =
        methods.chatUpdate(
            r ->
                r.channel(known.channel)
                    .ts(known.ts)
                    .text(rendered.text())
                    .attachments(rendered.attachments()));
    if ("message_not_found".equals(response.getError()) && !t.removed()) {
      // Someone deleted it: post a new one on the next attempt.
      memory.deleted(env);
      throw new SlackFailures.NotOk(
          new Outcome.Retry("the Slack message was deleted; posting a new one"));
    }
    SlackFailures.check(response, t);
    known.removedShown = t.removed();
  }
}
