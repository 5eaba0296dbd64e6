package io.branchflow.operator.environment;

import io.branchflow.api.Labels;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentStatus;
import io.branchflow.operator.status.Conditions;

/**
 * Condition {@code ProductionData}: which production Secrets an environment got, and which it did
 * not because their owners never opted in. Names only, never a value. The environment still runs
 * without them (DAGs that need the data fail on their own), so this is a condition, not a phase.
 */
final class ProductionDataCondition {

  static final String TYPE = "ProductionData";
  static final String NOT_OPTED_IN = "ProductionDataNotOptedIn";

  private ProductionDataCondition() {}

  /** Adds the condition to {@code status} when the repository names any production Secret. */
  static void add(
      WorkflowEnvironment env, References refs, WorkflowEnvironmentStatus status, String now) {
    if (refs.productionSecrets().isEmpty() && refs.notOptedIn().isEmpty()) {
      return;
    }
    String ns = env.getMetadata().getNamespace();
    Conditions condition = EnvironmentConditions.of(env, now);
    if (refs.notOptedIn().isEmpty()) {
      condition.set(
          TYPE,
          true,
          "Copied",
          "copied: "
              + String.join(
                  ", ",
                  refs.productionSecrets().stream().map(s -> s.getMetadata().getName()).toList()));
    } else {
      String label = Labels.PRODUCTION_DATA + "=" + Labels.PRODUCTION_DATA_READ_ONLY;
      condition.set(
          TYPE,
          false,
          NOT_OPTED_IN,
          "not copied, the Secret lacks the label "
              + label
              + " by which its owner lets branch code read it: "
              + String.join(", ", refs.notOptedIn().stream().map(name -> ns + "/" + name).toList())
              + " (to opt in: `kubectl label secret "
              + String.join(" ", refs.notOptedIn())
              + " -n "
              + ns
              + " "
              + label
              + "`)");
    }
    status.setConditions(condition.appendTo(status.getConditions()));
  }
}
