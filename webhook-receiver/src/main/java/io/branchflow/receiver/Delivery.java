package io.branchflow.receiver;

import java.time.Instant;

/**
 * What one GitHub delivery asks for, checked for shape.
 *
 * @param event {@code X-GitHub-Event}
 * @param repository {@code owner/name} as GitHub spells it
 * @param kind what happened to which ref
 * @param branch the branch (without refs/heads/), null when the ref is no branch
 * @param sha the branch's new head commit, null when the event carries none
 * @param pusher GitHub login of who pushed, null when unknown
 * @param happenedAt when it happened on GitHub, the order in which changes are applied
 */
public record Delivery(
    String event,
    String repository,
    Kind kind,
    String branch,
    String sha,
    String pusher,
    Instant happenedAt) {

  public enum Kind {
    PING,
    BRANCH_PUSHED,
    BRANCH_DELETED,
    /** A tag, or an event Branchflow does not act on. */
    IGNORED
  }
}
