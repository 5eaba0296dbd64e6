package io.branchflow.operator.environment;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** A time the status recorded (the limits' clocks), read back. */
final class RecordedTime {

  private RecordedTime() {}

  /** Null when absent, or edited by hand into something that is not an RFC 3339 instant. */
  static Instant parse(String recorded) {
    try {
      return recorded == null ? null : Instant.parse(recorded);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
