package io.branchflow.operator.announce.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.branchflow.api.v1alpha1.GitHubDeployment;
import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.SecretKeyRef;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentStatus;
import io.branchflow.operator.announce.Announcement;
import io.branchflow.operator.announce.AnnouncementCopies;
import io.branchflow.operator.announce.EnvironmentRef;
import io.branchflow.operator.announce.Outcome;
import io.branchflow.operator.announce.TestDags;
import io.branchflow.operator.config.AnnounceSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The GitHub reporter's steps, with the real hub4j client against a fake GitHub API. */
class GitHubChannelTest {

  static final String TOKEN = "ghp_not-a-real-token-0123456789";
  static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  private static final String NEW_SHA = "fedcba9876543210fedcba9876543210fedcba98";
  static final String URL = "http://feature-hardy.airflow.localhost/";
  private static final String IDLE =
      "Idle for 2h (limits.idleAfter), so suspended: push to the branch or set spec.suspend to"
          + " false to wake it (`kubectl patch wfe dags-hardy -n bf-system --type merge -p ...`)";
  private static final String QUEUED =
      "waiting: 2 of 2 environments of repository acme/dags exist; position 1 in the queue";
  static final EnvironmentRef ENV = new EnvironmentRef("bf-system", "dags-hardy", "uid-1");

  private final FakeGitHub github = new FakeGitHub();
  private final List<GitHubDeployment> recorded = new ArrayList<>();
  private Optional<String> token = Optional.of(TOKEN + "\n");

  @AfterEach
  void stop() {
    github.close();
  }

  private GitHubChannel channel() {
    return channel(github, () -> token, recorded, Duration.ofSeconds(2));
  }

  /**
   * The channel against {@code github}, with short retries, recording into {@code recorded} (a copy
   * of each status.github it writes).
   */
  static GitHubChannel channel(
      FakeGitHub github,
      Supplier<Optional<String>> token,
      List<GitHubDeployment> recorded,
      Duration requestTimeout) {
    AnnounceSettings settings =
        AnnounceSettings.defaults()
            .withGithubApiUrl(github.url())
            .withRetry(Duration.ofMillis(10), Duration.ofMillis(100), Duration.ofSeconds(1));
    settings =
        new AnnounceSettings(
            settings.githubApiUrl(),
            settings.slackApiUrl(),
            requestTimeout,
            settings.retryMin(),
            settings.retryMax(),
            settings.rejectedRetry());
    return new GitHubChannel(
        (ns, ref) -> token.get(),
        (env, status) -> recorded.add(copyOf(status.getGithub())),
        settings);
  }

  private static GitHubDeployment copyOf(GitHubDeployment d) {
    GitHubDeployment c = new GitHubDeployment();
    c.setDeploymentId(d.getDeploymentId());
    c.setSha(d.getSha());
    c.setState(d.getState());
    c.setMessage(d.getMessage());
    c.setDags(d.getDags());
    c.setPullRequests(d.getPullRequests());
    c.setComment(d.getComment());
    return c;
  }

  static Announcement announcement(
      Phase phase, String sha, GitHubDeployment before, boolean removed) {
    SecretKeyRef ref = new SecretKeyRef();
    ref.setName("acme-dags-github");
    ref.setKey("token");
    return new Announcement(
        ENV,
        "acme/dags",
        "bf-system",
        "feature/hardy",
        sha,
        "hardy",
        phase,
        switch (phase) {
          case Failed -> "migration job failed: see `kubectl logs job/x -n y`";
          case Queued -> QUEUED;
          case Suspended -> IDLE;
          default -> "ok";
        },
        phase == Phase.Ready ? URL : null,
        null,
        "2026-01-01T00:00:00Z",
        null,
        ref,
        null,
        before,
        null,
        removed,
        null,
        null,
        null,
        true,
        null);
  }

  private Outcome deliver(GitHubChannel channel, Announcement a) {
    return channel.deliver(ENV, channel.target(a).orElseThrow());
  }

  @Test
  void provisioningCreatesATransientDeploymentOfTheCommitThenStatusesFollowThePhase() {
    GitHubChannel channel = channel();

    assertThat(deliver(channel, announcement(Phase.Provisioning, SHA, null, false)))
        .isEqualTo(Outcome.DONE);
    assertThat(deliver(channel, announcement(Phase.Ready, SHA, null, false)))
        .isEqualTo(Outcome.DONE);
    assertThat(deliver(channel, announcement(Phase.Ready, SHA, null, false)))
        .isEqualTo(Outcome.DONE);
    assertThat(deliver(channel, announcement(Phase.Terminating, SHA, null, true)))
        .isEqualTo(Outcome.DONE);

    assertThat(github.createdDeployments())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.get("ref").asText()).isEqualTo(SHA);
              assertThat(d.get("environment").asText()).isEqualTo("feature/hardy");
              assertThat(d.get("transient_environment").asBoolean()).isTrue();
              assertThat(d.get("production_environment").asBoolean()).isFalse();
              assertThat(d.get("auto_merge").asBoolean()).isFalse();
              assertThat(d.get("required_contexts").isArray()).isTrue();
              assertThat(d.get("required_contexts")).isEmpty();
            });
    assertThat(github.states()).containsExactly("in_progress", "success", "inactive");
    assertThat(github.statuses())
        .allSatisfy(s -> assertThat(s.get("deployment").asLong()).isEqualTo(3_000_000_001L));
    assertThat(github.statuses().get(1).get("environment_url").asText()).isEqualTo(URL);
    assertThat(github.requests())
        .allSatisfy(r -> assertThat(r.getHeader("Authorization")).isEqualTo("token " + TOKEN));
    // Recorded after each step (the pull request comment's too); nothing for a removed environment.
    assertThat(recorded)
        .extracting(GitHubDeployment::getState)
        .containsExactly(null, "in_progress", "in_progress", "success", "success");
    assertThat(recorded)
        .allSatisfy(
            r -> {
              assertThat(r.getDeploymentId()).isEqualTo(3_000_000_001L);
              assertThat(r.getSha()).isEqualTo(SHA);
            });
  }

  @Test
  void importErrorsAreAFailedCommitStatusOnTheLoadedCommitAndTheFixedPushASuccessfulOne() {
    GitHubChannel channel = channel();
    Announcement failing =
        AnnouncementCopies.withDags(
            announcement(Phase.Ready, SHA, null, false), TestDags.failing(SHA));

    assertThat(deliver(channel, failing)).isEqualTo(Outcome.DONE);
    assertThat(deliver(channel, failing)).isEqualTo(Outcome.DONE); // shown: not sent again
    assertThat(
            deliver(
                channel,
                AnnouncementCopies.withDags(
                    announcement(Phase.Ready, NEW_SHA, null, false), TestDags.clean(NEW_SHA))))
        .isEqualTo(Outcome.DONE);

    assertThat(github.commitStatuses()).hasSize(2);
    JsonNode failure = github.commitStatuses().get(0);
    assertThat(failure.get("sha").asText()).isEqualTo(SHA);
    assertThat(failure.get("state").asText()).isEqualTo("failure");
    assertThat(failure.get("context").asText()).isEqualTo("branchflow/dags");
    assertThat(failure.get("target_url").asText()).isEqualTo(URL);
    assertThat(failure.get("description").asText())
        .startsWith("2 DAG file(s) failed to import; first: dags/broken.py:3: ModuleNotFoundError")
        .hasSizeLessThanOrEqualTo(GitHubChannel.DESCRIPTION_LIMIT);
    JsonNode success = github.commitStatuses().get(1);
    assertThat(success.get("sha").asText()).isEqualTo(NEW_SHA);
    assertThat(success.get("state").asText()).isEqualTo("success");
    assertThat(success.get("description").asText()).isEqualTo("Every DAG file of fedcba9 imports");
    GitHubDeployment last = recorded.get(recorded.size() - 1);
    assertThat(last.getDags().getSha()).isEqualTo(NEW_SHA);
    assertThat(last.getDags().getState()).isEqualTo("success");
    assertThat(last.getDeploymentId()).as("the deployment's record kept").isNotNull();

    // A restarted operator finds it recorded and sends nothing.
    github.resetJournal();
    GitHubChannel restarted = channel();
    assertThat(
            deliver(
                restarted,
                AnnouncementCopies.withDags(
                    announcement(Phase.Ready, NEW_SHA, last, false), TestDags.clean(NEW_SHA))))
        .isEqualTo(Outcome.DONE);
    assertThat(github.requests()).isEmpty();
  }

  @Test
  void aQueuedBranchHasAQueuedDeploymentSayingWhereItWaitsThenProvisioningFollowsOnIt() {
    GitHubChannel channel = channel();

    deliver(channel, announcement(Phase.Queued, SHA, null, false));
    deliver(channel, announcement(Phase.Provisioning, SHA, null, false));

    assertThat(github.createdDeployments()).hasSize(1);
    assertThat(github.states()).containsExactly("queued", "in_progress");
    assertThat(github.statuses().get(0).get("description").asText()).isEqualTo(QUEUED);
  }

  @Test
  void failureCarriesTheReasonAndANewCommitGetsANewDeployment() {
    GitHubChannel channel = channel();
    deliver(channel, announcement(Phase.Failed, SHA, null, false));
    deliver(channel, announcement(Phase.Ready, NEW_SHA, null, false));

    assertThat(github.createdDeployments())
        .extracting(d -> d.get("ref").asText())
        .containsExactly(SHA, NEW_SHA);
    assertThat(github.statuses())
        .extracting(s -> s.get("state").asText() + "@" + s.get("deployment").asLong())
        .containsExactly("failure@3000000001", "success@3000000002");
    assertThat(github.statuses().get(0).get("description").asText())
        .startsWith("Failed: migration job failed")
        .hasSizeLessThanOrEqualTo(140);
  }

  @Test
  void afterARestartOnlyWhatIsMissingIsSent() {
    GitHubChannel first = channel();
    deliver(first, announcement(Phase.Provisioning, SHA, null, false));
    GitHubDeployment before = recorded.get(recorded.size() - 1);
    github.resetJournal();

    // Same phase as recorded: nothing at all, not even a read.
    GitHubChannel second = channel();
    assertThat(deliver(second, announcement(Phase.Provisioning, SHA, before, false)))
        .isEqualTo(Outcome.DONE);
    assertThat(github.requests()).isEmpty();

    // Moved on while the operator was down: one status on the same deployment.
    GitHubChannel third = channel();
    assertThat(deliver(third, announcement(Phase.Ready, SHA, before, false)))
        .isEqualTo(Outcome.DONE);
    assertThat(github.createdDeployments()).isEmpty();
    assertThat(github.statuses())
        .extracting(s -> s.get("state").asText() + "@" + s.get("deployment").asLong())
        .containsExactly("success@3000000001");
  }

  @Test
  void aDeploymentMadeButNotRecordedBeforeACrashIsReused() {
    GitHubChannel crashed = channel();
    // Retried until done: the JVM's first request can outlast the 2 s timeout on a busy machine.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                deliver(crashed, announcement(Phase.Provisioning, SHA, null, false))
                    .equals(Outcome.DONE));
    github.resetJournal();

    deliver(channel(), announcement(Phase.Ready, SHA, null, false));

    assertThat(github.createdDeployments()).isEmpty();
    assertThat(github.states()).containsExactly("success");
  }

  @Test
  void noTokenMeansNoDeploymentAndNoError() {
    Announcement a = announcement(Phase.Ready, SHA, null, false);
    Announcement withoutToken =
        new Announcement(
            a.environment(),
            a.repository(),
            a.secretsNamespace(),
            a.branch(),
            a.sha(),
            a.pusher(),
            a.phase(),
            a.message(),
            a.url(),
            a.login(),
            a.startedAt(),
            a.readyAt(),
            null,
            null,
            null,
            null,
            false,
            null,
            null,
            null,
            true,
            null);
    assertThat(channel().target(withoutToken)).isEmpty();
  }

  @Test
  void badCredentialsAreRefusedWithAReasonThatNamesTheSecretButNotTheToken() {
    github.failWith(
        401,
        "{\"message\": \"Bad credentials\", \"documentation_url\": \"https://docs.github.com/rest\"}");
    Outcome outcome = deliver(channel(), announcement(Phase.Ready, SHA, null, false));
    assertThat(outcome).isInstanceOf(Outcome.Rejected.class);
    String reason = ((Outcome.Rejected) outcome).reason();
    assertThat(reason).contains("401").contains("bf-system/acme-dags-github");
    assertThat(reason).doesNotContain(TOKEN);
  }

  @Test
  void exhaustedRateLimitWaitsUntilTheReset() {
    long reset = Instant.now().plusSeconds(600).getEpochSecond();
    github.failWith(
        403,
        "{\"message\": \"API rate limit exceeded for installation ID 1.\"}",
        "X-RateLimit-Limit",
        "5000",
        "X-RateLimit-Remaining",
        "0",
        "X-RateLimit-Used",
        "5000",
        "X-RateLimit-Reset",
        String.valueOf(reset),
        "X-RateLimit-Resource",
        "core");
    Outcome outcome = deliver(channel(), announcement(Phase.Ready, SHA, null, false));
    assertThat(outcome).isInstanceOf(Outcome.Retry.class);
    assertThat(((Outcome.Retry) outcome).notBefore())
        .isBetween(Duration.ofSeconds(500), Duration.ofSeconds(601));
  }

  @Test
  void secondaryRateLimitWaitsForRetryAfter() {
    github.failWith(
        429, "{\"message\": \"You have exceeded a secondary rate limit.\"}", "Retry-After", "42");
    Outcome outcome = deliver(channel(), announcement(Phase.Ready, SHA, null, false));
    assertThat(outcome)
        .isEqualTo(new Outcome.Retry(Duration.ofSeconds(42), "GitHub secondary rate limit"));
  }

  @Test
  void serverErrorsAndTimeoutsAreRetried() {
    github.failWith(502, "{\"message\": \"Server Error\"}");
    assertThat(deliver(channel(), announcement(Phase.Ready, SHA, null, false)))
        .isInstanceOf(Outcome.Retry.class);

    github.answerAfter(5_000); // longer than the 2 s request timeout
    assertThat(deliver(channel(), announcement(Phase.Ready, SHA, null, false)))
        .isInstanceOf(Outcome.Retry.class);

    github.recover();
    assertThat(deliver(channel(), announcement(Phase.Ready, SHA, null, false)))
        .isEqualTo(Outcome.DONE);
  }

  @Test
  void suspendedDeactivatesAndPendingAnnouncesNothing() {
    GitHubChannel channel = channel();
    assertThat(channel.target(announcement(Phase.Pending, SHA, null, false))).isEmpty();
    deliver(channel, announcement(Phase.Ready, SHA, null, false));
    deliver(channel, announcement(Phase.Suspended, SHA, null, false));
    assertThat(github.states()).containsExactly("success", "inactive");
    assertThat(github.statuses().get(1).get("description").asText())
        .as("why it sleeps and how to wake it, within GitHub's 140 characters")
        .startsWith("Idle for 2h (limits.idleAfter), so suspended: push to the branch or set")
        .endsWith("...")
        .hasSize(GitHubChannel.DESCRIPTION_LIMIT);
  }

  @Test
  void anEnvironmentRemovedByItsTtlSaysWhyAlsoAfterASuspension() {
    Announcement expired =
        AnnouncementCopies.expired(
            announcement(Phase.Terminating, SHA, null, true), "72h", "2026-01-04T00:00:00Z");
    String why = "Environment removed: expired after 72h without a push (limits.ttl)";
    GitHubChannel channel = channel();
    deliver(channel, announcement(Phase.Ready, SHA, null, false));
    deliver(channel, expired);
    assertThat(github.states()).containsExactly("success", "inactive");
    assertThat(github.statuses().get(1).get("description").asText()).isEqualTo(why);

    // Idle first (inactive, "push to wake it"), then expired: the removal is said all the same,
    // once, even when a later step is retried.
    github.resetJournal();
    GitHubChannel suspendedFirst = channel();
    deliver(suspendedFirst, announcement(Phase.Ready, NEW_SHA, null, false));
    deliver(suspendedFirst, announcement(Phase.Suspended, NEW_SHA, null, false));
    deliver(suspendedFirst, expired);
    deliver(suspendedFirst, expired);
    assertThat(github.states()).containsExactly("success", "inactive", "inactive");
    assertThat(github.statuses().get(2).get("description").asText()).isEqualTo(why);
  }

  @Test
  void missingTokenSecretIsRefused() {
    token = Optional.empty();
    assertThat(deliver(channel(), announcement(Phase.Ready, SHA, null, false)))
        .isInstanceOf(Outcome.Rejected.class);
    assertThat(github.requests()).isEmpty();
  }

  static WorkflowEnvironmentStatus unused() {
    return null;
  }
}
