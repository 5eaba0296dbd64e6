package io.branchflow.operator.announce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.operator.config.AnnounceSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The reporter's delivery loop with a scripted channel: coalescing, back-off, refusals. */
class CourierTest {

  private static final EnvironmentRef ENV = new EnvironmentRef("ns", "env", "uid");

  private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
  private final List<String> problems = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  /** Delivers the phase name as target; outcomes come from a queue (Done when it is empty). */
  private static final class Scripted implements Channel<String> {
    final List<String> delivered = Collections.synchronizedList(new ArrayList<>());
    final BlockingQueue<Outcome> outcomes = new ArrayBlockingQueue<>(100);
    volatile CountDownLatch gate = new CountDownLatch(0);
    final List<String> forgotten = Collections.synchronizedList(new ArrayList<>());

    @Override
    public String name() {
      return "Test";
    }

    @Override
    public Optional<String> target(Announcement a) {
      return a.phase() == Phase.Pending
          ? Optional.empty()
          : Optional.of(a.removed() ? "removed" : a.phase().name());
    }

    @Override
    public Outcome deliver(EnvironmentRef env, String target) {
      try {
        gate.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      delivered.add(target);
      Outcome next = outcomes.poll();
      return next == null ? Outcome.DONE : next;
    }

    @Override
    public boolean isFinal(String target) {
      return target.equals("removed");
    }

    @Override
    public void problem(EnvironmentRef env, String reason) {}

    @Override
    public void forget(EnvironmentRef env) {
      forgotten.add(env.name());
    }
  }

  private Courier<String> courier(Scripted channel) {
    return courier(channel, Duration.ofMillis(300));
  }

  private Courier<String> courier(Scripted channel, Duration rejectedRetry) {
    AnnounceSettings settings =
        AnnounceSettings.defaults()
            .withRetry(Duration.ofMillis(20), Duration.ofMillis(80), rejectedRetry);
    return new Courier<>(
        channel,
        executor,
        settings,
        new Courier.Problems() {
          @Override
          public void persistent(EnvironmentRef env, String name, String reason) {
            problems.add(reason);
          }

          @Override
          public void recovered(EnvironmentRef env, String name) {
            problems.add("recovered");
          }
        });
  }

  private static Announcement phase(Phase phase) {
    return new Announcement(
        ENV,
        "acme/dags",
        "ns",
        "feature/x",
        "sha",
        "me",
        phase,
        "m",
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        phase == Phase.Terminating,
        null,
        null,
        null,
        true,
        null);
  }

  @Test
  void theSameTargetIsDeliveredOnceAndTheLatestWinsWhileOneIsRunning() {
    Scripted channel = new Scripted();
    Courier<String> courier = courier(channel);
    channel.gate = new CountDownLatch(1);
    courier.offer(phase(Phase.Provisioning));
    await().until(() -> !courier.idle(ENV));
    // While Provisioning is being delivered, three more passes: only the last counts.
    courier.offer(phase(Phase.Provisioning));
    courier.offer(phase(Phase.Degraded));
    courier.offer(phase(Phase.Ready));
    channel.gate.countDown();
    await().until(() -> courier.idle(ENV) && channel.delivered.size() == 2);
    courier.offer(phase(Phase.Ready));
    courier.offer(phase(Phase.Pending));

    await().until(() -> courier.idle(ENV));
    assertThat(channel.delivered).containsExactly("Provisioning", "Ready");
  }

  @Test
  void aTargetThatComesBackToWhatWasDeliveredIsNotSentAgain() {
    Scripted channel = new Scripted();
    Courier<String> courier = courier(channel);
    courier.offer(phase(Phase.Ready));
    await().until(() -> courier.idle(ENV) && channel.delivered.size() == 1);
    channel.gate = new CountDownLatch(1);
    courier.offer(phase(Phase.Degraded));
    await().until(() -> !courier.idle(ENV));
    courier.offer(phase(Phase.Provisioning));
    courier.offer(phase(Phase.Ready));
    channel.gate.countDown();

    await().until(() -> courier.idle(ENV));
    assertThat(channel.delivered).containsExactly("Ready", "Degraded", "Ready");
  }

  @Test
  void passingFailuresAreRetriedWithBackOffAndReportedOnceThenRecovered() {
    Scripted channel = new Scripted();
    for (int i = 0; i < 5; i++) {
      channel.outcomes.add(new Outcome.Retry("GitHub answered 500"));
    }
    Courier<String> courier = courier(channel);
    courier.offer(phase(Phase.Ready));

    await().until(() -> channel.delivered.size() == 6 && courier.idle(ENV));
    assertThat(channel.delivered).containsOnly("Ready");
    assertThat(problems).containsExactly("GitHub answered 500", "recovered");
    assertThat(courier.backoff(1)).isEqualTo(Duration.ofMillis(20));
    assertThat(courier.backoff(2)).isEqualTo(Duration.ofMillis(40));
    assertThat(courier.backoff(30)).isEqualTo(Duration.ofMillis(80));
  }

  @Test
  void aRateLimitIsWaitedOutEvenWhenNewTargetsArrive() {
    Scripted channel = new Scripted();
    channel.outcomes.add(new Outcome.Retry(Duration.ofHours(1), "rate limited"));
    Courier<String> courier = courier(channel);
    courier.offer(phase(Phase.Provisioning));
    await().until(() -> channel.delivered.size() == 1 && problems.contains("rate limited"));

    courier.offer(phase(Phase.Ready));

    // Not sent now: the retry an hour away will carry Ready.
    assertThat(courier.idle(ENV)).isFalse();
    assertThat(channel.delivered).containsExactly("Provisioning");
  }

  @Test
  void aPacedPartIsDeliveredAgainAfterItsWaitWithoutReportingAProblem() {
    Scripted channel = new Scripted();
    channel.outcomes.add(new Outcome.Later(Duration.ofMillis(50)));
    Courier<String> courier = courier(channel);
    courier.offer(phase(Phase.Ready));

    await().until(() -> channel.delivered.size() == 2 && courier.idle(ENV));
    assertThat(channel.delivered).containsExactly("Ready", "Ready");
    assertThat(problems).isEmpty();
  }

  @Test
  void aNewTargetDoesNotWaitForAPacedPart() {
    Scripted channel = new Scripted();
    channel.outcomes.add(new Outcome.Later(Duration.ofHours(1)));
    Courier<String> courier = courier(channel);
    courier.offer(phase(Phase.Provisioning));
    await().until(() -> channel.delivered.size() == 1 && !courier.idle(ENV));

    courier.offer(phase(Phase.Ready));

    await().until(() -> channel.delivered.size() == 2 && courier.idle(ENV));
    assertThat(channel.delivered).containsExactly("Provisioning", "Ready");
    assertThat(problems).isEmpty();
  }

  @Test
  void aRefusalIsReportedOnceAndNotHammeredButANewTargetIsTriedAtOnce() {
    Scripted channel = new Scripted();
    channel.outcomes.add(new Outcome.Rejected("bad token"));
    // A refusal is retried only after an hour: nothing in this test may bring it back.
    Courier<String> courier = courier(channel, Duration.ofHours(1));
    courier.offer(phase(Phase.Provisioning));
    await().until(() -> channel.delivered.size() == 1);
    courier.offer(phase(Phase.Provisioning));
    assertThat(channel.delivered).hasSize(1);
    assertThat(problems).containsExactly("bad token");

    courier.offer(phase(Phase.Ready));
    await().until(() -> channel.delivered.size() == 2 && courier.idle(ENV));
    assertThat(channel.delivered).containsExactly("Provisioning", "Ready");
    assertThat(problems).containsExactly("bad token", "recovered");
  }

  @Test
  void aRefusedTargetIsTriedAgainAfterTheRejectedRetryPause() {
    Scripted channel = new Scripted();
    channel.outcomes.add(new Outcome.Rejected("bad token"));
    Courier<String> courier = courier(channel, Duration.ofMillis(300));
    courier.offer(phase(Phase.Provisioning));
    await().until(() -> channel.delivered.size() == 2 && courier.idle(ENV));
    assertThat(channel.delivered).containsExactly("Provisioning", "Provisioning");
    assertThat(problems).containsExactly("bad token", "recovered");
  }

  @Test
  void theLastTargetOfARemovedEnvironmentIsForgottenOnceDelivered() {
    Scripted channel = new Scripted();
    Courier<String> courier = courier(channel);
    courier.offer(phase(Phase.Ready));
    courier.offer(phase(Phase.Terminating));
    await().until(() -> channel.forgotten.contains("env"));
    assertThat(channel.delivered).endsWith("removed");

    // The Cleaner announces the removal on each of its passes: done once is done.
    courier.offer(phase(Phase.Terminating));
    assertThat(courier.idle(ENV)).isTrue();
    assertThat(channel.delivered).containsOnlyOnce("removed");
  }
}
