package io.branchflow.operator.announce;

import io.branchflow.api.v1alpha1.DagImportError;
import io.branchflow.api.v1alpha1.DagImports;
import io.branchflow.api.v1alpha1.TaskFailure;
import io.branchflow.api.v1alpha1.TaskFailures;
import java.util.List;

/**
 * Import results and task failures as the reconciler hands them to the reporters, for their tests.
 */
public final class TestDags {

  private TestDags() {}

  /** Two failing files of {@code sha}; the second's message tries Slack markup. */
  public static DagImports failing(String sha) {
    return imports(
        sha,
        2,
        error("dags/broken.py", 3, "ModuleNotFoundError: No module named 'does_not_exist'"),
        error("dags/<!channel>.py", null, "NameError: <https://evil.example|click>"));
  }

  public static DagImports clean(String sha) {
    return imports(sha, 0);
  }

  public static DagImports imports(String sha, int count, DagImportError... errors) {
    DagImports dags = new DagImports();
    dags.setCommit(sha);
    dags.setErrorCount(count);
    dags.setErrors(List.of(errors));
    return dags;
  }

  public static DagImportError error(String file, Integer line, String message) {
    DagImportError error = new DagImportError();
    error.setFile(file);
    error.setLine(line);
    error.setMessage(message);
    return error;
  }

  /** {@code count} failed task instances in Airflow, the newest of them listed, newest first. */
  public static TaskFailures taskFailures(int count, TaskFailure... newest) {
    TaskFailures failures = new TaskFailures();
    failures.setCount(count);
    failures.setNewest(List.of(newest));
    return failures;
  }

  /** Task {@code task} of DAG {@code etl}, failed on try {@code tryNumber} at {@code endDate}. */
  public static TaskFailure taskFailure(String task, int tryNumber, String endDate) {
    TaskFailure failure = new TaskFailure();
    failure.setDagId("etl");
    failure.setTaskId(task);
    failure.setRunId("manual__2026-01-01T10:00:00+00:00");
    failure.setTryNumber(tryNumber);
    failure.setEndDate(endDate);
    return failure;
  }
}
