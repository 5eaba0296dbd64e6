package io.branchflow.operator.environment;

import io.branchflow.api.naming.EnvironmentNames;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.operator.config.CloneUrlPolicy;
import io.branchflow.operator.config.OperatorSettings;
import io.branchflow.operator.desired.EnvironmentInputs;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/**
 * The first step of a pass: what must hold before anything is created for an environment. A name
 * whose namespace fits, its repository, a clone URL it may use, a namespace of that name that is
 * not someone else's, and every object the repository refers to. Checked in that order; the first
 * that fails is the reason the environment fails, and nothing is created.
 */
final class EnvironmentPrerequisites {

  private static final int MAX_NAME_LENGTH =
      EnvironmentNames.MAX_LENGTH - EnvironmentNames.NAMESPACE_PREFIX.length();

  private final KubernetesClient client;
  private final OperatorSettings settings;
  private final ReferenceResolver references;

  EnvironmentPrerequisites(KubernetesClient client, OperatorSettings settings) {
    this.client = client;
    this.settings = settings;
    this.references = new ReferenceResolver(client);
  }

  /** What the check found. */
  sealed interface Result permits Unmet, Met {}

  /**
   * One prerequisite does not hold.
   *
   * @param repository the environment's repository; null when the check did not find it
   * @param reason the condition reason, e.g. {@code RepositoryNotFound}
   * @param message what is wrong and how to fix it, for the status
   */
  record Unmet(WorkflowRepository repository, String reason, String message) implements Result {}

  /**
   * Everything holds: what the rest of the pass works from.
   *
   * @param observed the namespace of that name as it is now; null while it does not exist
   */
  record Met(
      WorkflowRepository repository, Namespace observed, References refs, EnvironmentInputs in)
      implements Result {}

  Result check(WorkflowEnvironment env, InformerCaches caches) {
    if (env.getMetadata().getName().length() > MAX_NAME_LENGTH) {
      return new Unmet(
          null,
          "NameTooLong",
          "the name must be at most " + MAX_NAME_LENGTH + " characters so its namespace fits 63");
    }
    WorkflowRepository repository =
        caches
            .get(
                WorkflowRepository.class,
                env.getMetadata().getNamespace(),
                env.getSpec().getRepositoryRef())
            // Not cached (created a moment ago, or really absent): ask.
            .orElseGet(
                () ->
                    client
                        .resources(WorkflowRepository.class)
                        .inNamespace(env.getMetadata().getNamespace())
                        .withName(env.getSpec().getRepositoryRef())
                        .get());
    if (repository == null) {
      return new Unmet(
          null,
          "RepositoryNotFound",
          "WorkflowRepository "
              + env.getSpec().getRepositoryRef()
              + " not found in namespace "
              + env.getMetadata().getNamespace()
              + "; create it or fix spec.repositoryRef");
    }
    Optional<String> insecure =
        CloneUrlPolicy.problem(repository.getSpec().getCloneUrl(), settings.plainHttpGitHosts());
    if (insecure.isPresent()) {
      return new Unmet(repository, "InsecureCloneUrl", insecure.get());
    }
    String namespace = EnvironmentInputs.namespaceOf(env);
    // The informer holds our namespaces (by label); one without our labels is asked for.
    Namespace observed =
        caches
            .get(Namespace.class, null, namespace)
            .orElseGet(() -> client.namespaces().withName(namespace).get());
    Optional<String> notOurs = NamespaceClaim.conflict(env, observed);
    if (notOurs.isPresent()) {
      return new Unmet(repository, "NamespaceConflict", notOurs.get());
    }
    References refs = references.resolve(repository);
    if (!refs.complete()) {
      return new Unmet(
          repository,
          "ReferenceNotFound",
          "missing "
              + String.join(", ", refs.missing())
              + "; create it and the environment continues");
    }
    return new Met(repository, observed, refs, EnvironmentInputs.of(env, repository, settings));
  }
}
