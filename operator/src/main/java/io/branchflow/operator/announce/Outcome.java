package io.branchflow.operator.announce;

import java.time.Duration;

/** How one delivery attempt to an outside service ended. */
public sealed interface Outcome {

  /** The service now shows what was asked. */
  record Done() implements Outcome {}

  /**
   * A passing problem (timeout, 5xx, rate limit): try again, not before {@code notBefore}.
   *
   * @param reason short and human, never a secret
   */
  record Retry(java.time.Duration notBefore, String reason) implements Outcome {
    public Retry(String reason) {
      this(Duration.ZERO, reason);
    }
  }

  /**
   * The service refused for good (bad token, unknown repository or channel): retrying at once would
   * change nothing, so it is reported to the user and tried again only much later or when something
   * changes.
   */
  record Rejected(String reason) implements Outcome {}

  /**
   * The service shows what may be shown now; a part the channel paces itself (a reply it sends at
   * most so often) waits: deliver the same target again after {@code after}, or at once when a new
   * target comes. Not a failure: nothing is reported.
   */
  record Later(Duration after) implements Outcome {}

  Outcome DONE = new Done();
}
