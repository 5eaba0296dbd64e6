package io.branchflow.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.branchflow.api.Labels;
import io.branchflow.api.v1alpha1.EnvironmentLimits;
import io.branchflow.api.v1alpha1.ExpiryStatus;
import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.operator.announce.slack.FakeSlack;
import io.branchflow.operator.testing.ManualClock;
import io.branchflow.testing.KubernetesClusterExtension;
import io.branchflow.testing.NeedsKwok;
import io.branchflow.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code limits.ttl}: environments not pushed for that long are warned in their Slack thread, then
 * removed; a push resets the clock. The operator counts in a clock the test moves, so 72 hours pass
 * at once; a spec edit (the pusher) wakes it, which also shows that edits other than a push do not
 * reset the clock.
 */
@NeedsKwok("environments become Ready before their TTL runs out")
@ExtendWith(KubernetesClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EnvironmentTtlE2ETest {

  private static final String TTL = "72h";
  private static final String NEW_SHA = "fedcba9876543210fedcba9876543210fedcba98";

  private final TestCluster cluster;
  private final KubernetesClient client;
  private final Environments environments;
  private final FakeSlack slack = new FakeSlack();
  private final ManualClock clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private String ns;
  private LimitsTestbed testbed;
  private int pokes;

  EnvironmentTtlE2ETest(TestCluster cluster) {
    this.cluster = cluster;
    this.client = cluster.client();
    this.environments = new Environments(client, cluster.kubectl());
  }

  @BeforeAll
  void startOperator() {
    EnvironmentLimits limits = new EnvironmentLimits();
    limits.setTtl(TTL);
    testbed = LimitsTestbed.start(cluster, "ttl", limits, slack, clock, null);
    ns = testbed.namespace();
  }

  @AfterEach
  void slackAnswersAgain() {
    slack.recover();
  }

  @AfterAll
  void stopOperator() {
    testbed.close();
  }

  @Test
  void anEnvironmentNotPushedForItsTtlIsWarnedOnceInItsThreadThenRemovedWithNothingLeft() {
    WorkflowEnvironment env = client.resource(Fixtures.environment(ns, "feature/idle")).create();
    environments.awaitPhase(env, Phase.Ready);
    String ts = environments.awaitSlackMessage(env).getTs();
    ExpiryStatus expiry = environments.status(env).orElseThrow().getExpiry();
    Instant pushedAt = Instant.parse(expiry.getPushedAt());
    String removeAt = pushedAt.plus(Duration.ofHours(72)).toString();
    assertThat(expiry.getExpiresAt()).isEqualTo(removeAt);
    assertThat(expiry.getWarnedAt()).isNull();

    clock.advance(Duration.ofHours(71));
    pokeAndAwaitPass(env);
    await("warning reply in the thread")
        .atMost(Environments.PATIENCE)
        .until(() -> warnings(ts).size() == 1);
    assertThat(warnings(ts).get(0).text())
        .contains("will be removed at " + removeAt)
        .contains("Push to the branch to keep it");
    assertThat(environments.status(env).orElseThrow().getExpiry().getWarnedAt()).isNotNull();
    assertThat(eventsOf(env, "ExpiryWarning")).singleElement();
    await("the warning recorded as sent")
        .atMost(Environments.PATIENCE)
        .until(
            () ->
                removeAt.equals(
                    environments.status(env).orElseThrow().getSlack().getExpiryWarning()));
    pokeAndAwaitPass(env); // a pass in between warns no more

    clock.advance(Duration.ofHours(1));
    poke(env);
    environments.awaitGone(env);
    String name = env.getMetadata().getName();
    assertThat(environments.labelledObjects(Labels.ENVIRONMENT + "=" + name)).isEmpty();
    assertThat(eventsOf(env, "Expired")).singleElement();
    await("removal reply says why")
        .atMost(Environments.PATIENCE)
        .until(
            () ->
                slack.replies(ts).stream()
                    .anyMatch(r -> r.text().contains("expired after 72h without a push")));
    assertThat(warnings(ts)).hasSize(1);
    // The resync lists the branch still at that commit and must not bring it back.
    ConfigMap tombstones =
        client
            .configMaps()
            .inNamespace(ns)
            .withName(Fixtures.REPOSITORY_OBJECT + "-deleted-branches")
            .get();
    assertThat(tombstones.getData().get(name)).endsWith(" expired " + env.getSpec().getCommitSha());
  }

  @Test
  void aPushBeforeTheExpiryResetsTheClockAndItsWarning() {
    WorkflowEnvironment env = client.resource(Fixtures.environment(ns, "feature/busy")).create();
    environments.awaitPhase(env, Phase.Ready);
    String ts = environments.awaitSlackMessage(env).getTs();
    Instant firstExpiry =
        Instant.parse(environments.status(env).orElseThrow().getExpiry().getExpiresAt());
    clock.advance(Duration.between(clock.instant(), firstExpiry.minus(Duration.ofMinutes(30))));
    pokeAndAwaitPass(env);
    await("warned").atMost(Environments.PATIENCE).until(() -> warnings(ts).size() == 1);

    environments.edit(env, e -> e.getSpec().setCommitSha(NEW_SHA)); // what the receiver does
    Instant pushSeen = clock.instant();
    await("the clock restarted at the push")
        .atMost(Environments.PATIENCE)
        .until(() -> NEW_SHA.equals(expiry(env).getCommitSha()));
    ExpiryStatus reset = expiry(env);
    assertThat(Instant.parse(reset.getPushedAt())).isEqualTo(pushSeen);
    assertThat(reset.getWarnedAt()).isNull();
    assertThat(reset.getExpiresAt()).isEqualTo(pushSeen.plus(Duration.ofHours(72)).toString());

    clock.advance(Duration.ofHours(2)); // past the first expiry, far from the new one
    pokeAndAwaitPass(env);
    assertThat(environments.get(env).getMetadata().getDeletionTimestamp()).isNull();
    assertThat(expiry(env).getPushedAt()).isEqualTo(reset.getPushedAt());
    assertThat(warnings(ts)).hasSize(1);
    environments.deleteAndAwaitGone(env);
  }

  @Test
  void withSlackDownTheWarningIsAnEventAndTheRemovalIsOnTime() {
    slack.failWith(500, "{\"ok\": false, \"error\": \"internal_error\"}");
    WorkflowEnvironment env = client.resource(Fixtures.environment(ns, "feature/offline")).create();
    environments.awaitPhase(env, Phase.Ready);
    Instant expiresAt = Instant.parse(expiry(env).getExpiresAt());

    clock.advance(Duration.between(clock.instant(), expiresAt.minus(Duration.ofHours(1))));
    pokeAndAwaitPass(env);
    assertThat(eventsOf(env, "ExpiryWarning")).singleElement();
    assertThat(environments.phase(env)).isEqualTo(Phase.Ready);
    assertThat(expiry(env).getExpiresAt()).isEqualTo(expiresAt.toString());

    clock.advance(Duration.ofHours(1));
    poke(env);
    environments.awaitGone(env);
    assertThat(eventsOf(env, "Expired")).singleElement();
  }

  @Test
  void aTtlThatIsNotAPositiveDurationIsRefusedByTheApiServer() {
    for (String ttl : List.of("0h", "72", "3 days", "PT72H", "-1h")) {
      WorkflowRepository repository = Fixtures.repository(ns);
      repository.getMetadata().setName("bad-ttl");
      repository.getSpec().setLimits(new EnvironmentLimits());
      repository.getSpec().getLimits().setTtl(ttl);
      assertThatThrownBy(() -> client.resource(repository).create())
          .as(ttl)
          .isInstanceOfSatisfying(
              KubernetesClientException.class,
              e -> {
                assertThat(e.getCode()).isEqualTo(422);
                assertThat(e.getMessage()).contains("spec.limits.ttl");
              });
    }
  }

  /** An edit that is not a push (the pusher), which wakes the operator at the clock's time. */
  private long poke(WorkflowEnvironment env) {
    String pusher = "poke-" + ++pokes;
    environments.edit(env, e -> e.getSpec().setPusher(pusher));
    return environments.get(env).getMetadata().getGeneration();
  }

  private void pokeAndAwaitPass(WorkflowEnvironment env) {
    environments.awaitPassOver(env, poke(env));
  }

  private ExpiryStatus expiry(WorkflowEnvironment env) {
    return environments.status(env).orElseThrow().getExpiry();
  }

  private List<FakeSlack.Call> warnings(String ts) {
    return slack.replies(ts).stream().filter(r -> r.text().contains("will be removed")).toList();
  }

  private List<Event> eventsOf(WorkflowEnvironment env, String reason) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> env.getMetadata().getName().equals(e.getInvolvedObject().getName()))
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }
}
