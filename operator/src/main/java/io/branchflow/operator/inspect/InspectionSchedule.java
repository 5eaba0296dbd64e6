package io.branchflow.operator.inspect;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When to ask an environment's Airflow again, and what it said last. Often while there is something
 * to learn, rarely when there is not, ever more rarely when it does not answer:
 *
 * <ul>
 *   <li>a new push: at the next {@link #TICK};
 *   <li>after Airflow moved to the last push: again in {@link #SETTLE}, for that commit's import
 *       errors (its files are parsed one after the other);
 *   <li>while Airflow runs an older commit than the last push: every {@link #CATCHING_UP} (it
 *       fetches the branch every gitSync.periodSeconds);
 *   <li>once it runs the last push: every {@link #STEADY} (a DAG file may still start or stop
 *       importing on a re-parse, e.g. a Variable it reads changed);
 *   <li>after no answer: a back-off from {@link #FIRST_RETRY} doubling to {@link #LAST_RETRY}.
 * </ul>
 *
 * In memory only: a restarted operator asks every environment once again.
 */
final class InspectionSchedule {

  static final Duration TICK = Duration.ofSeconds(5);
  static final Duration SETTLE = Duration.ofSeconds(2);
  static final Duration CATCHING_UP = Duration.ofSeconds(5);
  static final Duration STEADY = Duration.ofSeconds(30);
  static final Duration FIRST_RETRY = Duration.ofSeconds(10);
  static final Duration LAST_RETRY = Duration.ofMinutes(5);

  private record Entry(String pushed, Instant next, Duration backoff, AirflowObservation last) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Clock clock;

  InspectionSchedule(Clock clock) {
    this.clock = clock;
  }

  /** Whether to ask now; {@code pushed} is the environment's spec.commitSha (may be null). */
  boolean due(String environment, String pushed) {
    return delay(environment, pushed).isZero();
  }

  /** How long until {@link #due}, at most {@link #TICK}: a push is noticed within a tick. */
  Duration delay(String environment, String pushed) {
    Entry e = entries.get(environment);
    if (e == null || !Objects.equals(e.pushed(), pushed)) {
      return Duration.ZERO;
    }
    Duration left = Duration.between(clock.instant(), e.next());
    if (left.isNegative()) {
      return Duration.ZERO;
    }
    return left.compareTo(TICK) > 0 ? TICK : left;
  }

  /** Records what Airflow said for {@code pushed}; returns how long until it is asked again. */
  Duration answered(String environment, String pushed, AirflowObservation observation) {
    Duration wait;
    Duration backoff = null;
    if (!observation.answered()) {
      Entry previous = entries.get(environment);
      backoff =
          previous == null || previous.backoff() == null
              ? FIRST_RETRY
              : min(previous.backoff().multipliedBy(2), LAST_RETRY);
      wait = backoff;
    } else if (pushed != null && !pushed.equals(observation.revision())) {
      wait = CATCHING_UP;
    } else if (observation.imports() == null) {
      wait = SETTLE;
    } else {
      wait = STEADY;
    }
    entries.put(environment, new Entry(pushed, clock.instant().plus(wait), backoff, observation));
    return wait;
  }

  /** What Airflow said last (for any push), or null when it was never asked. */
  AirflowObservation last(String environment) {
    Entry e = entries.get(environment);
    return e == null ? null : e.last();
  }

  void forget(String environment) {
    entries.remove(environment);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
