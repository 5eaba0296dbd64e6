package io.branchflow.operator.announce.slack;

import io.branchflow.api.v1alpha1.SlackMessage;
import java.time.Instant;

/**
 * Where an environment's message is, which import errors, task failures and expiry warning its
 * thread shows, how far its teardown got. Changed only by the reporter's thread delivering for the
 * environment (one delivery at a time).
 */
final class PostedMessage {
  final String channel;
  final String ts;
  String dagErrors;
  boolean removedShown;
  boolean replied;
  String warnedFor;
  TaskFailuresReply.Shown failures = TaskFailuresReply.Shown.NONE;

  /** When the last task failures reply went out; in memory: a restart may reply sooner once. */
  Instant failuresRepliedAt;

  PostedMessage(String channel, String ts) {
    this.channel = channel;
    this.ts = ts;
  }

  /** The message a previous run recorded in status.slack, with what its thread shows. */
  static PostedMessage recorded(SlackMessage before) {
    PostedMessage known = new PostedMessage(before.getChannel(), before.getTs());
    known.warnedFor = before.getExpiryWarning();
    known.dagErrors = before.getDagErrors();
    known.failures =
        new TaskFailuresReply.Shown(before.getTaskFailuresUntil(), before.getTaskFailuresCount());
    return known;
  }

  /** Writes what a restart must know into status.slack. */
  void writeTo(SlackMessage message) {
    message.setChannel(channel);
    message.setTs(ts);
    message.setExpiryWarning(warnedFor);
    message.setDagErrors(dagErrors);
    message.setTaskFailuresUntil(failures.until());
    message.setTaskFailuresCount(failures.count());
  }
}
