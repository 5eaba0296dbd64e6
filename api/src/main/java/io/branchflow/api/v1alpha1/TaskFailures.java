package io.branchflow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The task instances of the environment's Airflow that failed, as Airflow last reported them. */
public class TaskFailures {

  @JsonPropertyDescription(
      "How many task instances are in state failed in the environment's Airflow (every DAG run it"
          + " keeps).")
  private Integer count;

  @JsonPropertyDescription("The last ones to fail (at most 5), newest first.")
  private List<TaskFailure> newest;

  public Integer getCount() {
    return count;
  }

  public void setCount(Integer count) {
    this.count = count;
  }

  public List<TaskFailure> getNewest() {
    return newest;
  }

  public void setNewest(List<TaskFailure> newest) {
    this.newest = newest;
  }
}
