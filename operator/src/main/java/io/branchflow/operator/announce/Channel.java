package io.branchflow.operator.announce;

import java.util.Optional;

/**
 * One outside service environments are announced to. A channel turns an {@link Announcement} into a
 * target (what the service should show), then brings the service there step by step, recording each
 * step in the environment's status so no step is repeated after a restart.
 *
 * @param <T> what the service should show for one environment; equal targets are delivered once
 */
public interface Channel<T> {

  /** Short name for logs and Events, e.g. {@code GitHub}. */
  String name();

  /**
   * What the service should show after this announcement; empty when this channel has nothing to do
   * for it (not configured for the repository). May remember what the announcement says was
   * recorded before, the first time it sees the environment.
   */
  Optional<T> target(Announcement announcement);

  /** Brings the service to {@code target}; called on the reporter's threads, one at a time. */
  Outcome deliver(EnvironmentRef environment, T target);

  /** Whether {@code target} is the last one (the environment is gone once it is delivered). */
  boolean isFinal(T target);

  /** Records (or clears, with null) why delivering keeps failing, for the user to see. */
  void problem(EnvironmentRef environment, String reason);

  /** Drops what was remembered about the environment. */
  void forget(EnvironmentRef environment);
}
