package io.branchflow.operator.repository;

import io.branchflow.api.v1alpha1.ResyncPolicy;
import io.branchflow.operator.config.DurationText;
import java.time.Duration;

/** A repository's {@code spec.resync}, with the CRD's defaults when a field is absent. */
record ResyncPolicies(Duration period, int maxDeletionPercent) {

  static final Duration DEFAULT_PERIOD = Duration.ofMinutes(5);
  static final int DEFAULT_MAX_DELETION_PERCENT = 50;

  /** Never list more often than this, whatever the spec says ("0s" would spin). */
  static final Duration MIN_PERIOD = Duration.ofSeconds(1);

  static ResyncPolicies of(ResyncPolicy spec) {
    Duration period = spec == null ? null : parse(spec.getPeriod());
    Integer percent = spec == null ? null : spec.getMaxDeletionPercent();
    return new ResyncPolicies(
        period == null ? DEFAULT_PERIOD : period.compareTo(MIN_PERIOD) < 0 ? MIN_PERIOD : period,
        percent == null ? DEFAULT_MAX_DELETION_PERCENT : Math.max(0, Math.min(100, percent)));
  }

  /** {@code 90s}, {@code 5m}, {@code 1h30m}, {@code 7d} (the CRD's pattern); null when not that. */
  static Duration parse(String text) {
    return DurationText.parse(text);
  }
}
