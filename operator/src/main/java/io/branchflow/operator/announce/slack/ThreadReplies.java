package io.branchflow.operator.announce.slack;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import io.branchflow.operator.announce.EnvironmentRef;
import io.branchflow.operator.announce.Outcome;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The threaded replies under an environment's message, each posted once: its removal, limits.ttl's
 * warning, DAG import errors and their fix ({@link DagImportsReply}), failed tasks ({@link
 * TaskFailuresReply}). What the thread shows is remembered in the {@link PostedMessage} and, but
 * for the removal (the last step), recorded, so a restart repeats no reply. A reply Slack does not
 * take ends the delivery ({@link SlackFailures.NotOk}) and is tried again with it.
 */
final class ThreadReplies {

  private static final Logger LOG = Logger.getLogger(ThreadReplies.class);

  private final PostedMessages memory;
  private final Clock clock;

  ThreadReplies(PostedMessages memory, Clock clock) {
    this.memory = memory;
    this.clock = clock;
  }

  /** "Removed", once. */
  void removed(MethodsClient methods, PostedMessage message, SlackTarget t)
      throws IOException, SlackApiException, SlackFailures.NotOk {
    if (!message.replied) {
      reply(methods, message, SlackMessageRenderer.removedReply(t), t);
      message.replied = true;
    }
  }

  /** When the environment will be removed for want of a push (limits.ttl), once per push. */
  void expiryWarning(
      MethodsClient methods, EnvironmentRef env, PostedMessage message, SlackTarget t)
      throws IOException, SlackApiException, SlackFailures.NotOk {
    if (t.expiry() == null || t.expiry().removeAt().equals(message.warnedFor)) {
      return;
    }
    // Once per push: the removal time it announced is recorded, so a restart does not repeat
    // it, while a push (a new removal time) gets its own warning when that is due.
    reply(methods, message, SlackMessageRenderer.expiryWarning(t), t);
    message.warnedFor = t.expiry().removeAt();
    memory.record(env, message);
  }

  /**
   * A threaded reply when the loaded commit's import errors appear or change, and one when they are
   * gone; recorded (status.slack.dagErrors) so a restart repeats none.
   */
  void dagImports(MethodsClient methods, EnvironmentRef env, PostedMessage message, SlackTarget t)
      throws IOException, SlackApiException, SlackFailures.NotOk {
    Optional<String> text = DagImportsReply.text(t, message.dagErrors);
    if (text.isEmpty()) {
      return;
    }
    LOG.debugf("Slack: import errors reply for %s", env);
    reply(methods, message, text.get(), t);
    message.dagErrors = DagImportsReply.fingerprint(t.dags());
    memory.record(env, message);
  }

  /**
   * A threaded reply for the task instances that failed since the last one, at most one per {@link
   * TaskFailuresReply#MIN_INTERVAL}: failures arriving sooner wait and are grouped into the next
   * ({@link Outcome.Later}). What it showed is recorded (status.slack.taskFailuresUntil), so a
   * restart repeats none.
   */
  Outcome taskFailures(
      MethodsClient methods, EnvironmentRef env, PostedMessage message, SlackTarget t)
      throws IOException, SlackApiException, SlackFailures.NotOk {
    Optional<TaskFailuresReply.Reply> reply = TaskFailuresReply.next(t, message.failures);
    if (reply.isEmpty()) {
      return Outcome.DONE;
    }
    Instant now = clock.instant();
    if (message.failuresRepliedAt != null) {
      Duration since = Duration.between(message.failuresRepliedAt, now);
      if (since.compareTo(TaskFailuresReply.MIN_INTERVAL) < 0) {
        return new Outcome.Later(TaskFailuresReply.MIN_INTERVAL.minus(since));
      }
    }
    LOG.debugf("Slack: task failures reply for %s", env);
    reply(methods, message, reply.get().text(), t);
    message.failures = reply.get().shown();
    message.failuresRepliedAt = now;
    memory.record(env, message);
    return Outcome.DONE;
  }

  /** Posts {@code text} as a reply in the thread of the environment's message. */
  private static void reply(
      MethodsClient methods, PostedMessage message, String text, SlackTarget t)
      throws IOException, SlackApiException, SlackFailures.NotOk {
    var reply =
        methods.chatPostMessage(r -> r.channel(message.channel).threadTs(message.ts).text(text));
    SlackFailures.check(reply, t);
  }
}
