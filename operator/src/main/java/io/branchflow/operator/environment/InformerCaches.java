package io.branchflow.operator.environment;

import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A reconcile's view of what the informers hold ({@link EnvironmentEventSources}): reading here
 * costs no API request. The caches are pruned to what a pass reads ({@link PrunedStore}) and may
 * trail a write by a moment, which a pass tolerates: the write's own event brings the next pass.
 */
final class InformerCaches {

  private final Context<WorkflowEnvironment> context;

  InformerCaches(Context<WorkflowEnvironment> context) {
    this.context = context;
  }

  /** The cached object, if the informer for its kind holds it. */
  <R extends HasMetadata> Optional<R> get(Class<R> type, String namespace, String name) {
    return source(type).get(new ResourceID(name, namespace));
  }

  /** Every cached object of {@code type} in {@code namespace}. */
  <R extends HasMetadata> List<R> inNamespace(Class<R> type, String namespace) {
    return source(type).list(namespace, any -> true).toList();
  }

  /** Every cached object of {@code type}, in any namespace, that {@code filter} accepts. */
  <R extends HasMetadata> List<R> all(Class<R> type, Predicate<R> filter) {
    return source(type).list(filter).toList();
  }

  @SuppressWarnings("unchecked")
  private <R extends HasMetadata> InformerEventSource<R, WorkflowEnvironment> source(
      Class<R> type) {
    return (InformerEventSource<R, WorkflowEnvironment>)
        context.eventSourceRetriever().getEventSourceFor(type);
  }
}
