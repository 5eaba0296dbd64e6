package io.branchflow.operator.announce.github;

import static io.branchflow.operator.announce.github.GitHubChannelTest.SHA;
import static io.branchflow.operator.announce.github.GitHubChannelTest.TOKEN;
import static io.branchflow.operator.announce.github.GitHubChannelTest.announcement;
import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.v1alpha1.GitHubDeployment;
import io.branchflow.api.v1alpha1.GitHubPullRequestComment;
import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.operator.announce.Announcement;
import io.branchflow.operator.announce.AnnouncementCopies;
import io.branchflow.operator.announce.Outcome;
import io.branchflow.operator.announce.TestDags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The comment the GitHub reporter keeps on each pull request of an environment's branch, with the
 * real hub4j client against a fake GitHub that keeps pull requests and comments.
 */
class PullRequestCommentsTest {

  private static final String BRANCH = "feature/hardy";

  private final FakeGitHub github = new FakeGitHub();
  private final List<GitHubDeployment> recorded = new ArrayList<>();

  @AfterEach
  void stop() {
    github.close();
  }

  /** Requests wait long: no test here is about timeouts, and a busy machine answers late. */
  private GitHubChannel channel() {
    return GitHubChannelTest.channel(
        github, () -> Optional.of(TOKEN), recorded, Duration.ofSeconds(60));
  }

  /** Delivers, expecting it to go through. */
  private static void deliver(GitHubChannel channel, Announcement a) {
    assertThat(attempt(channel, a)).isEqualTo(Outcome.DONE);
  }

  private static Outcome attempt(GitHubChannel channel, Announcement a) {
    return channel.deliver(GitHubChannelTest.ENV, channel.target(a).orElseThrow());
  }

  private static Announcement at(Phase phase) {
    return announcement(phase, SHA, null, false);
  }

  private GitHubDeployment last() {
    return recorded.get(recorded.size() - 1);
  }

  @Test
  void eachOpenPullRequestOfTheBranchGetsOneCommentEditedInPlaceAsTheEnvironmentChanges() {
    int pr = github.openPullRequest(BRANCH);
    int other = github.openPullRequest("feature/other");
    GitHubChannel channel = channel();

    deliver(channel, at(Phase.Provisioning));
    assertThat(github.comments(pr).values())
        .singleElement()
        .asString()
        .contains("**Provisioning**");
    long id = github.comments(pr).keySet().iterator().next();

    deliver(channel, at(Phase.Ready));
    deliver(channel, AnnouncementCopies.withDags(at(Phase.Ready), TestDags.failing(SHA)));

    assertThat(github.commentsCreated()).isEqualTo(1);
    assertThat(github.commentEdits()).isEqualTo(2);
    assertThat(github.comments(pr)).containsOnlyKeys(id);
    assertThat(github.comments(pr).get(id))
        .contains("**Ready**", "[Open Airflow]", "2 DAG file(s) failed to import");
    assertThat(github.comments(other)).as("another branch's pull request").isEmpty();
    assertThat(last().getPullRequests())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getNumber()).isEqualTo(pr);
              assertThat(c.getCommentId()).isEqualTo(id);
            });
    assertThat(last().getDeploymentId()).as("the deployment's record kept").isNotNull();
  }

  @Test
  void nothingChangedInTheTextMeansNoRequestEvenAfterARestart() {
    int pr = github.openPullRequest(BRANCH);
    deliver(channel(), at(Phase.Ready));
    GitHubDeployment before = last();
    github.resetJournal();

    GitHubChannel restarted = channel();
    deliver(restarted, announcement(Phase.Ready, SHA, before, false));
    assertThat(github.requests()).isEmpty();

    // The next change edits the comment recorded by the earlier life: no second comment.
    deliver(restarted, announcement(Phase.Suspended, SHA, before, false));
    assertThat(github.commentsCreated()).isZero();
    assertThat(github.commentEdits()).isEqualTo(1);
    assertThat(github.comments(pr).values()).singleElement().asString().contains("**Suspended**");
  }

  @Test
  void aPullRequestOpenedWhileNothingChangesGetsItsCommentWhenTheReceiverNotesIt() {
    int first = github.openPullRequest(BRANCH);
    GitHubChannel channel = channel();
    deliver(channel, at(Phase.Ready));
    int late = github.openPullRequest(BRANCH);
    deliver(channel, at(Phase.Ready)); // the same text: not looked up
    assertThat(github.comments(late)).isEmpty();
    github.resetJournal();

    Announcement noted = AnnouncementCopies.withPullRequestsChanged(at(Phase.Ready), "#2 now");
    deliver(channel, noted);
    assertThat(github.comments(late).values()).singleElement().asString().contains("**Ready**");
    assertThat(github.commentsCreated()).isEqualTo(1);
    assertThat(github.commentEdits()).as("the first one shows this text already").isZero();
    assertThat(github.comments(first)).hasSize(1);

    // The same note again, also after a restart, sends nothing at all.
    github.resetJournal();
    deliver(channel, noted);
    deliver(
        channel(),
        AnnouncementCopies.withPullRequestsChanged(
            announcement(Phase.Ready, SHA, last(), false), "#2 now"));
    assertThat(github.requests()).isEmpty();
  }

  @Test
  void aCommentMadeButNotRecordedBeforeACrashIsFoundByItsMarker() {
    int pr = github.openPullRequest(BRANCH);
    github.commentBySomeoneElse(pr, "Looks good, but see dags/orders.py");
    deliver(channel(), at(Phase.Provisioning));
    github.resetJournal();

    deliver(channel(), at(Phase.Ready)); // nothing recorded reached the new life

    assertThat(github.commentsCreated()).isZero();
    assertThat(github.comments(pr)).hasSize(2);
    assertThat(github.comments(pr).values()).filteredOn(b -> b.contains("**Ready**")).hasSize(1);
    assertThat(github.comments(pr).values()).contains("Looks good, but see dags/orders.py");
  }

  @Test
  void aCommentAUserDeletedIsMadeAgainOnceAndThatOneEditedFromThen() {
    int pr = github.openPullRequest(BRANCH);
    GitHubChannel channel = channel();
    deliver(channel, at(Phase.Provisioning));
    long first = github.comments(pr).keySet().iterator().next();
    github.deleteComment(first);

    deliver(channel, at(Phase.Ready));
    deliver(channel, at(Phase.Suspended));

    assertThat(github.commentsCreated()).isEqualTo(2);
    Map<Long, String> now = github.comments(pr);
    assertThat(now).hasSize(1).doesNotContainKey(first);
    assertThat(now.values()).singleElement().asString().contains("**Suspended**");
    assertThat(last().getPullRequests())
        .extracting(GitHubPullRequestComment::getCommentId)
        .containsExactlyElementsOf(now.keySet());
  }

  @Test
  void removalEditsTheRecordedCommentsAlsoOfAMergedPullRequestAndCreatesNone() {
    int merged = github.openPullRequest(BRANCH);
    GitHubChannel channel = channel();
    deliver(channel, at(Phase.Ready));
    github.closePullRequest(merged);
    int late = github.openPullRequest(BRANCH); // opened after the last change: never commented

    deliver(channel, announcement(Phase.Terminating, SHA, null, true));

    assertThat(github.comments(merged).values()).singleElement().asString().contains("**Removed**");
    assertThat(github.comments(late)).isEmpty();
    assertThat(github.commentsCreated()).isEqualTo(1);
  }

  @Test
  void aRepositoryThatTurnedCommentsOffHasNoPullRequestLookedUp() {
    int pr = github.openPullRequest(BRANCH);
    GitHubChannel channel = channel();

    deliver(channel, AnnouncementCopies.withoutPullRequestComments(at(Phase.Provisioning)));
    deliver(channel, AnnouncementCopies.withoutPullRequestComments(at(Phase.Ready)));

    assertThat(github.states()).containsExactly("in_progress", "success");
    assertThat(github.pullRequestLookups(BRANCH)).isZero();
    assertThat(github.comments(pr)).isEmpty();
  }

  @Test
  void aTokenThatMayNotCommentIsReportedAndTheDeploymentStillShows() {
    github.openPullRequest(BRANCH);
    github.failPullRequestsWith(
        403, "{\"message\": \"Resource not accessible by personal access token\"}");

    Outcome outcome = attempt(channel(), at(Phase.Ready));

    assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
    assertThat(((Outcome.Rejected) outcome).reason())
        .contains("403", "write access to pull requests", "bf-system/acme-dags-github")
        .doesNotContain(TOKEN);
    assertThat(github.states()).containsExactly("success");
  }
}
