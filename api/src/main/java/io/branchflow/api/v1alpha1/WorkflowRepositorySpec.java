package io.branchflow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** What a platform engineer sets for one DAG repository; branch pushes cannot change it. */
public class WorkflowRepositorySpec {

  @Required
  @Pattern(Patterns.REPOSITORY)
  @JsonPropertyDescription("GitHub repository as owner/name, as it appears in webhook payloads.")
  private String repository;

  @Required
  @Size(max = 2048)
  @Pattern(Patterns.CLONE_URL)
  @ValidationRule(value = Patterns.CLONE_URL_RULE, message = Patterns.CLONE_URL_MESSAGE)
  @JsonPropertyDescription(
      "URL git-sync and the branch resync clone from, e.g. https://github.com/acme/dags.git.")
  private String cloneUrl;

  @Default("feature/*")
  @JsonPropertyDescription(
      "Glob of the branches that get an environment; '*' matches within one path segment, '**' across segments.")
  private String branchPattern;

  @Required
  @JsonPropertyDescription(
      "Secret key holding the GitHub webhook secret that signs deliveries for this repository.")
  private SecretKeyRef webhookSecretRef;

  @JsonPropertyDescription(
      "Secret key holding the GitHub token the operator reports deployment statuses with (deployments:write). It stays in the Branchflow namespace: it is never copied into an environment and never used to clone. Without it no GitHub deployments.")
  private SecretKeyRef githubTokenRef;

  @JsonPropertyDescription(
      "What the operator shows on GitHub besides deployments and commit statuses (with githubTokenRef).")
  private GitHubSettings github;

  @JsonPropertyDescription(
      "Secret key holding a read-only credential to clone a private repository: a fine-grained token or a GitHub App installation token with contents:read and nothing else. It is copied into every environment (the DAG bundle or git-sync clones with it, so DAG code can read it) and the branch resync lists branches with it. Without it cloning and listing are anonymous (public repositories).")
  private SecretKeyRef cloneCredentialRef;

  @JsonPropertyDescription(
      "How each branch's environment is built: image, executor, resources, quota, storage, ingress, Airflow configuration, node placement.")
  private EnvironmentTemplate template;

  @JsonPropertyDescription(
      "Read-only access to production data granted to every environment of this repository.")
  private ProductionDataAccess productionData;

  @JsonPropertyDescription("Where and whether environments are announced in Slack.")
  private SlackSettings slack;

  @JsonPropertyDescription("Limits on the environments of this repository.")
  private EnvironmentLimits limits;

  @JsonPropertyDescription(
      "How the operator converges environments with the branches that exist when webhooks are missed.")
  private ResyncPolicy resync;

  @Size(max = 2)
  @JsonPropertyDescription(
      "Which WorkflowEnvironment spec.overrides fields branches may set: 'image' and/or 'extraAirflowConfig'; none when empty.")
  private List<OverridableField> allowedOverrides;

  public String getRepository() {
    return repository;
  }

  public void setRepository(String repository) {
    this.repository = repository;
  }

  public String getCloneUrl() {
    return cloneUrl;
  }

  public void setCloneUrl(String cloneUrl) {
    this.cloneUrl = cloneUrl;
  }

  public String getBranchPattern() {
    return branchPattern;
  }

  public void setBranchPattern(String branchPattern) {
    this.branchPattern = branchPattern;
  }

  public SecretKeyRef getWebhookSecretRef() {
    return webhookSecretRef;
  }

  public void setWebhookSecretRef(SecretKeyRef webhookSecretRef) {
    this.webhookSecretRef = webhookSecretRef;
  }

  public SecretKeyRef getGithubTokenRef() {
    return githubTokenRef;
  }

  public void setGithubTokenRef(SecretKeyRef githubTokenRef) {
    this.githubTokenRef = githubTokenRef;
  }

  public GitHubSettings getGithub() {
    return github;
  }

  public void setGithub(GitHubSettings github) {
    this.github = github;
  }

  public SecretKeyRef getCloneCredentialRef() {
    return cloneCredentialRef;
  }

  public void setCloneCredentialRef(SecretKeyRef cloneCredentialRef) {
    this.cloneCredentialRef = cloneCredentialRef;
  }

  public EnvironmentTemplate getTemplate() {
    return template;
  }

  public void setTemplate(EnvironmentTemplate template) {
    this.template = template;
  }

  public ProductionDataAccess getProductionData() {
    return productionData;
  }

  public void setProductionData(ProductionDataAccess productionData) {
    this.productionData = productionData;
  }

  public SlackSettings getSlack() {
    return slack;
  }

  public void setSlack(SlackSettings slack) {
    this.slack = slack;
  }

  public EnvironmentLimits getLimits() {
    return limits;
  }

  public void setLimits(EnvironmentLimits limits) {
    this.limits = limits;
  }

  public ResyncPolicy getResync() {
    return resync;
  }

  public void setResync(ResyncPolicy resync) {
    this.resync = resync;
  }

  public List<OverridableField> getAllowedOverrides() {
    return allowedOverrides;
  }

  public void setAllowedOverrides(List<OverridableField> allowedOverrides) {
    this.allowedOverrides = allowedOverrides;
  }
}
