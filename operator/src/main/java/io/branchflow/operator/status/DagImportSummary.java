package io.branchflow.operator.status;

import io.branchflow.api.v1alpha1.DagImportError;
import io.branchflow.api.v1alpha1.DagImports;

/**
 * The one sentence that says whether a branch's DAG files import, shared by condition DagsImported,
 * the GitHub commit status and Slack, so all three say the same thing.
 */
public final class DagImportSummary {

  private DagImportSummary() {}

  /** Whether Airflow reported on the imports (a count is known). */
  public static boolean known(DagImports dags) {
    return dags != null && dags.getErrorCount() != null;
  }

  public static boolean failing(DagImports dags) {
    return known(dags) && dags.getErrorCount() > 0;
  }

  /**
   * {@code 2 DAG file(s) failed to import; first: dags/x.py:3: NameError: ...}, or {@code every DAG
   * file of 0123456 imports}.
   */
  public static String sentence(DagImports dags) {
    if (!failing(dags)) {
      return dags.getCommit() == null
          ? "every DAG file imports"
          : "every DAG file of " + shortSha(dags.getCommit()) + " imports";
    }
    String text = dags.getErrorCount() + " DAG file(s) failed to import";
    if (dags.getErrors() != null && !dags.getErrors().isEmpty()) {
      text += "; first: " + location(dags.getErrors().get(0));
    }
    return text;
  }

  /** {@code dags/x.py:3: NameError: ...} (no line when the error names none). */
  public static String location(DagImportError error) {
    return error.getFile()
        + (error.getLine() == null ? "" : ":" + error.getLine())
        + ": "
        + error.getMessage();
  }

  /** The first 7 characters; null stays null (Airflow loaded no DAG of the branch yet). */
  public static String shortSha(String sha) {
    return sha == null ? null : sha.substring(0, Math.min(7, sha.length()));
  }
}
