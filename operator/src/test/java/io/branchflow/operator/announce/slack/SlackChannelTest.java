package io.branchflow.operator.announce.slack;

import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.SecretKeyRef;
import io.branchflow.api.v1alpha1.SlackMessage;
import io.branchflow.api.v1alpha1.SlackSettings;
import io.branchflow.api.v1alpha1.TaskFailures;
import io.branchflow.operator.announce.Announcement;
import io.branchflow.operator.announce.AnnouncementCopies;
import io.branchflow.operator.announce.EnvironmentRef;
import io.branchflow.operator.announce.Outcome;
import io.branchflow.operator.announce.TestDags;
import io.branchflow.operator.config.AnnounceSettings;
import io.branchflow.operator.testing.ManualClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Slack reporter's steps, with the real Slack client against a fake Slack Web API. */
class SlackChannelTest {

  private static final String TOKEN = "xoxb-not-a-real-token";
  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  private static final String NEW_SHA = "fedcba9876543210fedcba9876543210fedcba98";
  private static final String URL = "http://dags-hardy.airflow.localhost/";
  private static final EnvironmentRef ENV = new EnvironmentRef("bf-system", "dags-hardy", "uid-1");

  private final FakeSlack slack = new FakeSlack();
  private final List<SlackMessage> recorded = new ArrayList<>();
  private final List<SlackChannel> channels = new ArrayList<>();

  @AfterEach
  void stop() {
    channels.forEach(SlackChannel::close);
    slack.close();
  }

  private SlackChannel channel() {
    return channel(Clock.systemUTC());
  }

  private SlackChannel channel(Clock clock) {
    AnnounceSettings defaults = AnnounceSettings.defaults();
    SlackChannel channel =
        new SlackChannel(
            (ns, ref) -> Optional.of(TOKEN),
            (env, status) -> recorded.add(status.getSlack()),
            new AnnounceSettings(
                defaults.githubApiUrl(),
                slack.apiUrl(),
                Duration.ofSeconds(2),
                defaults.retryMin(),
                defaults.retryMax(),
                defaults.rejectedRetry()),
            clock);
    channels.add(channel);
    return channel;
  }

  static SlackSettings settings(boolean enabled) {
    SlackSettings s = new SlackSettings();
    s.setEnabled(enabled);
    s.setChannel("#airflow-envs");
    SecretKeyRef ref = new SecretKeyRef();
    ref.setName("slack-bot");
    ref.setKey("token");
    s.setTokenSecretRef(ref);
    s.setUserMap(Map.of("hardy", "U024BE7LH"));
    return s;
  }

  static Announcement announcement(
      Phase phase, String sha, SlackMessage before, boolean removed, SlackSettings settings) {
    return announcement(phase, sha, before, removed, settings, null);
  }

  /** With limits.ttl's part: the warning, or why it was removed. */
  static Announcement announcement(
      Phase phase,
      String sha,
      SlackMessage before,
      boolean removed,
      SlackSettings settings,
      Announcement.Expiry expiry) {
    return new Announcement(
        ENV,
        "acme/dags",
        "bf-system",
        "feature/hardy",
        sha,
        "hardy",
        phase,
        phase == Phase.Failed
            ? "migration job failed: see `kubectl logs job/airflow-migrate-1 -n bf-dags-hardy`"
            : "waiting",
        phase == Phase.Ready ? URL : null,
        null,
        "2026-01-01T10:00:00Z",
        phase == Phase.Ready ? "2026-01-01T10:02:14Z" : null,
        null,
        settings,
        null,
        before,
        removed,
        expiry,
        null,
        null,
        true,
        null);
  }

  /** What the reconciler announces once the warning is due: the environment goes at removeAt. */
  private static Announcement warned(
      Phase phase, String sha, SlackMessage before, String removeAt) {
    return announcement(
        phase,
        sha,
        before,
        phase == Phase.Terminating,
        settings(true),
        new Announcement.Expiry("72h", removeAt));
  }

  private Outcome deliver(SlackChannel channel, Phase phase, String sha) {
    return deliver(channel, announcement(phase, sha, null, false, settings(true)));
  }

  private Outcome deliver(SlackChannel channel, Announcement a) {
    return channel.deliver(ENV, channel.target(a).orElseThrow());
  }

  @Test
  void oneMessageLivesThroughTheWholeLifeOfAnEnvironment() {
    SlackChannel channel = channel();
    assertThat(deliver(channel, Phase.Provisioning, SHA)).isEqualTo(Outcome.DONE);
    assertThat(deliver(channel, Phase.Ready, SHA)).isEqualTo(Outcome.DONE);
    assertThat(deliver(channel, Phase.Failed, SHA)).isEqualTo(Outcome.DONE);
    assertThat(deliver(channel, Phase.Ready, NEW_SHA)).isEqualTo(Outcome.DONE);
    assertThat(
            deliver(channel, announcement(Phase.Terminating, NEW_SHA, null, true, settings(true))))
        .isEqualTo(Outcome.DONE);

    String ts = FakeSlack.ts(1);
    assertThat(slack.posts())
        .singleElement()
        .satisfies(
            post -> {
              assertThat(post.channel()).isEqualTo("#airflow-envs");
              assertThat(post.color()).isEqualTo(SlackMessageRenderer.YELLOW);
              assertThat(post.blocksText())
                  .contains("<https://github.com/acme/dags|acme/dags>")
                  .contains("`feature/hardy`")
                  .contains("<https://github.com/acme/dags/commit/" + SHA + "|`0123456`>")
                  .contains("<@U024BE7LH>")
                  .contains("Provisioning");
            });
    List<FakeSlack.Call> updates = slack.updates(ts);
    assertThat(updates).hasSize(4);
    assertThat(updates).allSatisfy(u -> assertThat(u.channel()).isEqualTo(FakeSlack.CHANNEL_ID));

    FakeSlack.Call ready = updates.get(0);
    assertThat(ready.color()).isEqualTo(SlackMessageRenderer.GREEN);
    assertThat(ready.buttonUrl(SlackMessageRenderer.OPEN_AIRFLOW)).isEqualTo(URL);
    assertThat(ready.blocksText()).contains("*Ready in*\\n2m 14s").contains("is ready");

    FakeSlack.Call failed = updates.get(1);
    assertThat(failed.color()).isEqualTo(SlackMessageRenderer.RED);
    assertThat(failed.buttonUrl(SlackMessageRenderer.OPEN_AIRFLOW)).isNull();
    assertThat(failed.blocksText())
        .contains("migration job failed: see `kubectl logs job/airflow-migrate-1")
        .contains("What next:")
        .contains("kubectl describe wfe dags-hardy -n bf-system");

    FakeSlack.Call pushed = updates.get(2);
    assertThat(pushed.color()).isEqualTo(SlackMessageRenderer.GREEN);
    assertThat(pushed.blocksText()).contains("/commit/" + NEW_SHA + "|`fedcba9`>");

    FakeSlack.Call removed = updates.get(3);
    assertThat(removed.color()).isEqualTo(SlackMessageRenderer.GREY);
    assertThat(removed.blocksText()).contains("was removed");
    assertThat(slack.replies(ts))
        .singleElement()
        .satisfies(r -> assertThat(r.text()).contains("Removed"));

    assertThat(recorded)
        .singleElement()
        .satisfies(
            m -> {
              assertThat(m.getChannel()).isEqualTo(FakeSlack.CHANNEL_ID);
              assertThat(m.getTs()).isEqualTo(ts);
            });
    assertThat(slack.requests())
        .allSatisfy(r -> assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN));
  }

  @Test
  void importErrorsGetOneThreadedReplyTheFixAnotherAndARestartRepeatsNeither() {
    SlackChannel channel = channel();
    Announcement ready = announcement(Phase.Ready, SHA, null, false, settings(true));
    assertThat(deliver(channel, ready)).isEqualTo(Outcome.DONE);
    assertThat(deliver(channel, AnnouncementCopies.withDags(ready, TestDags.failing(SHA))))
        .isEqualTo(Outcome.DONE);
    // The same errors on the next push: nothing new to say.
    Announcement next = announcement(Phase.Ready, NEW_SHA, null, false, settings(true));
    assertThat(deliver(channel, AnnouncementCopies.withDags(next, TestDags.failing(NEW_SHA))))
        .isEqualTo(Outcome.DONE);
    SlackMessage shown = recorded.get(recorded.size() - 1);
    assertThat(shown.getDagErrors()).isNotNull();
    assertThat(deliver(channel, AnnouncementCopies.withDags(next, TestDags.clean(NEW_SHA))))
        .isEqualTo(Outcome.DONE);

    String ts = FakeSlack.ts(1);
    assertThat(slack.posts()).hasSize(1);
    List<FakeSlack.Call> replies = slack.replies(ts);
    assertThat(replies).hasSize(2);
    assertThat(replies.get(0).text())
        .contains("2 DAG files of `feature/hardy` at `0123456` fail to import")
        .contains("`dags/broken.py` line 3: ModuleNotFoundError: No module named 'does_not_exist'")
        .contains("`dags/&lt;!channel&gt;.py`: NameError: &lt;https://evil.example|click&gt;")
        .contains("kubectl get wfe dags-hardy -n bf-system")
        .doesNotContain("<!channel>")
        .doesNotContain("<https://evil");
    assertThat(replies.get(1).text())
        .contains("Fixed: every DAG file of `feature/hardy` imports at `fedcba9`");
    assertThat(recorded.get(recorded.size() - 1).getDagErrors()).isNull();

    // A restarted operator continues from what was recorded: no reply repeated.
    SlackChannel restarted = channel();
    Announcement stillFailing = announcement(Phase.Ready, NEW_SHA, shown, false, settings(true));
    assertThat(
            deliver(
                restarted, AnnouncementCopies.withDags(stillFailing, TestDags.failing(NEW_SHA))))
        .isEqualTo(Outcome.DONE);
    assertThat(slack.replies(ts)).hasSize(2);
  }

  @Test
  void failedTasksGetOneThreadedReplyAtMostOncePerIntervalAndARestartRepeatsNone() {
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T10:05:00Z"));
    SlackChannel channel = channel(clock);
    Announcement ready = announcement(Phase.Ready, SHA, null, false, settings(true));
    assertThat(
            deliver(channel, AnnouncementCopies.withTaskFailures(ready, TestDags.taskFailures(0))))
        .isEqualTo(Outcome.DONE);
    String ts = FakeSlack.ts(1);
    assertThat(slack.replies(ts)).as("none failed: nothing to say").isEmpty();

    TaskFailures one =
        TestDags.taskFailures(1, TestDags.taskFailure("load", 2, "2026-01-01T10:05:00Z"));
    assertThat(deliver(channel, AnnouncementCopies.withTaskFailures(ready, one)))
        .isEqualTo(Outcome.DONE);
    assertThat(slack.replies(ts))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.text())
                    .contains("Task `load` of DAG `etl` failed in `feature/hardy` (try 2")
                    .contains("<" + URL + "dags/etl/runs/"));

    // Two more fail 10 s later: they wait for the interval, then go out together.
    clock.advance(Duration.ofSeconds(10));
    TaskFailures three =
        TestDags.taskFailures(
            3,
            TestDags.taskFailure("report", 1, "2026-01-01T10:05:10Z"),
            TestDags.taskFailure("notify", 1, "2026-01-01T10:05:09Z"),
            one.getNewest().get(0));
    Announcement more = AnnouncementCopies.withTaskFailures(ready, three);
    assertThat(deliver(channel, more))
        .isEqualTo(new Outcome.Later(TaskFailuresReply.MIN_INTERVAL.minusSeconds(10)));
    assertThat(slack.replies(ts)).hasSize(1);
    clock.advance(TaskFailuresReply.MIN_INTERVAL.minusSeconds(10));
    assertThat(deliver(channel, more)).isEqualTo(Outcome.DONE);
    assertThat(slack.replies(ts)).hasSize(2);
    assertThat(slack.replies(ts).get(1).text())
        .startsWith(":x: 2 task instances failed in `feature/hardy`:")
        .contains("`report`", "`notify`")
        .doesNotContain("`load`");
    SlackMessage shown = recorded.get(recorded.size() - 1);
    assertThat(shown.getTaskFailuresUntil()).isEqualTo("2026-01-01T10:05:10Z");
    assertThat(shown.getTaskFailuresCount()).isEqualTo(3);

    // A restarted operator reads what the thread shows: the same failures are not replied again.
    Announcement afterRestart = announcement(Phase.Ready, SHA, shown, false, settings(true));
    assertThat(deliver(channel(clock), AnnouncementCopies.withTaskFailures(afterRestart, three)))
        .isEqualTo(Outcome.DONE);
    assertThat(slack.replies(ts)).hasSize(2);
    assertThat(slack.posts()).hasSize(1);
  }

  @Test
  void aHostileBranchReachesSlackAsTextThroughTheRealClient() {
    SlackChannel channel = channel();
    String branch = "feature/<!channel>`<https://evil.example|click>";
    for (Phase phase : List.of(Phase.Provisioning, Phase.Ready)) {
      Announcement a = announcement(phase, SHA, null, false, settings(true));
      assertThat(deliver(channel, AnnouncementCopies.withBranch(a, branch)))
          .isEqualTo(Outcome.DONE);
    }
    Announcement gone = announcement(Phase.Terminating, SHA, null, true, settings(true));
    assertThat(deliver(channel, AnnouncementCopies.withBranch(gone, branch)))
        .isEqualTo(Outcome.DONE);

    String shown = "feature/&lt;!channel&gt;\u02cb&lt;https://evil.example|click&gt;";
    assertThat(slack.calls()).hasSize(4); // post, update to Ready, update to removed, reply
    assertThat(slack.calls())
        .allSatisfy(
            call -> {
              String sent = call.text() + (call.threadTs() == null ? call.blocksText() : "");
              assertThat(sent).doesNotContain("<!channel>").doesNotContain("<https://evil");
              assertThat(sent).contains(shown);
            });
    assertThat(slack.posts())
        .singleElement()
        .satisfies(
            post ->
                assertThat(post.blocksText())
                    .contains("`" + shown + "`")
                    .contains("<https://github.com/acme/dags|acme/dags>")
                    .contains("<@U024BE7LH>"));
    assertThat(slack.replies(FakeSlack.ts(1)))
        .singleElement()
        .satisfies(r -> assertThat(r.text()).contains("environment of `" + shown + "` is gone"));
  }

  @Test
  void theExpiryWarningIsOneReplyPerPushAndARestartDoesNotRepeatIt() {
    SlackChannel channel = channel();
    deliver(channel, Phase.Ready, SHA);
    assertThat(deliver(channel, warned(Phase.Ready, SHA, null, "2026-01-04T10:00:00Z")))
        .isEqualTo(Outcome.DONE);
    deliver(channel, warned(Phase.Ready, SHA, null, "2026-01-04T10:00:00Z"));

    String ts = FakeSlack.ts(1);
    assertThat(slack.replies(ts))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.text())
                    .contains("`feature/hardy` will be removed at 2026-01-04T10:00:00Z")
                    .contains("72h after the last push")
                    .contains("Push to the branch to keep it"));
    assertThat(recorded.get(recorded.size() - 1).getExpiryWarning())
        .isEqualTo("2026-01-04T10:00:00Z");

    // A restarted operator learns from the status that this warning went out.
    SlackMessage before = recorded.get(recorded.size() - 1);
    deliver(channel(), warned(Phase.Ready, SHA, before, "2026-01-04T10:00:00Z"));
    assertThat(slack.replies(ts)).hasSize(1);

    // A push moved the clock: its own warning, in the same thread, when it is due.
    deliver(channel(), warned(Phase.Ready, NEW_SHA, before, "2026-01-07T10:00:00Z"));
    assertThat(slack.replies(ts)).hasSize(2);
    assertThat(slack.posts()).hasSize(1);
  }

  @Test
  void anExpiredEnvironmentSaysWhyInItsLastReply() {
    SlackChannel channel = channel();
    deliver(channel, Phase.Ready, SHA);
    deliver(channel, warned(Phase.Terminating, SHA, null, "2026-01-04T10:00:00Z"));

    assertThat(slack.replies(FakeSlack.ts(1)))
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.text())
                    .contains("is gone")
                    .contains("expired after 72h without a push")
                    .doesNotContain("will be removed"));
  }

  @Test
  void aRestartedOperatorUpdatesTheRecordedMessageInsteadOfPostingAnother() {
    SlackMessage before = new SlackMessage();
    before.setChannel(FakeSlack.CHANNEL_ID);
    before.setTs("1699999999.000001");

    deliver(channel(), announcement(Phase.Ready, SHA, before, false, settings(true)));

    assertThat(slack.posts()).isEmpty();
    assertThat(slack.updates("1699999999.000001")).hasSize(1);
  }

  @Test
  void disabledOrUnconfiguredMeansNoMessage() {
    assertThat(channel().target(announcement(Phase.Ready, SHA, null, false, settings(false))))
        .isEmpty();
    assertThat(channel().target(announcement(Phase.Ready, SHA, null, false, null))).isEmpty();
  }

  @Test
  void invalidAuthAndUnknownChannelAreRefusedWithoutTheToken() {
    slack.failWith(200, "{\"ok\": false, \"error\": \"invalid_auth\"}");
    Outcome auth = deliver(channel(), Phase.Provisioning, SHA);
    assertThat(auth).isInstanceOf(Outcome.Rejected.class);
    assertThat(((Outcome.Rejected) auth).reason())
        .contains("invalid_auth")
        .contains("bf-system/slack-bot")
        .doesNotContain(TOKEN);

    slack.failWith(200, "{\"ok\": false, \"error\": \"channel_not_found\"}");
    Outcome channel = deliver(channel(), Phase.Provisioning, SHA);
    assertThat(((Outcome.Rejected) channel).reason())
        .contains("channel_not_found")
        .contains("#airflow-envs");
  }

  @Test
  void rateLimitsHonourRetryAfterAndServerErrorsAndTimeoutsAreRetried() {
    slack.failWith(429, "{\"ok\": false, \"error\": \"ratelimited\"}", "Retry-After", "17");
    assertThat(deliver(channel(), Phase.Provisioning, SHA))
        .isEqualTo(new Outcome.Retry(Duration.ofSeconds(17), "Slack rate limit (429)"));

    slack.failWith(503, "upstream unavailable");
    assertThat(deliver(channel(), Phase.Provisioning, SHA)).isInstanceOf(Outcome.Retry.class);

    slack.answerAfter(5_000);
    assertThat(deliver(channel(), Phase.Provisioning, SHA)).isInstanceOf(Outcome.Retry.class);

    slack.recover();
    slack.resetJournal();
    assertThat(deliver(channel(), Phase.Provisioning, SHA)).isEqualTo(Outcome.DONE);
    assertThat(slack.posts()).hasSize(1);
  }

  @Test
  void aMessageDeletedByHandIsPostedAgain() {
    SlackChannel channel = channel();
    deliver(channel, Phase.Provisioning, SHA);
    slack.failWith(200, "{\"ok\": false, \"error\": \"message_not_found\"}");
    assertThat(deliver(channel, Phase.Ready, SHA)).isInstanceOf(Outcome.Retry.class);
    slack.recover();
    assertThat(deliver(channel, Phase.Ready, SHA)).isEqualTo(Outcome.DONE);
    assertThat(slack.posts()).hasSize(2);
  }
}
