package io.branchflow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One DAG file that failed to import. */
public class DagImportError {

  @JsonPropertyDescription("Path of the file in the branch, e.g. dags/orders.py.")
  private String file;

  @JsonPropertyDescription("Line of the file the error points at, when the traceback gives one.")
  private Integer line;

  @JsonPropertyDescription(
      "The error, e.g. ModuleNotFoundError: No module named 'x' (first line, at most 200 characters).")
  private String message;

  public String getFile() {
    return file;
  }

  public void setFile(String file) {
    this.file = file;
  }

  public Integer getLine() {
    return line;
  }

  public void setLine(Integer line) {
    this.line = line;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }
}
