package io.branchflow.operator.announce;

import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.operator.announce.github.GitHubChannel;
import io.branchflow.operator.announce.slack.SlackChannel;
import io.branchflow.operator.config.AnnounceSettings;
import io.branchflow.operator.events.EventRecorder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Where the reconciler hands what it computed, for GitHub (and Slack) to show. {@link #announce}
 * returns at once: delivery happens on the announcer's own threads (two per channel), so an outside
 * service that is slow, down or rate-limiting never delays or fails a reconcile.
 */
public final class Announcer implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(Announcer.class);

  /** Per channel: a GitHub that hangs until the request timeout never delays Slack. */
  private static final int THREADS = 2;

  private final List<ScheduledExecutorService> executors = new ArrayList<>();
  private final List<Courier<?>> couriers = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  private Announcer() {}

  /** Announces nothing: for tests of the reconciler alone. */
  public static Announcer none() {
    return new Announcer();
  }

  /** GitHub deployments and Slack messages, for the repositories that configure them. */
  public static Announcer create(KubernetesClient client, AnnounceSettings settings) {
    Announcer announcer = new Announcer();
    EventRecorder events = new EventRecorder(client);
    announcer.add(new GitHubChannel(client, settings), settings, events);
    SlackChannel slack = new SlackChannel(client, settings);
    announcer.closeables.add(slack);
    announcer.add(slack, settings, events);
    return announcer;
  }

  private <T> void add(Channel<T> channel, AnnounceSettings settings, EventRecorder events) {
    ScheduledExecutorService executor =
        Executors.newScheduledThreadPool(THREADS, threads(channel.name()));
    executors.add(executor);
    couriers.add(
        new Courier<>(
            channel,
            executor,
            settings,
            new Courier.Problems() {
              @Override
              public void persistent(EnvironmentRef env, String name, String reason) {
                channel.problem(env, reason);
                event(events, env, true, name + "ReportFailing", reason);
              }

              @Override
              public void recovered(EnvironmentRef env, String name) {
                channel.problem(env, null);
                event(events, env, false, name + "ReportRecovered", name + " is up to date again");
              }
            }));
  }

  /** An Event on the environment, where `kubectl describe` shows it beside the reconciler's. */
  private static void event(
      EventRecorder events, EnvironmentRef env, boolean warning, String reason, String message) {
    events.record(
        WorkflowEnvironment.class,
        env.namespace(),
        env.name(),
        env.uid(),
        warning,
        reason,
        message);
  }

  /** Hands over the outcome of a reconcile; never blocks, never throws. */
  public void announce(Announcement announcement) {
    for (Courier<?> courier : couriers) {
      try {
        courier.offer(announcement);
      } catch (RuntimeException e) {
        LOG.warnf(e, "could not queue announcement for %s", announcement.environment());
      }
    }
  }

  /** Stops at once; what was not delivered is delivered by the next operator from the status. */
  @Override
  public void close() {
    executors.forEach(ScheduledExecutorService::shutdownNow);
    for (AutoCloseable closeable : closeables) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.debugf("closing %s: %s", closeable, e.getMessage());
      }
    }
  }

  private static ThreadFactory threads(String channel) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t =
          new Thread(
              r,
              "branchflow-"
                  + channel.toLowerCase(java.util.Locale.ROOT)
                  + "-"
                  + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
