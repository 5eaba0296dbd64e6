package io.branchflow.operator.announce;

import io.branchflow.api.v1alpha1.DagImports;
import io.branchflow.api.v1alpha1.TaskFailures;

/** An announcement with one field changed, for the reporters' tests (records have no withers). */
public final class AnnouncementCopies {

  private AnnouncementCopies() {}

  /** {@code a} with {@code dags} as the pass's import results. */
  public static Announcement withDags(Announcement a, DagImports dags) {
    return copy(a, a.branch(), dags, a.taskFailures(), a.pullRequestComments());
  }

  /**
   * {@code a} removed by limits.ttl {@code ttl}, as the Cleaner announces it: the reason as its
   * message, the expiry that explains it.
   */
  public static Announcement expired(Announcement a, String ttl, String removeAt) {
    return copy(
        a,
        a.branch(),
        "expired after " + ttl + " without a push",
        true,
        new Announcement.Expiry(ttl, removeAt),
        a.dags(),
        a.taskFailures(),
        a.pullRequestComments());
  }

  /** {@code a} for another branch. */
  public static Announcement withBranch(Announcement a, String branch) {
    return copy(a, branch, a.dags(), a.taskFailures(), a.pullRequestComments());
  }

  /** {@code a} with {@code failures} as the pass's task failures. */
  public static Announcement withTaskFailures(Announcement a, TaskFailures failures) {
    return copy(a, a.branch(), a.dags(), failures, a.pullRequestComments());
  }

  /** {@code a} of a repository that turned pull request comments off. */
  public static Announcement withoutPullRequestComments(Announcement a) {
    return copy(a, a.branch(), a.dags(), a.taskFailures(), false);
  }

  private static Announcement copy(
      Announcement a,
      String branch,
      DagImports dags,
      TaskFailures failures,
      boolean pullRequestComments) {
    return copy(
        a, branch, a.message(), a.removed(), a.expiry(), dags, failures, pullRequestComments);
  }

  private static Announcement copy(
      Announcement a,
      String branch,
      String message,
      boolean removed,
      Announcement.Expiry expiry,
      DagImports dags,
      TaskFailures failures,
      boolean pullRequestComments) {
    return new Announcement(
        a.environment(),
        a.repository(),
        a.secretsNamespace(),
        branch,
        a.sha(),
        a.pusher(),
        a.phase(),
        message,
        a.url(),
        a.login(),
        a.startedAt(),
        a.readyAt(),
        a.githubTokenRef(),
        a.slack(),
        a.recordedGithub(),
        a.recordedSlack(),
        removed,
        expiry,
        dags,
        failures,
        pullRequestComments);
  }
}
