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
 * @param happenedAt when it happened on GitHub: the order in which branch changes are applied; for
 *     a pull request, what tells one opening from the next
 * @param pullRequest the pull request's number ({@link Kind#PULL_REQUEST_OPENED}); null otherwise
 * @param ignoredBecause why Branchflow does not act on it ({@link Kind#IGNORED}), for the answer
 *     and the log; null: a tag, or an event Branchflow does not subscribe to
 */
public record Delivery(
    String event,
    String repository,
    Kind kind,
    String branch,
    String sha,
    String pusher,
    Instant happenedAt,
    Integer pullRequest,
    String ignoredBecause) {

  public enum Kind {
    PING,
    BRANCH_PUSHED,
    BRANCH_DELETED,
    /**
     * A pull request whose head is a branch of the repository itself was opened or reopened: its
     * environment's comment should appear on it now, not at the environment's next change.
     */
    PULL_REQUEST_OPENED,
    /** A tag, or an event Branchflow does not act on. */
    IGNORED
  }

  /**
   * What the receiver notes on the branch's environment for {@link Kind#PULL_REQUEST_OPENED}: the
   * number and GitHub's time of the change, so a redelivery of the same body notes nothing new.
   */
  String pullRequestNote() {
    return "#" + pullRequest + " " + happenedAt;
  }
}
