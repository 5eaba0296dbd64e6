package io.branchflow.operator.environment;

import io.fabric8.kubernetes.api.model.Secret;
import java.util.List;
import java.util.Optional;

/**
 * The objects an environment refers to outside its namespace, all resolved before anything is
 * created, so a missing one fails the environment cleanly instead of half-creating it.
 *
 * @param productionSecrets the productionData Secrets whose owners opted in: copied
 * @param notOptedIn names of productionData Secrets without the opt-in label: not copied, reported
 * @param cloneCredential the read-only clone credential; empty: clone anonymously
 * @param missing what was named but does not exist, described for the status
 */
record References(
    List<Secret> productionSecrets,
    List<String> notOptedIn,
    Optional<String> cloneCredential,
    List<String> missing) {

  boolean complete() {
    return missing.isEmpty();
  }
}
