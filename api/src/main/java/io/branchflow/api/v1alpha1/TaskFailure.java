package io.branchflow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One task instance that failed, as Airflow reports it: enough to name it and find its log. */
public class TaskFailure {

  @JsonPropertyDescription("DAG ID.")
  private String dagId;

  @JsonPropertyDescription("Task ID.")
  private String taskId;

  @JsonPropertyDescription("DAG run ID, e.g. manual__2026-01-01T10:00:00+00:00.")
  private String runId;

  @JsonPropertyDescription("Index of the mapped task instance; absent when the task is not mapped.")
  private Integer mapIndex;

  @JsonPropertyDescription("The try that failed (1 for the first).")
  private Integer tryNumber;

  @JsonPropertyDescription("When it failed (RFC 3339, as Airflow gives it).")
  private String endDate;

  public String getDagId() {
    return dagId;
  }

  public void setDagId(String dagId) {
    this.dagId = dagId;
  }

  public String getTaskId() {
    return taskId;
  }

  public void setTaskId(String taskId) {
    this.taskId = taskId;
  }

  public String getRunId() {
    return runId;
  }

  public void setRunId(String runId) {
    this.runId = runId;
  }

  public Integer getMapIndex() {
    return mapIndex;
  }

  public void setMapIndex(Integer mapIndex) {
    this.mapIndex = mapIndex;
  }

  public Integer getTryNumber() {
    return tryNumber;
  }

  public void setTryNumber(Integer tryNumber) {
    this.tryNumber = tryNumber;
  }

  public String getEndDate() {
    return endDate;
  }

  public void setEndDate(String endDate) {
    this.endDate = endDate;
  }
}
