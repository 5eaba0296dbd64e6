package io.branchflow.operator.announce;

import io.branchflow.api.branches.BranchEnvironments;
import io.branchflow.api.v1alpha1.DagImports;
import io.branchflow.api.v1alpha1.ExpiryStatus;
import io.branchflow.api.v1alpha1.GitHubDeployment;
import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.SecretKeyRef;
import io.branchflow.api.v1alpha1.SlackMessage;
import io.branchflow.api.v1alpha1.SlackSettings;
import io.branchflow.api.v1alpha1.TaskFailures;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentStatus;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.operator.desired.AirflowLogin;
import io.branchflow.operator.desired.EnvironmentInputs;
import io.branchflow.operator.desired.ResolvedTemplate;
import java.util.Optional;

/**
 * What the reconciler knows of one environment after a pass, handed to the reporters: who it is,
 * which repository, branch and commit, the phase it computed and how to reach it. Also what the
 * reporters recorded in its status, read from the object the pass started from, so a restarted
 * operator continues from there instead of announcing again.
 *
 * @param repository GitHub {@code owner/name}; null when the WorkflowRepository is missing
 * @param secretsNamespace where the token Secrets live (the repository's namespace)
 * @param startedAt when the environment was created (RFC 3339)
 * @param removed the environment is being deleted: this is the last announcement
 * @param expiry the repository's limits.ttl at work: the warning once it is due, or why a removed
 *     environment was removed; null otherwise
 * @param dags whether the DAG files of the loaded commit import (Airflow 3); null when unknown or
 *     removed
 * @param pullRequestComments the repository's spec.github.pullRequestComments (default true)
 * @param taskFailures the task instances that failed in the environment's Airflow (Airflow 3); null
 *     when unknown or removed
 * @param pullRequestsChanged the webhook receiver's last note that a pull request of the branch was
 *     opened ({@link BranchEnvironments#PULL_REQUESTS_CHANGED}): a new one has the pull requests
 *     looked up again for their comment; null when none or removed
 */
public record Announcement(
    EnvironmentRef environment,
    String repository,
    String secretsNamespace,
    String branch,
    String sha,
    String pusher,
    Phase phase,
    String message,
    String url,
    String login,
    String startedAt,
    String readyAt,
    SecretKeyRef githubTokenRef,
    SlackSettings slack,
    GitHubDeployment recordedGithub,
    SlackMessage recordedSlack,
    boolean removed,
    Expiry expiry,
    DagImports dags,
    TaskFailures taskFailures,
    boolean pullRequestComments,
    String pullRequestsChanged) {

  /**
   * limits.ttl, for the reporters: the environment goes at {@code removeAt} unless pushed, or went
   * ({@code removed}) because it was not.
   *
   * @param ttl as the repository spells it, e.g. {@code 72h}
   * @param removeAt RFC 3339; also what tells one push's warning from the next
   */
  public record Expiry(String ttl, String removeAt) {}

  /** After a reconcile: {@code status} is what the pass computed. */
  public static Announcement of(
      WorkflowEnvironment env, WorkflowRepository repository, WorkflowEnvironmentStatus status) {
    ExpiryStatus expiry = status.getExpiry();
    boolean warned =
        expiry != null
            && expiry.getWarnedAt() != null
            && expiry.getExpiresAt() != null
            && ttl(repository) != null;
    return build(
        env,
        repository,
        status,
        false,
        warned ? new Expiry(ttl(repository), expiry.getExpiresAt()) : null);
  }

  /**
   * From the Cleaner: the environment is going away; {@code expired} says why when it is its TTL
   * (null otherwise).
   */
  public static Announcement removed(
      WorkflowEnvironment env, WorkflowRepository repository, String expired) {
    WorkflowEnvironmentStatus status =
        Optional.ofNullable(env.getStatus()).orElseGet(WorkflowEnvironmentStatus::new);
    WorkflowEnvironmentStatus terminating = new WorkflowEnvironmentStatus();
    terminating.setPhase(Phase.Terminating);
    terminating.setMessage(expired == null ? "environment removed" : expired);
    terminating.setUrl(status.getUrl());
    terminating.setReadyAt(status.getReadyAt());
    ExpiryStatus expiry = status.getExpiry();
    return build(
        env,
        repository,
        terminating,
        true,
        expired == null || expiry == null
            ? null
            : new Expiry(ttl(repository), expiry.getExpiresAt()));
  }

  /** Off only when the repository says {@code github.pullRequestComments: false}. */
  private static boolean pullRequestComments(WorkflowRepository repository) {
    return repository == null
        || repository.getSpec().getGithub() == null
        || !Boolean.FALSE.equals(repository.getSpec().getGithub().getPullRequestComments());
  }

  private static String ttl(WorkflowRepository repository) {
    return repository == null || repository.getSpec().getLimits() == null
        ? null
        : repository.getSpec().getLimits().getTtl();
  }

  /**
   * How the DAG author gets the Airflow 3 login, once the environment is Ready: a command, never
   * the password.
   */
  private static String login(
      WorkflowEnvironment env,
      WorkflowRepository repository,
      WorkflowEnvironmentStatus status,
      boolean removed) {
    if (removed || repository == null || status.getPhase() != Phase.Ready) {
      return null;
    }
    return ResolvedTemplate.of(repository, env).airflow3()
        ? AirflowLogin.howToGetPassword(EnvironmentInputs.namespaceOf(env))
        : null;
  }

  private static Announcement build(
      WorkflowEnvironment env,
      WorkflowRepository repository,
      WorkflowEnvironmentStatus status,
      boolean removed,
      Expiry expiry) {
    WorkflowEnvironmentStatus recorded =
        Optional.ofNullable(env.getStatus()).orElseGet(WorkflowEnvironmentStatus::new);
    return new Announcement(
        EnvironmentRef.of(env),
        repository == null ? null : repository.getSpec().getRepository(),
        repository == null ? null : repository.getMetadata().getNamespace(),
        env.getSpec().getBranch(),
        env.getSpec().getCommitSha(),
        env.getSpec().getPusher(),
        status.getPhase(),
        status.getMessage(),
        status.getUrl(),
        login(env, repository, status, removed),
        env.getMetadata().getCreationTimestamp(),
        status.getReadyAt(),
        repository == null ? null : repository.getSpec().getGithubTokenRef(),
        repository == null ? null : repository.getSpec().getSlack(),
        recorded.getGithub(),
        recorded.getSlack(),
        removed,
        expiry,
        removed ? null : status.getDags(),
        removed ? null : status.getTaskFailures(),
        pullRequestComments(repository),
        removed ? null : BranchEnvironments.pullRequestsChangedOf(env));
  }
}
