package io.branchflow.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.SlackMessage;
import io.branchflow.api.v1alpha1.SlackSettings;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentStatus;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.operator.announce.slack.FakeSlack;
import io.branchflow.operator.announce.slack.SlackMessageRenderer;
import io.branchflow.operator.config.AnnounceSettings;
import io.branchflow.operator.config.OperatorSettings;
import io.branchflow.testing.KubernetesClusterExtension;
import io.branchflow.testing.NeedsKwok;
import io.branchflow.testing.TestCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Slack message of an environment, with the operator under its production RBAC and the real
 * Slack client talking to a fake Slack Web API: what reaches Slack is read from its journal.
 */
@NeedsKwok("every test waits for an environment to become Ready (the green message)")
@ExtendWith(KubernetesClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SlackMessagesE2ETest {

  private static final String SLACK_TOKEN = "xoxb-e2e-not-a-real-token";

  private final TestCluster cluster;
  private final KubernetesClient client;
  private final Environments environments;
  private final FakeSlack slack = new FakeSlack();
  private String ns;
  private OperatorUnderTest operator;

  SlackMessagesE2ETest(TestCluster cluster) {
    this.cluster = cluster;
    this.client = cluster.client();
    this.environments = new Environments(client, cluster.kubectl());
  }

  private AnnounceSettings announce() {
    return AnnounceSettings.defaults()
        .withSlackApiUrl(slack.apiUrl())
        .withRetry(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(5));
  }

  @BeforeAll
  void startOperator() {
    ns = Fixtures.branchflowNamespace(client, "slack");
    client.resource(Fixtures.secret(ns, "slack-bot", Map.of("token", SLACK_TOKEN))).create();
    WorkflowRepository repository = Fixtures.createRepository(client, ns);
    SlackSettings settings = Fixtures.slack("slack-bot");
    // Before the operator starts: nothing else writes the repository yet.
    client
        .resources(WorkflowRepository.class)
        .inNamespace(ns)
        .withName(repository.getMetadata().getName())
        .edit(
            r -> {
              r.getSpec().setSlack(settings);
              return r;
            });
    operator = OperatorUnderTest.start(cluster, ns, OperatorSettings.defaults(), announce());
  }

  @AfterEach
  void slackAnswersAgain() {
    slack.recover();
  }

  @AfterAll
  void stopOperator() {
    environments.deleteAllAndAwaitGone(ns);
    operator.closeAndRemove(client, ns);
    slack.close();
  }

  @Test
  void onePostOneUpdatePerPhaseChangeAndAThreadedReplyOnTeardown() {
    WorkflowEnvironment env = client.resource(Fixtures.environment(ns, "feature/hardy")).create();
    WorkflowEnvironmentStatus ready = environments.awaitPhase(env, Phase.Ready);
    SlackMessage message = environments.awaitSlackMessage(env);
    String ts = message.getTs();
    await("Ready shown")
        .atMost(Environments.PATIENCE)
        .until(() -> SlackMessageRenderer.GREEN.equals(lastColor(ts)));

    FakeSlack.Call post = postOf(ts);
    assertThat(post.channel()).isEqualTo("#airflow-envs");
    assertThat(post.color()).isEqualTo(SlackMessageRenderer.YELLOW);
    assertThat(post.blocksText())
        .contains("`feature/hardy`")
        .contains("|`0123456`>")
        .contains("https://github.com/acme/dags/commit/" + env.getSpec().getCommitSha())
        .contains("<@U024BE7LH>")
        .contains("Provisioning");
    List<FakeSlack.Call> updates = slack.updates(ts);
    assertThat(updates)
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.channel()).isEqualTo(FakeSlack.CHANNEL_ID);
              assertThat(u.color()).isEqualTo(SlackMessageRenderer.GREEN);
              assertThat(u.buttonUrl(SlackMessageRenderer.OPEN_AIRFLOW)).isEqualTo(ready.getUrl());
              assertThat(u.blocksText()).contains("*Ready in*").contains("<@U024BE7LH>");
            });

    environments.deleteAndAwaitGone(env);
    await("threaded reply")
        .atMost(Environments.PATIENCE)
        .until(() -> slack.replies(ts).size() == 1);
    assertThat(slack.updates(ts))
        .extracting(FakeSlack.Call::color)
        .containsExactly(SlackMessageRenderer.GREEN, SlackMessageRenderer.GREY);
    assertThat(slack.replies(ts).get(0).text()).contains("Removed");
    assertThat(postsFor("feature/hardy")).hasSize(1);
  }

  @Test
  void slackFailingThroughoutDelaysNothingAndTheMessageIsPostedOnceWhenItRecovers() {
    slack.failWith(500, "{\"ok\": false, \"error\": \"internal_error\"}");
    WorkflowEnvironment env = client.resource(Fixtures.environment(ns, "feature/offline")).create();

    environments.awaitPhase(env, Phase.Ready);
    await("the user is told why Slack shows nothing")
        .atMost(Environments.PATIENCE)
        .until(
            () ->
                Optional.ofNullable(environments.status(env).orElseThrow().getSlack())
                    .map(SlackMessage::getMessage)
                    .orElse("")
                    .contains("Slack answered 500"));
    slack.failWith(429, "{\"ok\": false, \"error\": \"ratelimited\"}", "Retry-After", "1");
    await("rate limit seen")
        .atMost(Environments.PATIENCE)
        .until(() -> slack.requests().stream().anyMatch(r -> true));

    slack.recover();
    SlackMessage message = environments.awaitSlackMessage(env);
    await("posted once Slack is back")
        .atMost(Environments.PATIENCE)
        .until(() -> postsFor("feature/offline").size() == 1);
    assertThat(postsFor("feature/offline").get(0).color()).isEqualTo(SlackMessageRenderer.GREEN);
    assertThat(message.getTs()).isNotBlank();
    await("problem cleared")
        .atMost(Environments.PATIENCE)
        .until(() -> environments.status(env).orElseThrow().getSlack().getMessage() == null);
    assertThat(postsFor("feature/offline")).hasSize(1);
  }

  @Test
  void aRestartedOperatorUpdatesTheSameMessage() {
    WorkflowEnvironment env = client.resource(Fixtures.environment(ns, "feature/restart")).create();
    environments.awaitPhase(env, Phase.Ready);
    String ts = environments.awaitSlackMessage(env).getTs();
    await("Ready shown")
        .atMost(Environments.PATIENCE)
        .until(() -> SlackMessageRenderer.GREEN.equals(lastColor(ts)));

    operator.close();
    operator = OperatorUnderTest.start(cluster, ns, OperatorSettings.defaults(), announce());
    environments.setSuspend(env, true);
    environments.awaitPhase(env, Phase.Suspended);
    await("Suspended shown on the same message")
        .atMost(Environments.PATIENCE)
        .until(() -> SlackMessageRenderer.GREY.equals(lastColor(ts)));

    assertThat(postsFor("feature/restart")).hasSize(1);
  }

  private List<FakeSlack.Call> postsFor(String branch) {
    return slack.posts().stream().filter(p -> p.blocksText().contains("`" + branch + "`")).toList();
  }

  private FakeSlack.Call postOf(String ts) {
    List<FakeSlack.Call> posts = slack.posts();
    for (int i = 0; i < posts.size(); i++) {
      if (FakeSlack.ts(i + 1).equals(ts)) {
        return posts.get(i);
      }
    }
    throw new AssertionError("no post got ts " + ts);
  }

  private String lastColor(String ts) {
    List<FakeSlack.Call> shown = new ArrayList<>();
    shown.add(postOf(ts));
    shown.addAll(slack.updates(ts));
    return shown.get(shown.size() - 1).color();
  }
}
