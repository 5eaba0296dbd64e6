package io.branchflow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

/** Per-branch changes a repository may allow. */
public class EnvironmentOverrides {

  @JsonPropertyDescription("Airflow image for this branch instead of the template's.")
  private String image;

  @JsonPropertyDescription(
      "Airflow options (AIRFLOW__SECTION__KEY: value) added to the template's.")
  private Map<String, String> extraAirflowConfig;

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public Map<String, String> getExtraAirflowConfig() {
    return extraAirflowConfig;
  }

  public void setExtraAirflowConfig(Map<String, String> extraAirflowConfig) {
    this.extraAirflowConfig = extraAirflowConfig;
  }
}
