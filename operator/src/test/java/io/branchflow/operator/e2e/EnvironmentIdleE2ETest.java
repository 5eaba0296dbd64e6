package io.branchflow.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.branchflow.api.v1alpha1.Condition;
import io.branchflow.api.v1alpha1.EnvironmentLimits;
import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentStatus;
import io.branchflow.operator.announce.slack.FakeSlack;
import io.branchflow.operator.inspect.FakeAirflow;
import io.branchflow.operator.testing.ManualClock;
import io.branchflow.testing.KubernetesClusterExtension;
import io.branchflow.testing.NeedsKwok;
import io.branchflow.testing.TestCluster;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code limits.idleAfter}: an environment whose Airflow saw no DAG run and no use for that long is
 * suspended (scaled to zero, database kept) and says so in Slack; a push wakes it; a person's own
 * suspend is never undone. No Airflow runs on kwok: a stand-in answers the poller (nothing running,
 * an old event-log entry), and the operator counts in a clock the test moves.
 */
@NeedsKwok("environments become Ready before they go idle")
@ExtendWith(KubernetesClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EnvironmentIdleE2ETest {

  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  private static final String NEW_SHA = "fedcba9876543210fedcba9876543210fedcba98";

  private final TestCluster cluster;
  private final KubernetesClient client;
  private final Environments environments;
  private final FakeSlack slack = new FakeSlack();
  private final FakeAirflow airflow = new FakeAirflow(SHA);
  private final ManualClock clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  private String ns;
  private LimitsTestbed testbed;

  EnvironmentIdleE2ETest(TestCluster cluster) {
    this.cluster = cluster;
    this.client = cluster.client();
    this.environments = new Environments(client, cluster.kubectl());
  }

  @BeforeAll
  void startOperator() {
    // Nothing running; the newest event-log entry is a day old.
    airflow.events =
        "{\"event_logs\": [{\"event_log_id\": 1, \"when\": \""
            + clock.instant().minus(Duration.ofDays(1))
            + "\", \"event\": \"success\"}], \"total_entries\": 1}";
    EnvironmentLimits limits = new EnvironmentLimits();
    limits.setIdleAfter("2h");
    testbed = LimitsTestbed.start(cluster, "idle", limits, slack, clock, airflow);
    ns = testbed.namespace();
  }

  @AfterAll
  void stopOperator() {
    testbed.close();
  }

  @Test
  void anIdleEnvironmentIsSuspendedWithItsDatabaseKeptAndAPushWakesIt() {
    WorkflowEnvironment env = client.resource(Fixtures.environment(ns, "feature/idle")).create();
    String envNs = Environments.namespaceOf(env);
    WorkflowEnvironmentStatus ready = environments.awaitPhase(env, Phase.Ready);
    String ts = environments.awaitSlackMessage(env).getTs();
    await("the idle clock explained")
        .atMost(Environments.PATIENCE)
        .until(() -> idle(env).map(c -> "Idle".equals(c.getReason())).orElse(false));
    Instant due = Instant.parse(ready.getReadyAt()).plus(Duration.ofHours(2));
    assertThat(idle(env).orElseThrow().getMessage())
        .contains("suspended at " + due + " (limits.idleAfter 2h)");

    clock.advance(Duration.ofHours(2));
    environments.editAndAwaitPass(env, e -> e.getSpec().setPusher("someone-else"));
    WorkflowEnvironmentStatus asleep = environments.awaitPhase(env, Phase.Suspended);
    WorkflowEnvironment suspended = environments.get(env);
    assertThat(suspended.getSpec().getSuspend()).isTrue();
    assertThat(suspended.getMetadata().getAnnotations())
        .containsEntry("branchflow.io/idle-suspended", SHA);
    assertThat(asleep.getIdle().getCommitSha()).isEqualTo(SHA);
    assertThat(asleep.getIdle().getSuspendedAt()).isNotNull();
    assertThat(asleep.getMessage())
        .startsWith("Idle for 2h (limits.idleAfter), so suspended: push to the branch");
    await("Airflow scaled to zero")
        .atMost(Environments.PATIENCE)
        .until(() -> deployments(envNs).stream().allMatch(d -> d.getSpec().getReplicas() == 0));
    assertThat(client.apps().statefulSets().inNamespace(envNs).withName("postgres").get())
        .as("the database is kept")
        .satisfies(db -> assertThat(db.getSpec().getReplicas()).isEqualTo(1));
    await("Slack says why it sleeps and how to wake it, on the same message")
        .atMost(Environments.PATIENCE)
        .until(
            () ->
                slack.updates(ts).stream()
                    .anyMatch(u -> u.blocksText().contains("Idle for 2h (limits.idleAfter)")));

    airflow.loaded = NEW_SHA;
    environments.edit(env, e -> e.getSpec().setCommitSha(NEW_SHA));
    environments.awaitPhase(env, Phase.Ready);
    WorkflowEnvironment woken = environments.get(env);
    assertThat(woken.getSpec().getSuspend()).isFalse();
    assertThat(woken.getMetadata().getAnnotations())
        .doesNotContainKey("branchflow.io/idle-suspended");
    assertThat(deployments(envNs)).allSatisfy(d -> assertThat(d.getSpec().getReplicas()).isOne());
    await("the clock counts again from the wake-up")
        .atMost(Environments.PATIENCE)
        .until(() -> idle(env).map(c -> "Idle".equals(c.getReason())).orElse(false));
  }

  @Test
  void aPersonsOwnSuspendIsNeverUndoneNotEvenByAPush() {
    WorkflowEnvironment env = client.resource(Fixtures.environment(ns, "feature/mine")).create();
    environments.awaitPhase(env, Phase.Ready);
    environments.setSuspend(env, true);
    environments.awaitPhase(env, Phase.Suspended);

    clock.advance(Duration.ofHours(3));
    environments.editAndAwaitPass(env, e -> e.getSpec().setCommitSha(NEW_SHA));
    WorkflowEnvironment after = environments.get(env);
    assertThat(after.getSpec().getSuspend()).isTrue();
    assertThat(after.getStatus().getPhase()).isEqualTo(Phase.Suspended);
    assertThat(after.getStatus().getIdle()).isNull();
    assertThat(after.getMetadata().getAnnotations())
        .satisfiesAnyOf(
            a -> assertThat(a).isNull(),
            a -> assertThat(a).doesNotContainKey("branchflow.io/idle-suspended"));
  }

  private Optional<Condition> idle(WorkflowEnvironment env) {
    return Optional.ofNullable(environments.status(env).orElseThrow().getConditions())
        .flatMap(cs -> cs.stream().filter(c -> "Idle".equals(c.getType())).findFirst());
  }

  private List<Deployment> deployments(String envNs) {
    return client.apps().deployments().inNamespace(envNs).list().getItems();
  }
}
