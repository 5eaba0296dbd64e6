package io.branchflow.api.naming;

/**
 * An environment's identity in the cluster.
 *
 * @param name the WorkflowEnvironment's metadata.name and the value of the environment label
 * @param namespace the namespace that holds everything the environment runs
 */
public record EnvironmentName(String name, String namespace) {}
