package io.branchflow.operator.announce.github;

import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.operator.announce.Announcement;
import io.branchflow.operator.announce.AnnouncementCopies;
import io.branchflow.operator.announce.EnvironmentRef;
import io.branchflow.operator.announce.TestDags;
import org.junit.jupiter.api.Test;

/** What a pull request of the branch reads in Branchflow's comment. */
class PullRequestCommentTest {

  private static final String SHA = GitHubChannelTest.SHA;

  private static String render(Announcement a) {
    return PullRequestComment.of(a).orElseThrow().body();
  }

  private static Announcement ready() {
    return GitHubChannelTest.announcement(Phase.Ready, SHA, null, false);
  }

  @Test
  void readySaysSoWithTheLinkToAirflowAndTheBranchAndCommit() {
    String body = render(ready());

    assertThat(body)
        .startsWith("<!-- branchflow environment bf-system/dags-hardy -->\n")
        .contains("**Branchflow** environment for `feature/hardy` at `0123456`: **Ready**")
        .contains("[Open Airflow](" + GitHubChannelTest.URL + ")")
        .contains("edited as the environment changes");
  }

  @Test
  void importErrorsAreListedWhereNothingTheBranchWroteRendersOrMentions() {
    String body = render(AnnouncementCopies.withDags(ready(), TestDags.failing(SHA)));

    assertThat(body)
        .contains("**2 DAG file(s) failed to import** at `0123456`:")
        .contains(
            "```\n"
                + "dags/broken.py:3: ModuleNotFoundError: No module named 'does_not_exist'\n"
                + "dags/<!channel>.py: NameError: <https://evil.example|click>\n"
                + "```");
    // A fence inside an error cannot close the block early.
    String fenced =
        render(
            AnnouncementCopies.withDags(
                ready(),
                TestDags.imports(SHA, 1, TestDags.error("dags/x.py", 1, "```\n@acme/all look"))));
    assertThat(fenced).contains("````\ndags/x.py:1: ```\n@acme/all look\n````");
  }

  @Test
  void everyDagImportingIsOneLineAndUnknownImportsNone() {
    assertThat(render(AnnouncementCopies.withDags(ready(), TestDags.clean(SHA))))
        .contains("Every DAG file of `0123456` imports.");
    assertThat(render(ready())).doesNotContain("DAG file");
  }

  @Test
  void failedShowsTheReasonWithoutMarkupOrMentions() {
    Announcement failed = GitHubChannelTest.announcement(Phase.Failed, SHA, null, false);
    String body = render(failed);

    assertThat(body)
        .contains("**Failed**: migration job failed: see `kubectl logs job/x -n y`")
        .doesNotContain("Open Airflow");
    Announcement oddBranch = AnnouncementCopies.withBranch(failed, "feature/`tick`");
    assertThat(render(oddBranch)).contains("for `` feature/`tick` `` at");
    assertThat(
            Markdown.text("image <b>x</b> [click](https://evil.example) pulled by @acme/everyone"))
        .isEqualTo(
            "image \\<b\\>x\\</b\\> \\[click\\](https://evil.example) pulled by"
                + " @&#8203;acme/everyone");
  }

  @Test
  void removedSaysSoAndShowsNoLinkNorImports() {
    Announcement removed =
        AnnouncementCopies.withDags(
            GitHubChannelTest.announcement(Phase.Terminating, SHA, null, true),
            TestDags.failing(SHA));
    String body = render(removed);

    assertThat(body).contains(": **Removed** (ok)").doesNotContain("Open Airflow", "DAG file");
  }

  @Test
  void theMarkerTellsThisEnvironmentsCommentFromOthers() {
    String body = render(ready());

    assertThat(PullRequestComment.ours(body, GitHubChannelTest.ENV)).isTrue();
    assertThat(PullRequestComment.ours(body, new EnvironmentRef("bf-system", "dags-hardy2", "u")))
        .isFalse();
    assertThat(PullRequestComment.ours("LGTM", GitHubChannelTest.ENV)).isFalse();
  }

  @Test
  void aRepositoryThatTurnedCommentsOffGetsNone() {
    assertThat(PullRequestComment.of(AnnouncementCopies.withoutPullRequestComments(ready())))
        .isEmpty();
  }
}
