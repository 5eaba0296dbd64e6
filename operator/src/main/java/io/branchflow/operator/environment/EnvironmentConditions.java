package io.branchflow.operator.environment;

import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.operator.status.Conditions;

/** The condition types of a WorkflowEnvironment, and the conditions a pass starts from. */
final class EnvironmentConditions {

  static final String DATABASE_READY = "DatabaseReady";
  static final String MIGRATION_COMPLETE = "MigrationComplete";
  static final String COMPONENTS_READY = "ComponentsReady";
  static final String READY = "Ready";
  static final String DAGS_LOADED = "DagsLoaded";
  static final String DAGS_IMPORTED = "DagsImported";
  static final String ADMITTED = "Admitted";

  private EnvironmentConditions() {}

  /** Conditions for a pass over {@code env} at {@code now}, after the ones in its status. */
  static Conditions of(WorkflowEnvironment env, String now) {
    return new Conditions(
        env.getStatus() == null ? null : env.getStatus().getConditions(),
        env.getMetadata().getGeneration(),
        now);
  }
}
