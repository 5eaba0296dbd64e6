package io.branchflow.operator.status;

import io.branchflow.api.v1alpha1.Condition;
import io.branchflow.api.v1alpha1.ConditionStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the conditions one pass writes, keeping lastTransitionTime when a condition's status
 * holds; used for WorkflowEnvironments and WorkflowRepositories alike.
 */
public final class Conditions {

  private final List<Condition> previous;
  private final long generation;
  private final String now;
  private final List<Condition> next = new ArrayList<>();

  /**
   * @param previous the conditions in the status now (null: none)
   * @param generation the generation this pass saw (null: 0)
   * @param now the time a condition that changes status gets as lastTransitionTime
   */
  public Conditions(List<Condition> previous, Long generation, String now) {
    this.previous = previous == null ? List.of() : previous;
    this.generation = generation == null ? 0 : generation;
    this.now = now;
  }

  public Conditions set(String type, boolean status, String reason, String message) {
    return set(type, status ? ConditionStatus.True : ConditionStatus.False, reason, message);
  }

  /** A condition whose truth is not known (Kubernetes' "Unknown"). */
  public Conditions unknown(String type, String reason, String message) {
    return set(type, ConditionStatus.Unknown, reason, message);
  }

  /** Carries a condition over unchanged, when this pass learned nothing new about it. */
  public Conditions keep(String type) {
    previous(type).ifPresent(c -> set(type, c.getStatus(), c.getReason(), c.getMessage()));
    return this;
  }

  /** The condition of {@code type} as it was before this pass. */
  public Optional<Condition> previous(String type) {
    return find(previous, type);
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

  /** {@code existing} (null: none), then the conditions set here. */
  public List<Condition> appendTo(List<Condition> existing) {
    List<Condition> all = new ArrayList<>(existing == null ? List.of() : existing);
    all.addAll(next);
    return List.copyOf(all);
  }

  /**
   * The conditions set here, then the previous ones of any type not in {@code own}: conditions
   * someone else (another controller, a person) set stay untouched.
   */
  public List<Condition> buildKeepingOthers(Set<String> own) {
    List<Condition> all = new ArrayList<>(next);
    previous.stream().filter(c -> !own.contains(c.getType())).forEach(all::add);
    return List.copyOf(all);
  }

  /** The condition of {@code type} in {@code conditions} (null: none). */
  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
