package io.branchflow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/** The blueprint of every environment of a repository. */
public class EnvironmentTemplate {

  @Default("apache/airflow:3.3.2")
  @JsonPropertyDescription(
      "Airflow image (with the providers the DAGs need) run by every Airflow component.")
  private String image;

  @Default("3")
  @Min(2)
  @Max(3)
  @JsonPropertyDescription(
      "Airflow major version of the image; 3 deploys an API server and DAG processor, 2 the webserver layout.")
  private Integer airflowMajorVersion;

  @Default("LocalExecutor")
  @JsonPropertyDescription(
      "Airflow executor; KubernetesExecutor runs each task in its own pod in the environment's namespace.")
  private Executor executor;

  @Default("false")
  @JsonPropertyDescription("Whether to run the triggerer, needed by deferrable operators.")
  private Boolean triggerer;

  @JsonPropertyDescription("CPU and memory of each component.")
  private ComponentResources resources;

  @JsonPropertyDescription(
      "Hard limits on the environment's namespace, enforced by a ResourceQuota.")
  private Quota quota;

  @JsonPropertyDescription("The environment's in-cluster PostgreSQL.")
  private DatabaseStorage database;

  @JsonPropertyDescription("How the environment's Airflow UI is exposed.")
  private IngressTemplate ingress;

  @JsonPropertyDescription(
      "The git-sync sidecar that checks the branch out into every Airflow pod.")
  private GitSyncSettings gitSync;

  @JsonPropertyDescription(
      "Extra Airflow options as environment variables (AIRFLOW__SECTION__KEY: value), applied to every component.")
  private Map<String, String> extraAirflowConfig;

  // Placement is platform policy (which node pools preview environments may use, and whose budget
  // pays for them), so it is deliberately not an OverridableField: branch code is untrusted and
  // must not choose its nodes.

  @JsonPropertyDescription(
      "Node labels every pod of an environment must match: PostgreSQL, the migration Job, every Airflow component and the KubernetesExecutor task pods (e.g. a dedicated or spot node pool). Platform policy, so not in allowedOverrides: a branch cannot choose its nodes. When no node matches, the pods stay Pending and the environment's status gives the scheduler's reason.")
  private Map<String, String> nodeSelector;

  @JsonPropertyDescription(
      "Tolerations (Kubernetes Toleration) given to every pod of an environment: PostgreSQL, the migration Job, every Airflow component and the KubernetesExecutor task pods, so they may run on tainted nodes (a dedicated or spot pool). Platform policy, so not in allowedOverrides: a branch cannot choose its nodes.")
  private List<Toleration> tolerations;

  @JsonPropertyDescription(
      "Affinity (Kubernetes node affinity, pod affinity and anti-affinity) given to every pod of an environment: PostgreSQL, the migration Job, every Airflow component and the KubernetesExecutor task pods. Platform policy, so not in allowedOverrides: a branch cannot choose its nodes.")
  private Affinity affinity;

  // Like placement, platform policy: not an OverridableField.
  @JsonPropertyDescription(
      "The environment's NetworkPolicies: every pod is denied all traffic except its own namespace, cluster DNS (port 53 to kube-system), the ingress controller to the Airflow UI, and the destinations listed here.")
  private NetworkPolicySettings networkPolicy;

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public Integer getAirflowMajorVersion() {
    return airflowMajorVersion;
  }

  public void setAirflowMajorVersion(Integer airflowMajorVersion) {
    this.airflowMajorVersion = airflowMajorVersion;
  }

  public Executor getExecutor() {
    return executor;
  }

  public void setExecutor(Executor executor) {
    this.executor = executor;
  }

  public Boolean getTriggerer() {
    return triggerer;
  }

  public void setTriggerer(Boolean triggerer) {
    this.triggerer = triggerer;
  }

  public ComponentResources getResources() {
    return resources;
  }

  public void setResources(ComponentResources resources) {
    this.resources = resources;
  }

  public Quota getQuota() {
    return quota;
  }

  public void setQuota(Quota quota) {
    this.quota = quota;
  }

  public DatabaseStorage getDatabase() {
    return database;
  }

  public void setDatabase(DatabaseStorage database) {
    this.database = database;
  }

  public IngressTemplate getIngress() {
    return ingress;
  }

  public void setIngress(IngressTemplate ingress) {
    this.ingress = ingress;
  }

  public GitSyncSettings getGitSync() {
    return gitSync;
  }

  public void setGitSync(GitSyncSettings gitSync) {
    this.gitSync = gitSync;
  }

  public Map<String, String> getExtraAirflowConfig() {
    return extraAirflowConfig;
  }

  public void setExtraAirflowConfig(Map<String, String> extraAirflowConfig) {
    this.extraAirflowConfig = extraAirflowConfig;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }

  public List<Toleration> getTolerations() {
    return tolerations;
  }

  public void setTolerations(List<Toleration> tolerations) {
    this.tolerations = tolerations;
  }

  public Affinity getAffinity() {
    return affinity;
  }

  public void setAffinity(Affinity affinity) {
    this.affinity = affinity;
  }

  public NetworkPolicySettings getNetworkPolicy() {
    return networkPolicy;
  }

  public void setNetworkPolicy(NetworkPolicySettings networkPolicy) {
    this.networkPolicy = networkPolicy;
  }
}
