package io.branchflow.operator.environment;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Objects;
import java.util.Optional;

/**
 * Carries out what {@link IdleSuspension} decided: one JSON merge patch of the WorkflowEnvironment
 * under the operator's field manager, setting or clearing {@code spec.suspend} together with the
 * annotation {@value IdleSuspension#ANNOTATION}, so the two never disagree. Each patch carries the
 * resourceVersion the pass read: a push or a person's edit in between fails it (409) instead of
 * being overwritten, and the next pass decides again on what they wrote.
 */
final class SuspendSwitch {

  private final KubernetesClient client;
  private final String fieldManager;

  SuspendSwitch(KubernetesClient client, String fieldManager) {
    this.client = client;
    this.fieldManager = fieldManager;
  }

  /**
   * Writes what {@code action} calls for; empty when done (or nothing to do), else why not (for the
   * condition; never a crash).
   */
  Optional<String> carryOut(WorkflowEnvironment env, IdleSuspension.Action action) {
    return switch (action) {
      case NONE -> Optional.empty();
      case SUSPEND ->
          patch(env, Objects.requireNonNullElse(env.getSpec().getCommitSha(), ""), true);
      case WAKE -> patch(env, null, false);
      case FORGET -> patch(env, null, null);
    };
  }

  /** {@code annotation} null removes it; {@code suspend} null leaves spec.suspend alone. */
  private Optional<String> patch(WorkflowEnvironment env, String annotation, Boolean suspend) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    ObjectNode metadata = patch.putObject("metadata");
    metadata.put("resourceVersion", env.getMetadata().getResourceVersion());
    // null: the merge patch removes the annotation
    metadata.putObject("annotations").put(IdleSuspension.ANNOTATION, annotation);
    if (suspend != null) {
      patch.putObject("spec").put("suspend", suspend);
    }
    try {
      client
          .resources(WorkflowEnvironment.class)
          .inNamespace(env.getMetadata().getNamespace())
          .withName(env.getMetadata().getName())
          .patch(
              new PatchContext.Builder()
                  .withPatchType(PatchType.JSON_MERGE)
                  .withFieldManager(fieldManager)
                  .build(),
              patch.toString());
      return Optional.empty();
    } catch (KubernetesClientException e) {
      return Optional.of(
          e.getCode() == 409
              ? "the environment changed while the operator decided (HTTP 409)"
              : "could not write spec.suspend (HTTP " + e.getCode() + ")");
    }
  }
}
