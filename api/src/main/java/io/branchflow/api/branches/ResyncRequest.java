package io.branchflow.api.branches;

import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Asks the operator for a resync of one repository now, instead of at its next period: the
 * annotation {@value #ANNOTATION} set to the time of the request. It is how a webhook deletion
 * reaches the cluster: as a hint, which the resync confirms with the Git host (ls-remote) before it
 * deletes anything, the way Flux's Receiver only asks for a reconcile of its source. Each request
 * carries a new value, so requests arriving during a resync queue one more.
 */
public final class ResyncRequest {

  public static final String ANNOTATION = "branchflow.io/resync-requested-at";

  private ResyncRequest() {}

  /**
   * Annotates {@code repository} with {@code at} (a merge patch: no conflict with status writes).
   */
  public static void request(KubernetesClient client, WorkflowRepository repository, Instant at) {
    client
        .resources(WorkflowRepository.class)
        .inNamespace(repository.getMetadata().getNamespace())
        .withName(repository.getMetadata().getName())
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\"" + ANNOTATION + "\":\"" + at + "\"}}}");
  }

  /** The value of the last request on {@code repository}, if any. */
  public static Optional<String> of(WorkflowRepository repository) {
    Map<String, String> annotations = repository.getMetadata().getAnnotations();
    return Optional.ofNullable(annotations == null ? null : annotations.get(ANNOTATION));
  }
}
