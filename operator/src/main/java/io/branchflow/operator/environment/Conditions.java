package io.branchflow.operator.environment;

import io.branchflow.api.v1alpha1.Condition;
import io.branchflow.api.v1alpha1.ConditionStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds a condition list that keeps lastTransitionTime when a condition's status holds; used for
 * WorkflowEnvironments and WorkflowRepositories alike.
 */
public final class Conditions {

  static final String DATABASE_READY = "DatabaseReady";
  static final String MIGRATION_COMPLETE = "MigrationComplete";
  static final String COMPONENTS_READY = "ComponentsReady";
  static final String READY = "Ready";
  static final String DAGS_LOADED = "DagsLoaded";
  static final String ADMITTED = "Admitted";

  private final List<Condition> previous;
  private final long generation;
  private final String now;
  private final List<Condition> next = new ArrayList<>();

  public Conditions(List<Condition> previous, long generation, String now) {
    this.previous = previous == null ? List.of() : previous;
    this.generation = generation;
    this.now = now;
  }

  public Conditions set(String type, boolean status, String reason, String message) {
    return set(type, status ? ConditionStatus.True : ConditionStatus.False, reason, message);
  }

  /** A condition whose truth is not known (Kubernetes' "Unknown"). */
  public Conditions unknown(String type, String reason, String message) {
    return set(type, ConditionStatus.Unknown, reason, message);
  }

  private Conditions set(String type, ConditionStatus value, String reason, String message) {
    Condition condition = new Condition();
    condition.setType(type);
    condition.setStatus(value);
    condition.setReason(reason);
    condition.setMessage(message);
    condition.setObservedGeneration(generation);
    // The time it last changed: kept while the status stays the same.
    condition.setLastTransitionTime(
        previous.stream()
            .filter(c -> type.equals(c.getType()) && c.getStatus() == value)
            .map(Condition::getLastTransitionTime)
            .filter(Objects::nonNull)
            .findFirst()
            .orElse(now));
    next.add(condition);
    return this;
  }

  public List<Condition> build() {
    return List.copyOf(next);
  }
}
