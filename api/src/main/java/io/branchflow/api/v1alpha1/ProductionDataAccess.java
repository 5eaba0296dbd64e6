package io.branchflow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;

/** Read-only access to production data given to every environment. */
public class ProductionDataAccess {

  @JsonPropertyDescription(
      "Secrets in the Branchflow namespace holding read-only production credentials; each is copied into every environment and kept in sync, but only while it carries the label branchflow.io/production-data=read-only (the Secret's owner opts in). Removing a name or the label removes the copies.")
  private List<String> secretNames;

  @JsonPropertyDescription(
      "Annotations on the environment's ServiceAccount, e.g. a cloud workload identity bound to a read-only role.")
  private Map<String, String> serviceAccountAnnotations;

  public List<String> getSecretNames() {
    return secretNames;
  }

  public void setSecretNames(List<String> secretNames) {
    this.secretNames = secretNames;
  }

  public Map<String, String> getServiceAccountAnnotations() {
    return serviceAccountAnnotations;
  }

  public void setServiceAccountAnnotations(Map<String, String> serviceAccountAnnotations) {
    this.serviceAccountAnnotations = serviceAccountAnnotations;
  }
}
