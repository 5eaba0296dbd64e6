package io.branchflow.operator.environment;

import io.branchflow.operator.environment.AirflowApi.LoadedRevision;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When to ask an environment's Airflow which commit it loaded: only while there is something to
 * learn, so a quiet environment costs no requests and an unreachable one (a node that does not
 * really run pods, a broken network) is asked ever more rarely instead of on every reconcile.
 *
 * <ul>
 *   <li>after an answer equal to the last push: not again until the next push;
 *   <li>after an older commit: again in {@link #CATCHING_UP} (Airflow fetches every
 *       gitSync.periodSeconds);
 *   <li>after no answer: again after a back-off from {@link #FIRST_RETRY} doubling to {@link
 *       #LAST_RETRY}.
 * </ul>
 *
 * It also remembers the last answer, which every pass between two questions reports: a pass may
 * start from a cached environment older than the status the last answer wrote, so that status
 * cannot be what it carries forward. In memory only: after an operator restart every environment is
 * asked once again.
 */
final class LoadedRevisionSchedule {

  static final Duration CATCHING_UP = Duration.ofSeconds(10);
  static final Duration FIRST_RETRY = Duration.ofSeconds(30);
  static final Duration LAST_RETRY = Duration.ofMinutes(5);

  private record Entry(
      String pushed, boolean settled, Instant next, Duration backoff, LoadedRevision answer) {}

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Clock clock;

  LoadedRevisionSchedule(Clock clock) {
    this.clock = clock;
  }

  /** Whether to ask now; {@code pushed} is the environment's spec.commitSha (may be null). */
  boolean due(String environment, String pushed) {
    Duration left = dueIn(environment, pushed);
    return left != null && left.isZero();
  }

  /** How long until {@link #due} turns true; null when only a new push will make it. */
  Duration dueIn(String environment, String pushed) {
    Entry e = entries.get(environment);
    if (e == null || !Objects.equals(e.pushed(), pushed)) {
      return Duration.ZERO;
    }
    if (e.settled()) {
      return null;
    }
    Duration left = Duration.between(clock.instant(), e.next());
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** Records an answer; returns how long until the next question, or null for none. */
  Duration answered(String environment, String pushed, LoadedRevision answer) {
    Instant now = clock.instant();
    if (answer.sha() == null) {
      Entry previous = entries.get(environment);
      Duration backoff =
          previous == null
                  || previous.backoff() == null
                  || !Objects.equals(previous.pushed(), pushed)
              ? FIRST_RETRY
              : min(previous.backoff().multipliedBy(2), LAST_RETRY);
      entries.put(environment, new Entry(pushed, false, now.plus(backoff), backoff, answer));
      return backoff;
    }
    if (pushed == null || pushed.equals(answer.sha())) {
      entries.put(environment, new Entry(pushed, true, null, null, answer));
      return null;
    }
    entries.put(environment, new Entry(pushed, false, now.plus(CATCHING_UP), null, answer));
    return CATCHING_UP;
  }

  /** The last answer for this push, or null when there is none (never asked, or a new push). */
  LoadedRevision lastAnswer(String environment, String pushed) {
    Entry e = entries.get(environment);
    return e == null || !Objects.equals(e.pushed(), pushed) ? null : e.answer();
  }

  void forget(String environment) {
    entries.remove(environment);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
