package io.branchflow.operator.config;

import java.time.Duration;

/**
 * Operator-wide settings of the branch resync ({@code branchflow.resync.*}); the period and the
 * mass-deletion guard are per repository ({@code spec.resync}).
 *
 * @param listTimeout how long one branch listing (ls-remote) may take before it counts as failed
 * @param gracePeriod an environment younger than this is never deleted by a resync, so a webhook
 *     that created it while a listing was under way always wins
 */
public record ResyncSettings(Duration listTimeout, Duration gracePeriod) {

  public static final Duration DEFAULT_LIST_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofMinutes(2);

  public ResyncSettings {
    if (listTimeout == null || listTimeout.isNegative() || listTimeout.isZero()) {
      throw new IllegalArgumentException("branchflow.resync.list-timeout must be positive");
    }
    if (gracePeriod == null || gracePeriod.isNegative()) {
      throw new IllegalArgumentException("branchflow.resync.grace-period must not be negative");
    }
  }

  public static ResyncSettings defaults() {
    return new ResyncSettings(DEFAULT_LIST_TIMEOUT, DEFAULT_GRACE_PERIOD);
  }
}
