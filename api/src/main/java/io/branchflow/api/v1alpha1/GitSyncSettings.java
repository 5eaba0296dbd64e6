package io.branchflow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;

/**
 * How the branch's DAGs are fetched. Airflow 3: its git DAG bundle, in the Airflow pods themselves
 * (the image must have git and apache-airflow-providers-git). Airflow 2: a git-sync sidecar.
 */
public class GitSyncSettings {

  @Default("registry.k8s.io/git-sync/git-sync:v4.4.2")
  @JsonPropertyDescription("git-sync image (Airflow 2 only; Airflow 3 uses its git DAG bundle).")
  private String image;

  @Default("30")
  @Min(5)
  @JsonPropertyDescription(
      "Seconds between two fetches of the branch: how long a push waits before Airflow sees it.")
  private Integer periodSeconds;

  @Default("dags")
  @JsonPropertyDescription("Directory of the repository that holds the DAGs.")
  private String dagsPath;

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public Integer getPeriodSeconds() {
    return periodSeconds;
  }

  public void setPeriodSeconds(Integer periodSeconds) {
    this.periodSeconds = periodSeconds;
  }

  public String getDagsPath() {
    return dagsPath;
  }

  public void setDagsPath(String dagsPath) {
    this.dagsPath = dagsPath;
  }
}
