package io.branchflow.operator.announce.slack;

import io.branchflow.api.v1alpha1.SlackMessage;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentStatus;
import io.branchflow.operator.announce.EnvironmentRef;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * What the Slack reporter remembers per environment: its message ({@link PostedMessage}) and why
 * delivering keeps failing. Both are recorded in {@code status.slack} (field manager {@code
 * branchflow-slack}), so a restarted operator updates the message instead of posting anew and
 * repeats no reply.
 */
final class PostedMessages {

  private final BiConsumer<EnvironmentRef, WorkflowEnvironmentStatus> recorder;
  private final Map<EnvironmentRef, PostedMessage> posted = new ConcurrentHashMap<>();
  private final Map<EnvironmentRef, String> problems = new ConcurrentHashMap<>();

  PostedMessages(BiConsumer<EnvironmentRef, WorkflowEnvironmentStatus> recorder) {
    this.recorder = recorder;
  }

  /** Learns the message status.slack names, the first time the environment is seen. */
  void recall(EnvironmentRef env, SlackMessage before) {
    if (before != null && before.getTs() != null && before.getChannel() != null) {
      posted.computeIfAbsent(env, e -> PostedMessage.recorded(before));
    }
  }

  /** The environment's message; null before it is posted. */
  PostedMessage get(EnvironmentRef env) {
    return posted.get(env);
  }

  void posted(EnvironmentRef env, PostedMessage message) {
    posted.put(env, message);
    record(env, message);
  }

  /** Someone deleted the message: the next delivery posts a new one. */
  void deleted(EnvironmentRef env) {
    posted.remove(env);
  }

  /** Everything this reporter owns in the status, each time (a field left out would be removed). */
  void record(EnvironmentRef env, PostedMessage posted) {
    SlackMessage message = new SlackMessage();
    if (posted != null) {
      posted.writeTo(message);
    }
    message.setMessage(problems.get(env));
    WorkflowEnvironmentStatus status = new WorkflowEnvironmentStatus();
    status.setSlack(message);
    recorder.accept(env, status);
  }

  /** Records (or clears, with null) why delivering keeps failing. */
  void problem(EnvironmentRef env, String reason) {
    if (reason == null) {
      problems.remove(env);
    } else {
      problems.put(env, reason);
    }
    record(env, posted.get(env));
  }

  void forget(EnvironmentRef env) {
    posted.remove(env);
    problems.remove(env);
  }
}
