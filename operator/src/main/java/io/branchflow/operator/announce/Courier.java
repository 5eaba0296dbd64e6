package io.branchflow.operator.announce;

import io.branchflow.operator.config.AnnounceSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Delivers one channel's targets off the reconciler's threads: per environment, only the latest
 * target counts (a newer one replaces one still waiting), one delivery at a time, failures retried
 * with exponential back-off (never sooner than a rate limit asks), refusals retried only much later
 * or when the target changes. Nothing here ever blocks the caller of {@link #offer}.
 */
public final class Courier<T> {

  /** Told when delivering for an environment keeps failing, and when it works again. */
  public interface Problems {
    void persistent(EnvironmentRef environment, String channel, String reason);

    void recovered(EnvironmentRef environment, String channel);
  }

  /** Consecutive passing failures before the user is told (rate limits and refusals: at once). */
  static final int FAILURES_BEFORE_REPORT = 3;

  /** A removed environment's last report is given up after this many failures. */
  static final int FINAL_ATTEMPTS = 10;

  private static final Logger LOG = Logger.getLogger(Courier.class);

  private final Channel<T> channel;
  private final ScheduledExecutorService executor;
  private final AnnounceSettings settings;
  private final Problems problems;
  private final Map<EnvironmentRef, Entry<T>> entries = new ConcurrentHashMap<>();

  /**
   * Environments whose last report is done (or given up), so the Cleaner's further passes, which
   * announce the removal again, do not repeat it. Keyed by UID too: a new environment of the same
   * name is announced afresh. Forgotten after {@link #FINISHED_MEMORY}.
   */
  private final Map<EnvironmentRef, Instant> finished = new ConcurrentHashMap<>();

  static final Duration FINISHED_MEMORY = Duration.ofHours(1);

  public Courier(
      Channel<T> channel,
      ScheduledExecutorService executor,
      AnnounceSettings settings,
      Problems problems) {
    this.channel = channel;
    this.executor = executor;
    this.settings = settings;
    this.problems = problems;
  }

  private static final class Entry<T> {
    T latest;
    T delivered;
    boolean running;
    boolean rejected;
    boolean waiting;
    boolean closed;
    int failures;
    String reported;
    ScheduledFuture<?> pending;
  }

  /** Hands over what the service should show; returns at once. */
  public void offer(Announcement announcement) {
    Optional<T> target = channel.target(announcement);
    if (target.isEmpty()) {
      return;
    }
    EnvironmentRef key = announcement.environment();
    if (channel.isFinal(target.get()) && finished.containsKey(key)) {
      return;
    }
    while (true) {
      Entry<T> entry = entries.computeIfAbsent(key, k -> new Entry<>());
      synchronized (entry) {
        if (entry.closed) {
          continue;
        }
        if (target.get().equals(entry.latest)) {
          return;
        }
        entry.latest = target.get();
        if (entry.running) {
          return; // picked up when the running delivery ends
        }
        if (entry.pending != null && !entry.rejected && !entry.waiting) {
          return; // backing off (perhaps from a rate limit): the retry takes the latest target
        }
        schedule(key, entry, Duration.ZERO);
        return;
      }
    }
  }

  /** Whether nothing is waiting or running for the environment (for tests). */
  boolean idle(EnvironmentRef key) {
    Entry<T> entry = entries.get(key);
    if (entry == null) {
      return true;
    }
    synchronized (entry) {
      return !entry.running && entry.pending == null;
    }
  }

  private void schedule(EnvironmentRef key, Entry<T> entry, Duration delay) {
    if (entry.pending != null) {
      entry.pending.cancel(false);
    }
    try {
      entry.pending =
          executor.schedule(() -> run(key, entry), delay.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      entry.pending = null; // shutting down
    }
  }

  private void run(EnvironmentRef key, Entry<T> entry) {
    T target;
    synchronized (entry) {
      entry.pending = null;
      entry.waiting = false;
      if (entry.closed || entry.running) {
        return;
      }
      target = entry.latest;
      if (target.equals(entry.delivered)) {
        return; // superseded by a target that came back to what the service already shows
      }
      entry.running = true;
    }
    Outcome outcome;
    try {
      outcome = channel.deliver(key, target);
    } catch (RuntimeException e) {
      // A bug or an unexpected client error must not kill the loop; treated as passing.
      LOG.warnf(e, "%s report for %s failed unexpectedly", channel.name(), key);
      outcome = new Outcome.Retry(e.getClass().getSimpleName());
    }
    String report = null;
    boolean recovered = false;
    synchronized (entry) {
      entry.running = false;
      boolean changed = !Objects.equals(target, entry.latest);
      if (outcome instanceof Outcome.Done) {
        entry.delivered = target;
        recovered = entry.reported != null;
        entry.failures = 0;
        entry.reported = null;
        entry.rejected = false;
        if (changed) {
          schedule(key, entry, Duration.ZERO);
        } else if (channel.isFinal(target)) {
          close(key, entry);
        }
      } else if (outcome instanceof Outcome.Later later) {
        // Delivered but for a paced part: the same target again later, a new one at once.
        recovered = entry.reported != null;
        entry.failures = 0;
        entry.reported = null;
        entry.rejected = false;
        schedule(key, entry, changed ? Duration.ZERO : later.after());
        entry.waiting = true;
      } else if (outcome instanceof Outcome.Retry retry) {
        entry.failures++;
        entry.rejected = false;
        Duration delay = max(retry.notBefore(), backoff(entry.failures));
        LOG.debugf(
            "%s report for %s: %s; retry %d in %s",
            channel.name(), key, retry.reason(), entry.failures, delay);
        boolean throttled = !retry.notBefore().isZero();
        if ((throttled || entry.failures >= FAILURES_BEFORE_REPORT)
            && !retry.reason().equals(entry.reported)) {
          report = retry.reason();
          entry.reported = report;
        }
        if (channel.isFinal(target) && entry.failures >= FINAL_ATTEMPTS && !changed) {
          LOG.infof("%s: giving up the last report for removed %s", channel.name(), key);
          close(key, entry);
        } else {
          schedule(key, entry, changed && !throttled ? Duration.ZERO : delay);
        }
      } else if (outcome instanceof Outcome.Rejected rejected) {
        entry.failures++;
        entry.rejected = true;
        if (!rejected.reason().equals(entry.reported)) {
          report = rejected.reason();
          entry.reported = report;
        }
        if (channel.isFinal(target)) {
          close(key, entry);
        } else {
          schedule(key, entry, changed ? Duration.ZERO : settings.rejectedRetry());
        }
      }
    }
    // Outside the lock: these write to the cluster.
    if (report != null) {
      LOG.warnf("%s report for %s failing: %s", channel.name(), key, report);
      problems.persistent(key, channel.name(), report);
    } else if (recovered) {
      LOG.infof("%s report for %s went through again", channel.name(), key);
      problems.recovered(key, channel.name());
    }
  }

  private void close(EnvironmentRef key, Entry<T> entry) {
    entry.closed = true;
    entries.remove(key, entry);
    channel.forget(key);
    Instant now = Instant.now();
    finished.values().removeIf(at -> at.isBefore(now.minus(FINISHED_MEMORY)));
    finished.put(key, now);
  }

  Duration backoff(int failures) {
    long factor = 1L << Math.min(failures - 1, 20);
    Duration delay = settings.retryMin().multipliedBy(factor);
    return delay.compareTo(settings.retryMax()) > 0 ? settings.retryMax() : delay;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
