package io.branchflow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** Whether the DAG files of the commit Airflow loaded import, as Airflow last reported it. */
public class DagImports {

  @JsonPropertyDescription("Commit SHA of the branch Airflow had loaded when it reported these.")
  private String commit;

  @JsonPropertyDescription("How many DAG files failed to import; 0 when every one imports.")
  private Integer errorCount;

  @JsonPropertyDescription("The first import errors (at most 10), as Airflow reports them.")
  private List<DagImportError> errors;

  public String getCommit() {
    return commit;
  }

  public void setCommit(String commit) {
    this.commit = commit;
  }

  public Integer getErrorCount() {
    return errorCount;
  }

  public void setErrorCount(Integer errorCount) {
    this.errorCount = errorCount;
  }

  public List<DagImportError> getErrors() {
    return errors;
  }

  public void setErrors(List<DagImportError> errors) {
    this.errors = errors;
  }
}
