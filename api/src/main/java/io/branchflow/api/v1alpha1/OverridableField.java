package io.branchflow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A WorkflowEnvironment override a repository may allow. */
public enum OverridableField {
  @JsonProperty("image")
  IMAGE,
  @JsonProperty("extraAirflowConfig")
  EXTRA_AIRFLOW_CONFIG
}
