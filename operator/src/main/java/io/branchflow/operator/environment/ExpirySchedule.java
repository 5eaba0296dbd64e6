package io.branchflow.operator.environment;

import java.time.Duration;
import java.time.Instant;

/**
 * {@code limits.ttl} as arithmetic: when the warning is due and when the environment goes, from the
 * last push and from when (if) the warning went out. Pure, so every rule is a unit test.
 *
 * <p>An environment is never removed sooner than the warning's lead after the warning: a TTL set or
 * shortened on old environments, or an operator that was down at the warning time, warns first and
 * removes a lead later instead of removing at once without notice.
 */
record ExpirySchedule(Duration ttl) {

  /** How long before the removal the warning goes out, for TTLs of two hours or more. */
  static final Duration WARNING_LEAD = Duration.ofHours(1);

  /** What a pass does next. */
  sealed interface Step {}

  /** Nothing yet: come back after {@code delay}. */
  record Wait(Duration delay) implements Step {}

  /** Warn now; the environment goes at {@code removeAt}. */
  record Warn(Instant removeAt) implements Step {}

  /** Remove it now. */
  record Remove() implements Step {}

  /** The schedule for {@code ttl} as the CRD spells it; null when it is not a usable duration. */
  static ExpirySchedule parse(String ttl) {
    Duration d = LimitDuration.parse(ttl);
    return d == null ? null : new ExpirySchedule(d);
  }

  /** An hour before the removal, or half the TTL when the TTL is under two hours. */
  Duration lead() {
    return ttl.compareTo(WARNING_LEAD.multipliedBy(2)) < 0 ? ttl.dividedBy(2) : WARNING_LEAD;
  }

  Instant warnAt(Instant pushedAt) {
    return pushedAt.plus(ttl).minus(lead());
  }

  /**
   * The TTL after the push, but not sooner than the lead after the warning (when there was one).
   */
  Instant removeAt(Instant pushedAt, Instant warnedAt) {
    Instant due = pushedAt.plus(ttl);
    if (warnedAt == null) {
      return due;
    }
    Instant notBefore = warnedAt.plus(lead());
    return notBefore.isAfter(due) ? notBefore : due;
  }

  Step next(Instant pushedAt, Instant warnedAt, Instant now) {
    if (warnedAt == null) {
      Instant warnAt = warnAt(pushedAt);
      return now.isBefore(warnAt)
          ? new Wait(Duration.between(now, warnAt))
          : new Warn(removeAt(pushedAt, now));
    }
    Instant removeAt = removeAt(pushedAt, warnedAt);
    return now.isBefore(removeAt) ? new Wait(Duration.between(now, removeAt)) : new Remove();
  }
}
