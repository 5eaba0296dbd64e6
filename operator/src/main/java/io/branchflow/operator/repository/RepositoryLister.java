package io.branchflow.operator.repository;

import io.branchflow.api.v1alpha1.SecretKeyRef;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.operator.repository.BranchLister.Failed;
import io.branchflow.operator.repository.BranchLister.Listed;
import io.branchflow.operator.repository.BranchLister.Listing;
import io.branchflow.operator.secrets.SecretReader;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Lists a repository's branches, with its clone credential ({@code spec.cloneCredentialRef}) when
 * it names one. A credential that is named but missing is a failed listing: listing without it
 * could see a private repository as empty and delete every environment.
 */
final class RepositoryLister {

  private static final Logger LOG = Logger.getLogger(RepositoryLister.class);

  private final SecretReader secrets;
  private final BranchLister lister;
  private final Duration timeout;

  RepositoryLister(SecretReader secrets, BranchLister lister, Duration timeout) {
    this.secrets = secrets;
    this.lister = lister;
    this.timeout = timeout;
  }

  Listing list(WorkflowRepository repository) {
    String ns = repository.getMetadata().getNamespace();
    SecretKeyRef ref = repository.getSpec().getCloneCredentialRef();
    Optional<String> token = Optional.empty();
    if (ref != null) {
      token = SecretReader.trimmed(secrets.value(ns, ref));
      if (token.isEmpty()) {
        return new Failed(SecretReader.describe(ns, ref, "spec.cloneCredentialRef") + " not found");
      }
    }
    long start = System.nanoTime();
    Listing listing = lister.list(repository.getSpec().getCloneUrl(), token, timeout);
    LOG.debugf(
        "repository %s: ls-remote took %d ms: %s",
        repository.getMetadata().getName(),
        (System.nanoTime() - start) / 1_000_000,
        listing instanceof Listed l ? l.branches().size() + " branches" : listing);
    return listing;
  }
}
