package io.branchflow.operator.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.inject.Singleton;

/**
 * Two replicas are safe: one holds the Lease {@code branchflow-operator} in its own namespace and
 * reconciles, the other waits. Active in the prod profile only ({@code
 * quarkus.operator-sdk.activate-leader-election-for-profiles}); {@code make run} runs one process
 * outside any pod, where the lease namespace could not be inferred.
 */
@Singleton
public class LeaderElection extends LeaderElectionConfiguration {

  public LeaderElection() {
    super("branchflow-operator");
  }
}
