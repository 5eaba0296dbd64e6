package io.branchflow.operator.announce.github;

import io.branchflow.api.v1alpha1.GitHubPullRequestComment;
import io.branchflow.operator.announce.EnvironmentRef;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kohsuke.github.GHException;
import org.kohsuke.github.GHIssue;
import org.kohsuke.github.GHIssueComment;
import org.kohsuke.github.GHIssueState;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.PagedIterable;

/**
 * Keeps one {@link PullRequestComment} on each pull request of an environment's branch: found by
 * the ID recorded in status.github.pullRequests (or by its marker, if the operator died before
 * recording it), edited only when its text differs, created when there is none (also when a user
 * deleted it). Pull requests from forks are not the branch's and get none.
 */
final class PullRequestComments {

  /**
   * Pull requests that are no longer open stay recorded, so the removal (usually after a merge)
   * still edits their comment; at most this many, the newest, so the status stays small.
   */
  static final int KEPT = 10;

  private PullRequestComments() {}

  /**
   * Brings every open pull request whose head is {@code branch} to {@code comment}; returns the
   * comments to record.
   */
  static List<GitHubPullRequestComment> show(
      GHRepository repo,
      EnvironmentRef env,
      String branch,
      PullRequestComment comment,
      List<GitHubPullRequestComment> recorded)
      throws IOException {
    Map<Integer, Long> ids = byNumber(recorded);
    Map<Integer, Long> shown = new LinkedHashMap<>();
    for (GHPullRequest pr :
        all(
            repo.queryPullRequests()
                .head(repo.getOwnerName() + ":" + branch)
                .state(GHIssueState.OPEN)
                .list())) {
      shown.put(pr.getNumber(), bring(pr, env, comment, ids.remove(pr.getNumber()), true));
    }
    shown.putAll(ids);
    return shown.entrySet().stream()
        .sorted(Map.Entry.<Integer, Long>comparingByKey().reversed())
        .limit(KEPT)
        .map(e -> entry(e.getKey(), e.getValue()))
        .toList();
  }

  /**
   * The environment is gone: edits the recorded comments to say so, open or not. None is created (a
   * pull request that never had one is not told about a removal) and none recreated.
   */
  static void showRemoved(
      GHRepository repo,
      EnvironmentRef env,
      PullRequestComment comment,
      List<GitHubPullRequestComment> recorded)
      throws IOException {
    for (Map.Entry<Integer, Long> e : byNumber(recorded).entrySet()) {
      GHIssue issue;
      try {
        issue = repo.getIssue(e.getKey());
      } catch (FileNotFoundException gone) {
        continue; // deleted pull request (spam): nothing to edit
      }
      bring(issue, env, comment, e.getValue(), false);
    }
  }

  /** The comment's ID after {@code issue} shows {@code comment}; null when none was made. */
  private static Long bring(
      GHIssue issue,
      EnvironmentRef env,
      PullRequestComment comment,
      Long recordedId,
      boolean create)
      throws IOException {
    GHIssueComment found = null;
    for (GHIssueComment c : all(issue.listComments())) {
      if (recordedId != null && c.getId() == recordedId) {
        found = c;
        break;
      }
      if (found == null && PullRequestComment.ours(c.getBody(), env)) {
        found = c; // made by an earlier life that died before recording it
      }
    }
    if (found != null) {
      if (comment.body().equals(found.getBody())) {
        return found.getId();
      }
      try {
        found.update(comment.body());
        return found.getId();
      } catch (FileNotFoundException deleted) {
        // deleted between the listing and the edit (hub4j: 404): made again below
      }
    }
    return create ? issue.comment(comment.body()).getId() : recordedId;
  }

  /**
   * Every page of a listing; hub4j fetches pages lazily and wraps their errors in an unchecked
   * GHException, unwrapped here so a 403 or a rate limit is classified like any other call's.
   */
  private static <T> List<T> all(PagedIterable<T> listing) throws IOException {
    try {
      return listing.withPageSize(100).toList();
    } catch (GHException e) {
      if (e.getCause() instanceof IOException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private static Map<Integer, Long> byNumber(List<GitHubPullRequestComment> recorded) {
    Map<Integer, Long> ids = new LinkedHashMap<>();
    if (recorded != null) {
      for (GitHubPullRequestComment c : recorded) {
        if (c.getNumber() != null) {
          ids.put(c.getNumber(), c.getCommentId());
        }
      }
    }
    return ids;
  }

  private static GitHubPullRequestComment entry(int number, Long commentId) {
    GitHubPullRequestComment c = new GitHubPullRequestComment();
    c.setNumber(number);
    c.setCommentId(commentId);
    return c;
  }

  static List<GitHubPullRequestComment> copy(List<GitHubPullRequestComment> from) {
    if (from == null) {
      return null;
    }
    List<GitHubPullRequestComment> to = new ArrayList<>();
    from.forEach(c -> to.add(entry(c.getNumber(), c.getCommentId())));
    return to;
  }
}
