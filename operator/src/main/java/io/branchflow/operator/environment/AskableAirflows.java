package io.branchflow.operator.environment;

import io.branchflow.api.v1alpha1.ConditionStatus;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.operator.desired.EnvironmentInputs;
import io.branchflow.operator.desired.ResolvedTemplate;
import io.branchflow.operator.inspect.AirflowTargets;
import io.branchflow.operator.status.Conditions;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which environments' Airflow the poller may ask: an Airflow 3 whose components the last pass found
 * ready (condition ComponentsReady, which is False while suspended), not being deleted. Read from
 * the cached environment and repository only. Their activity (DAG runs, the event log) is asked
 * only of environments whose repository sets limits.idleAfter.
 */
final class AskableAirflows implements AirflowTargets {

  private final Function<ResourceID, Optional<WorkflowRepository>> repositories;

  AskableAirflows(Function<ResourceID, Optional<WorkflowRepository>> repositories) {
    this.repositories = repositories;
  }

  @Override
  public boolean worthPolling(WorkflowEnvironment env) {
    if (env.getMetadata().getDeletionTimestamp() != null || env.getStatus() == null) {
      return false;
    }
    return Conditions.find(env.getStatus().getConditions(), EnvironmentConditions.COMPONENTS_READY)
        .filter(c -> c.getStatus() == ConditionStatus.True)
        .isPresent();
  }

  @Override
  public Optional<Target> toAsk(WorkflowEnvironment env) {
    if (!worthPolling(env)) {
      return Optional.empty();
    }
    WorkflowRepository repository =
        repositories
            .apply(
                new ResourceID(env.getSpec().getRepositoryRef(), env.getMetadata().getNamespace()))
            .orElse(null);
    if (repository == null) {
      return Optional.empty();
    }
    ResolvedTemplate template = ResolvedTemplate.of(repository, env);
    if (!template.airflow3()) {
      return Optional.empty();
    }
    return Optional.of(
        new Target(
            EnvironmentInputs.namespaceOf(env),
            template.dagsPath(),
            // Only limits.idleAfter needs to know what happens inside: two more GETs.
            IdleSuspension.idleAfterOf(repository) != null));
  }
}
