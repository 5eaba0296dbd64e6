package io.branchflow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Requests and limits per component of an environment. */
public class ComponentResources {

  @JsonPropertyDescription("The scheduler (and, with LocalExecutor, the tasks it runs).")
  private Resources scheduler;

  @JsonPropertyDescription("The DAG processor.")
  private Resources dagProcessor;

  @JsonPropertyDescription("The API server / web UI.")
  private Resources apiServer;

  @JsonPropertyDescription("The triggerer, when enabled.")
  private Resources triggerer;

  @JsonPropertyDescription("Each KubernetesExecutor task pod.")
  private Resources worker;

  @JsonPropertyDescription("PostgreSQL.")
  private Resources database;

  @JsonPropertyDescription("The git-sync sidecar of each Airflow pod.")
  private Resources gitSync;

  public Resources getScheduler() {
    return scheduler;
  }

  public void setScheduler(Resources scheduler) {
    this.scheduler = scheduler;
  }

  public Resources getDagProcessor() {
    return dagProcessor;
  }

  public void setDagProcessor(Resources dagProcessor) {
    this.dagProcessor = dagProcessor;
  }

  public Resources getApiServer() {
    return apiServer;
  }

  public void setApiServer(Resources apiServer) {
    this.apiServer = apiServer;
  }

  public Resources getTriggerer() {
    return triggerer;
  }

  public void setTriggerer(Resources triggerer) {
    this.triggerer = triggerer;
  }

  public Resources getWorker() {
    return worker;
  }

  public void setWorker(Resources worker) {
    this.worker = worker;
  }

  public Resources getDatabase() {
    return database;
  }

  public void setDatabase(Resources database) {
    this.database = database;
  }

  public Resources getGitSync() {
    return gitSync;
  }

  public void setGitSync(Resources gitSync) {
    this.gitSync = gitSync;
  }
}
