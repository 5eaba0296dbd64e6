package io.branchflow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** What the operator observed of an environment. */
public class WorkflowEnvironmentStatus {

  @JsonPropertyDescription(
      "Summary of the conditions: Pending, Queued, Provisioning, Ready, Degraded, Failed, Suspended or Terminating.")
  private Phase phase;

  @JsonPropertyDescription("What is happening and, when something is wrong, what to do next.")
  private String message;

  @JsonPropertyDescription(
      "Detailed state: DatabaseReady, MigrationComplete, ComponentsReady, Ready, DagsLoaded, DagsImported, each with reason and message.")
  private List<Condition> conditions;

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("The namespace holding the environment's objects.")
  private String namespace;

  @JsonPropertyDescription(
      "UID of the namespace Branchflow created for this environment. Branchflow touches and deletes only the namespace with this UID, never another of the same name.")
  private String namespaceUid;

  @JsonPropertyDescription("URL of the environment's Airflow UI, once exposed.")
  private String url;

  @JsonPropertyDescription("Short commit SHA the environment runs.")
  private String revision;

  @JsonPropertyDescription(
      "Whether the DAG files of the loaded commit import (Airflow 3): the count and the first errors.")
  private DagImports dags;

  @JsonPropertyDescription(
      "Task instances that failed in the environment's Airflow (Airflow 3): how many, and the last"
          + " ones.")
  private TaskFailures taskFailures;

  @JsonPropertyDescription("When the environment last became Ready (RFC 3339).")
  private String readyAt;

  @JsonPropertyDescription(
      "The repository's limits.ttl applied to this environment: the last push it counts from and"
          + " when the environment is removed.")
  private ExpiryStatus expiry;

  @JsonPropertyDescription(
      "The repository's limits.idleAfter applied to this environment: since when it is idle, and"
          + " when and at which commit the operator suspended it for that.")
  private IdleStatus idle;

  @JsonPropertyDescription("The environment's Slack message.")
  private SlackMessage slack;

  @JsonPropertyDescription("The environment's GitHub deployment.")
  private GitHubDeployment github;

  public Phase getPhase() {
    return phase;
  }

  public void setPhase(Phase phase) {
    this.phase = phase;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  public String getNamespaceUid() {
    return namespaceUid;
  }

  public void setNamespaceUid(String namespaceUid) {
    this.namespaceUid = namespaceUid;
  }

  public String getUrl() {
    return url;
  }

  public void setUrl(String url) {
    this.url = url;
  }

  public String getRevision() {
    return revision;
  }

  public void setRevision(String revision) {
    this.revision = revision;
  }

  public DagImports getDags() {
    return dags;
  }

  public void setDags(DagImports dags) {
    this.dags = dags;
  }

  public TaskFailures getTaskFailures() {
    return taskFailures;
  }

  public void setTaskFailures(TaskFailures taskFailures) {
    this.taskFailures = taskFailures;
  }

  public String getReadyAt() {
    return readyAt;
  }

  public void setReadyAt(String readyAt) {
    this.readyAt = readyAt;
  }

  public ExpiryStatus getExpiry() {
    return expiry;
  }

  public void setExpiry(ExpiryStatus expiry) {
    this.expiry = expiry;
  }

  public IdleStatus getIdle() {
    return idle;
  }

  public void setIdle(IdleStatus idle) {
    this.idle = idle;
  }

  public SlackMessage getSlack() {
    return slack;
  }

  public void setSlack(SlackMessage slack) {
    this.slack = slack;
  }

  public GitHubDeployment getGithub() {
    return github;
  }

  public void setGithub(GitHubDeployment github) {
    this.github = github;
  }
}
