package io.branchflow.operator.environment;

import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import java.util.Optional;

/**
 * The objects an environment refers to outside its namespace, all resolved before anything is
 * created, so a missing one fails the environment cleanly instead of half-creating it.
 */
record References(List<Secret> productionSecrets, Optional<String> gitToken, List<String> missing) {

  boolean complete() {
    return missing.isEmpty();
  }
}
