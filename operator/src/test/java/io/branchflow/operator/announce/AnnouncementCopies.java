package io.branchflow.operator.announce;

import io.branchflow.api.v1alpha1.DagImports;
import io.branchflow.api.v1alpha1.TaskFailures;

/** An announcement with one field changed, for the reporters' tests (records have no withers). */
public final class AnnouncementCopies {

  private AnnouncementCopies() {}

  /** {@code a} with {@code dags} as the pass's import results. */
  public static Announcement withDags(Announcement a, DagImports dags) {
    Copy c = new Copy(a);
    c.dags = dags;
    return c.build();
  }

  /** {@code a} for another branch. */
  public static Announcement withBranch(Announcement a, String branch) {
    Copy c = new Copy(a);
    c.branch = branch;
    return c.build();
  }

  /** {@code a} with {@code failures} as the pass's task failures. */
  public static Announcement withTaskFailures(Announcement a, TaskFailures failures) {
    Copy c = new Copy(a);
    c.failures = failures;
    return c.build();
  }

  /** {@code a} of a repository that turned pull request comments off. */
  public static Announcement withoutPullRequestComments(Announcement a) {
    Copy c = new Copy(a);
    c.pullRequestComments = false;
    return c.build();
  }

  /** {@code a} after the webhook receiver noted a pull request opened: {@code note}. */
  public static Announcement withPullRequestsChanged(Announcement a, String note) {
    Copy c = new Copy(a);
    c.pullRequestsChanged = note;
    return c.build();
  }

  /**
   * {@code a} removed by limits.ttl {@code ttl}, as the Cleaner announces it: the reason as its
   * message, the expiry that explains it.
   */
  public static Announcement expired(Announcement a, String ttl, String removeAt) {
    Copy c = new Copy(a);
    c.message = "expired after " + ttl + " without a push";
    c.removed = true;
    c.expiry = new Announcement.Expiry(ttl, removeAt);
    c.pullRequestsChanged = null;
    return c.build();
  }

  /** The fields the copies change; the rest is {@code a}'s. */
  private static final class Copy {
    private final Announcement a;
    String branch;
    String message;
    boolean removed;
    Announcement.Expiry expiry;
    DagImports dags;
    TaskFailures failures;
    boolean pullRequestComments;
    String pullRequestsChanged;

    Copy(Announcement a) {
      this.a = a;
      branch = a.branch();
      message = a.message();
      removed = a.removed();
      expiry = a.expiry();
      dags = a.dags();
      failures = a.taskFailures();
      pullRequestComments = a.pullRequestComments();
      pullRequestsChanged = a.pullRequestsChanged();
    }

    Announcement build() {
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
          pullRequestComments,
          pullRequestsChanged);
    }
  }
}
