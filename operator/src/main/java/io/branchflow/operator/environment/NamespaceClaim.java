package io.branchflow.operator.environment;

import io.branchflow.api.Labels;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.operator.desired.EnvironmentInputs;
import io.branchflow.operator.desired.NamespaceObjects;
import io.branchflow.operator.desired.OperatorAccess;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * An environment's namespace, and nobody else's: Branchflow creates it, records its UID in {@code
 * status.namespaceUid}, touches only the namespace with that UID and deletes it with a UID
 * precondition. A namespace of the same name that Branchflow did not create (made beforehand with
 * copied labels, or deleted and made again) is refused, never adopted or deleted.
 */
final class NamespaceClaim {

  /** How long a just-created RoleBinding may take to reach the API server's authorizer. */
  private static final Duration ACCESS_PROPAGATION = Duration.ofSeconds(10);

  private final KubernetesClient client;
  private final ServerSideApplier applier;

  NamespaceClaim(KubernetesClient client, ServerSideApplier applier) {
    this.client = client;
    this.applier = applier;
  }

  /**
   * Why {@code existing} is not this environment's namespace; empty when it is, or does not exist.
   * Without a recorded UID, only a namespace this environment created in a pass that ended before
   * it could record the UID (a restart) is its own: labelled and annotated for it, created after
   * it.
   */
  static Optional<String> conflict(WorkflowEnvironment env, Namespace existing) {
    if (existing == null) {
      return Optional.empty();
    }
    String name = existing.getMetadata().getName();
    String uid = existing.getMetadata().getUid();
    String recorded = env.getStatus() == null ? null : env.getStatus().getNamespaceUid();
    if (recorded != null) {
      return recorded.equals(uid)
          ? Optional.empty()
          : Optional.of(
              "namespace "
                  + name
                  + " is not the one Branchflow created for this environment (UID "
                  + uid
                  + ", recorded "
                  + recorded
                  + "); Branchflow will not touch it: delete it, or delete and recreate the"
                  + " environment");
    }
    if (labelledFor(existing, env) && annotatedFor(existing, env)) {
      return Optional.empty();
    }
    return Optional.of(
        "namespace "
            + name
            + " exists and was not created by Branchflow for this environment; Branchflow will"
            + " not touch it: delete it or choose another branch name");
  }

  /**
   * Creates the namespace (or restores our fields on it) and, first thing inside it, the operator's
   * own access: returns the namespace, whose UID the status records.
   *
   * @param observed the namespace as the informer holds it, null if it does not
   */
  Namespace claim(EnvironmentInputs in, Namespace observed) {
    Namespace namespace = applier.applyWatched(NamespaceObjects.namespace(in), observed);
    OperatorAccess.roleBinding(in)
        .flatMap(applier::applyUnwatched)
        .filter(b -> recent(b.getMetadata().getCreationTimestamp()))
        .ifPresent(b -> awaitAccess(in.namespace()));
    return namespace;
  }

  /**
   * Asks the API server to delete namespace {@code name} only while its UID is {@code uid}: a
   * namespace replaced since we looked is left alone (the API server answers 409).
   */
  void delete(String name, String uid) {
    Map<String, Object> options =
        Map.of("apiVersion", "v1", "kind", "DeleteOptions", "preconditions", Map.of("uid", uid));
    try {
      client.raw("/api/v1/namespaces/" + name, "DELETE", options);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404 && e.getCode() != 409) {
        throw e;
      }
    }
  }

  /**
   * A RoleBinding takes effect when the API server's authorizer has seen it, a moment after it is
   * written; until then every write in the new namespace is forbidden. Waiting here for at most a
   * few seconds keeps that moment out of the status (a "forbidden" error that fixes itself).
   */
  private void awaitAccess(String namespace) {
    Instant deadline = Instant.now().plus(ACCESS_PROPAGATION);
    while (!canCreateSecrets(namespace) && Instant.now().isBefore(deadline)) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private boolean canCreateSecrets(String namespace) {
    SelfSubjectAccessReview review =
        new SelfSubjectAccessReviewBuilder()
            .withNewSpec()
            .withNewResourceAttributes()
            .withNamespace(namespace)
            .withVerb("create")
            .withResource("secrets")
            .endResourceAttributes()
            .endSpec()
            .build();
    return Boolean.TRUE.equals(
        client
            .authorization()
            .v1()
            .selfSubjectAccessReview()
            .create(review)
            .getStatus()
            .getAllowed());
  }

  private static boolean recent(String creationTimestamp) {
    return creationTimestamp != null
        && Instant.parse(creationTimestamp).isAfter(Instant.now().minus(ACCESS_PROPAGATION));
  }

  private static boolean labelledFor(Namespace namespace, WorkflowEnvironment env) {
    Map<String, String> labels = namespace.getMetadata().getLabels();
    return labels != null
        && Labels.MANAGED_BY_VALUE.equals(labels.get(Labels.MANAGED_BY))
        && env.getMetadata().getName().equals(labels.get(Labels.ENVIRONMENT))
        && env.getMetadata().getNamespace().equals(labels.get(EnvironmentInputs.OWNER_NAMESPACE));
  }

  /**
   * The environment's UID is random and assigned when it is created, so a namespace made before the
   * environment cannot carry it. (Creation times cannot tell: they are whole seconds.)
   */
  private static boolean annotatedFor(Namespace namespace, WorkflowEnvironment env) {
    Map<String, String> annotations = namespace.getMetadata().getAnnotations();
    String uid =
        annotations == null ? null : annotations.get(NamespaceObjects.ENVIRONMENT_UID_ANNOTATION);
    return uid != null && uid.equals(env.getMetadata().getUid());
  }
}
