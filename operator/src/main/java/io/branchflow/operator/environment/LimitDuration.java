package io.branchflow.operator.environment;

import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.operator.config.DurationText;
import java.time.Duration;

/**
 * The durations a repository's time limits ({@code limits.ttl}, {@code limits.idleAfter}) accept:
 * as the CRD spells them, from one second to {@link #MAX}. One rule for both, and one sentence for
 * the status when a value the CRD's pattern lets through is not one of them.
 */
final class LimitDuration {

  /** Longer is taken for a typo: the arithmetic would leave what an Instant holds. */
  static final Duration MAX = Duration.ofDays(3650);

  private LimitDuration() {}

  /** {@code text} as a duration; null when it is not a usable one. */
  static Duration parse(String text) {
    Duration d = DurationText.parse(text);
    return d == null || d.isZero() || d.compareTo(MAX) > 0 ? null : d;
  }

  /**
   * Why {@code value} of the repository's {@code limits.<field>} is not used, with {@code example}
   * of one that would be; the caller says what follows from it.
   */
  static String unusable(
      String field, String value, WorkflowRepository repository, String example) {
    return "limits."
        + field
        + " "
        + value
        + " of WorkflowRepository "
        + repository.getMetadata().getName()
        + " is not a duration between 1s and "
        + MAX.toDays()
        + "d (e.g. "
        + example
        + ")";
  }
}
