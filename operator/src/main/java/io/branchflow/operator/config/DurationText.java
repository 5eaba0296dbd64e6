package io.branchflow.operator.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The durations the CRDs take ({@code spec.resync.period}, {@code limits.ttl}). */
public final class DurationText {

  private static final Pattern DURATION = Pattern.compile("^([0-9]+(s|m|h|d))+$");
  private static final Pattern PART = Pattern.compile("([0-9]+)(s|m|h|d)");

  private DurationText() {}

  /**
   * {@code 90s}, {@code 5m}, {@code 1h30m}, {@code 7d} (the CRD's pattern); null when not that, or
   * too long for a {@link Duration}, which the pattern alone lets through.
   */
  public static Duration parse(String text) {
    if (text == null || !DURATION.matcher(text).matches()) {
      return null;
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(text);
    try {
      while (m.find()) {
        long n = Long.parseLong(m.group(1));
        total =
            total.plus(
                switch (m.group(2)) {
                  case "s" -> Duration.ofSeconds(n);
                  case "m" -> Duration.ofMinutes(n);
                  case "h" -> Duration.ofHours(n);
                  default -> Duration.ofDays(n);
                });
      }
    } catch (ArithmeticException | NumberFormatException e) {
      return null;
    }
    return total;
  }
}
