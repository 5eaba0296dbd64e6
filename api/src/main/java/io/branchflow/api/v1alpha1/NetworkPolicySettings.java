package io.branchflow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * What an environment's pods may reach beyond their own namespace and DNS. Platform policy, like
 * placement: not in allowedOverrides, so branch code cannot open its own way out.
 */
public class NetworkPolicySettings {

  @JsonPropertyDescription(
      "Addresses every pod of an environment may open connections to, beyond its own namespace and cluster DNS: the production data stores the DAGs read and the git host the DAGs are fetched from (Airflow 3's git DAG bundle clones from it). Everything else is denied.")
  private List<EgressRule> egress;

  @JsonPropertyDescription(
      "Where the Kubernetes API server's endpoints are (the addresses of the kubernetes Service's EndpointSlice in the default namespace, not the Service IP: NetworkPolicies see packets after Service translation). Only the scheduler under KubernetesExecutor may connect there; no other pod of an environment may.")
  private List<EgressRule> kubernetesApi;

  public List<EgressRule> getEgress() {
    return egress;
  }

  public void setEgress(List<EgressRule> egress) {
    this.egress = egress;
  }

  public List<EgressRule> getKubernetesApi() {
    return kubernetesApi;
  }

  public void setKubernetesApi(List<EgressRule> kubernetesApi) {
    this.kubernetesApi = kubernetesApi;
  }
}
