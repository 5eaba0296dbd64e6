package io.branchflow.operator.environment;

import io.branchflow.api.v1alpha1.DagImportError;
import io.branchflow.api.v1alpha1.DagImports;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentStatus;
import io.branchflow.operator.inspect.AirflowObservation;
import io.branchflow.operator.inspect.ImportErrors;
import io.branchflow.operator.status.Conditions;
import io.branchflow.operator.status.DagImportSummary;

/**
 * Condition DagsImported and {@code status.dags}: whether every DAG file of the commit Airflow
 * loaded imports, the count and the first errors. Only what Airflow reported moves them; while it
 * is not asked, cannot answer or is still parsing a new commit, the last report stands (it names
 * its commit), and before any report the condition is Unknown.
 */
final class DagsImportedCondition {

  static final String IMPORTED = "Imported";
  static final String IMPORT_ERRORS = "ImportErrors";

  private DagsImportedCondition() {}

  static void add(
      WorkflowEnvironmentStatus previous,
      DagsReport dags,
      Conditions conditions,
      WorkflowEnvironmentStatus status) {
    if (!dags.airflowReports()) {
      return;
    }
    AirflowObservation observed = dags.observed();
    if (observed != null && observed.imports() != null) {
      DagImports imports = of(observed.revision(), observed.imports());
      status.setDags(imports);
      if (DagImportSummary.failing(imports)) {
        conditions.set(
            EnvironmentConditions.DAGS_IMPORTED,
            false,
            IMPORT_ERRORS,
            DagImportSummary.sentence(imports)
                + " (status.dags lists them; fix and push: the next commit is checked again)");
      } else {
        conditions.set(
            EnvironmentConditions.DAGS_IMPORTED,
            true,
            IMPORTED,
            DagImportSummary.sentence(imports));
      }
      return;
    }
    status.setDags(previous.getDags());
    if (conditions.previous(EnvironmentConditions.DAGS_IMPORTED).isPresent()) {
      conditions.keep(EnvironmentConditions.DAGS_IMPORTED);
    } else if (observed != null) {
      conditions.unknown(
          EnvironmentConditions.DAGS_IMPORTED,
          observed.answered() ? "Parsing" : "Unknown",
          observed.answered()
              ? "waiting for Airflow to parse the DAG files of the branch"
              : observed.problem());
    }
  }

  static DagImports of(String commit, ImportErrors errors) {
    DagImports dags = new DagImports();
    dags.setCommit(commit);
    dags.setErrorCount(errors.total());
    dags.setErrors(
        errors.first().stream()
            .map(
                e -> {
                  DagImportError error = new DagImportError();
                  error.setFile(e.file());
                  error.setLine(e.line());
                  error.setMessage(e.message());
                  return error;
                })
            .toList());
    return dags;
  }
}
