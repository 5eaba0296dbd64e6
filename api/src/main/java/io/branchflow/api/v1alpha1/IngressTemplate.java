package io.branchflow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.Map;

/** How an environment's web UI is exposed. */
public class IngressTemplate {

  @Required
  @JsonPropertyDescription(
      "Host of each environment; '{name}' is replaced by the environment name, e.g. '{name}.airflow.example.com'.")
  private String hostPattern;

  @JsonPropertyDescription("IngressClass to use; the cluster default when unset.")
  private String className;

  @JsonPropertyDescription(
      "Secret (in each environment's namespace, e.g. a wildcard copied by cert-manager) holding the TLS certificate; plain HTTP when unset.")
  private String tlsSecretName;

  @JsonPropertyDescription(
      "Annotations added to each Ingress, e.g. for an ingress controller or cert-manager.")
  private Map<String, String> annotations;

  public String getHostPattern() {
    return hostPattern;
  }

  public void setHostPattern(String hostPattern) {
    this.hostPattern = hostPattern;
  }

  public String getClassName() {
    return className;
  }

  public void setClassName(String className) {
    this.className = className;
  }

  public String getTlsSecretName() {
    return tlsSecretName;
  }

  public void setTlsSecretName(String tlsSecretName) {
    this.tlsSecretName = tlsSecretName;
  }

  public Map<String, String> getAnnotations() {
    return annotations;
  }

  public void setAnnotations(Map<String, String> annotations) {
    this.annotations = annotations;
  }
}
