package io.branchflow.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.branchflow.api.branches.BranchEnvironments;
import io.branchflow.api.v1alpha1.GitHubDeployment;
import io.branchflow.api.v1alpha1.GitHubSettings;
import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.SecretKeyRef;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentStatus;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.operator.announce.github.FakeGitHub;
import io.branchflow.operator.config.AnnounceSettings;
import io.branchflow.operator.config.OperatorSettings;
import io.branchflow.testing.KubernetesClusterExtension;
import io.branchflow.testing.NeedsKwok;
import io.branchflow.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * GitHub deployments of environments, with the operator under its production RBAC and the real
 * hub4j client talking to a fake GitHub API: what reaches GitHub is read from its request journal
 * (deployments, their statuses, the comment on each pull request of the branch).
 */
@NeedsKwok("every test waits for an environment to become Ready (the deployment's success status)")
@ExtendWith(KubernetesClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GitHubDeploymentsE2ETest {

  private static final String NEW_SHA = "fedcba9876543210fedcba9876543210fedcba98";

  private final TestCluster cluster;
  private final KubernetesClient client;
  private final Environments environments;
  private final FakeGitHub github = new FakeGitHub();
  private String ns;
  private OperatorUnderTest operator;

  GitHubDeploymentsE2ETest(TestCluster cluster) {
    this.cluster = cluster;
    this.client = cluster.client();
    this.environments = new Environments(client, cluster.kubectl());
  }

  private AnnounceSettings announce() {
    return AnnounceSettings.defaults()
        .withGithubApiUrl(github.url())
        .withRetry(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(5));
  }

  @BeforeAll
  void startOperator() {
    ns = Fixtures.branchflowNamespace(client, "github");
    Fixtures.createRepositoryWithGitHubToken(client, ns);
    operator = OperatorUnderTest.start(cluster, ns, OperatorSettings.defaults(), announce());
  }

  @AfterEach
  void gitHubAnswersAgain() {
    github.recover();
  }

  @AfterAll
  void stopOperator() {
    environments.deleteAllAndAwaitGone(ns);
    operator.closeAndRemove(client, ns);
    github.close();
  }

  @Test
  void statusesFollowTheEnvironmentFromProvisioningToReadyToRemoved() {
    WorkflowEnvironment env = client.resource(Fixtures.environment(ns, "feature/hardy")).create();
    WorkflowEnvironmentStatus ready = environments.awaitPhase(env, Phase.Ready);

    long deployment = awaitDeployment("feature/hardy", 0);
    await("in_progress then success")
        .atMost(Environments.PATIENCE)
        .until(() -> github.states(deployment).equals(List.of("in_progress", "success")));
    assertThat(github.statuses(deployment).get(1).get("environment_url").asText())
        .isEqualTo(ready.getUrl());
    assertThat(github.createdDeployments())
        .filteredOn(d -> d.get("environment").asText().equals("feature/hardy"))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.get("ref").asText()).isEqualTo(env.getSpec().getCommitSha());
              assertThat(d.get("transient_environment").asBoolean()).isTrue();
              assertThat(d.get("production_environment").asBoolean()).isFalse();
            });
    GitHubDeployment recorded = awaitRecorded(env, "success");
    assertThat(recorded.getDeploymentId()).isEqualTo(deployment);
    assertThat(recorded.getSha()).isEqualTo(env.getSpec().getCommitSha());

    environments.deleteAndAwaitGone(env);
    await("inactive")
        .atMost(Environments.PATIENCE)
        .until(
            () -> github.states(deployment).equals(List.of("in_progress", "success", "inactive")));
  }

  /**
   * The deployments token (write access to the repository's deployments) reports this environment
   * to GitHub, yet no object in its namespace holds it, where a DAG's code could read it; only the
   * read-only clone credential reaches the environment, in git-credentials.
   */
  @Test
  void theDeploymentsTokenIsInNoObjectOfTheEnvironmentTheCloneCredentialOnlyInGitCredentials()
      throws Exception {
    WorkflowEnvironment env = client.resource(Fixtures.environment(ns, "feature/tokens")).create();
    environments.awaitPhase(env, Phase.Ready);
    long deployment = awaitDeployment("feature/tokens", 0);
    await("the token reported the environment")
        .atMost(Environments.PATIENCE)
        .until(() -> github.states(deployment).contains("success"));
    String envNs = Environments.namespaceOf(env);

    assertThat(environments.objectsContaining(envNs, Fixtures.GITHUB_TOKEN)).isEmpty();
    assertThat(environments.objectsContaining(envNs, Fixtures.CLONE_TOKEN))
        .as("the scan finds a credential where there is one")
        .containsExactly("Secret/git-credentials");
    assertThat(environments.secretValue(envNs, "git-credentials", "AIRFLOW_CONN_BRANCHFLOW_GIT"))
        .contains("\"password\":\"" + Fixtures.CLONE_TOKEN + "\"");
  }

  @Test
  void deletingARepositoryTearsDownItsEnvironmentsAndMarksTheirDeploymentsInactive() {
    // A second WorkflowRepository of the same GitHub repository, so the suite's own stays.
    WorkflowRepository repository = Fixtures.repository(ns);
    repository.getMetadata().setName("acme-dags-leaving");
    repository.getSpec().setGithubTokenRef(new SecretKeyRef("acme-dags-github", "token"));
    repository = client.resource(repository).create();
    WorkflowEnvironment env = Fixtures.environment(ns, "feature/leaving");
    env.getSpec().setRepositoryRef("acme-dags-leaving");
    env = client.resource(env).create();
    environments.awaitPhase(env, Phase.Ready);
    long deployment = awaitDeployment("feature/leaving", 0);
    await("in_progress then success")
        .atMost(Environments.PATIENCE)
        .until(() -> github.states(deployment).equals(List.of("in_progress", "success")));

    client.resource(repository).delete();

    environments.awaitGone(env); // the WorkflowEnvironment and its namespace
    await("inactive")
        .atMost(Environments.PATIENCE)
        .until(
            () -> github.states(deployment).equals(List.of("in_progress", "success", "inactive")));
    WorkflowRepository deleted = repository;
    await("the repository, once its environments are gone")
        .atMost(Environments.PATIENCE)
        .until(() -> client.resource(deleted).get() == null);
  }

  @Test
  void theReportersFieldsAreItsOwnAndSurviveTheReconcilersStatusWrites() {
    WorkflowEnvironment env = client.resource(Fixtures.environment(ns, "feature/pushy")).create();
    environments.awaitPhase(env, Phase.Ready);
    long first = awaitDeployment("feature/pushy", 0);
    awaitRecorded(env, "success");

    // A push: the reconciler writes its status for the new spec, the reporter a new deployment.
    environments.edit(env, e -> e.getSpec().setCommitSha(NEW_SHA));
    long pushed = environments.get(env).getMetadata().getGeneration();
    long second = awaitDeployment("feature/pushy", 1);
    await("the reconciler's status and the new deployment both recorded")
        .atMost(Environments.PATIENCE)
        .until(
            () -> {
              WorkflowEnvironmentStatus s = environments.status(env).orElseThrow();
              return Long.valueOf(pushed).equals(s.getObservedGeneration())
                  && s.getGithub() != null
                  && NEW_SHA.equals(s.getGithub().getSha())
                  && "success".equals(s.getGithub().getState());
            });
    assertThat(environments.status(env).orElseThrow().getGithub().getDeploymentId())
        .isEqualTo(second)
        .isNotEqualTo(first);
    assertThat(github.states(second)).containsExactly("success");

    // Field ownership: status.github is branchflow-github's alone, the rest the reconciler's.
    List<ManagedFieldsEntry> managers = environments.get(env).getMetadata().getManagedFields();
    assertThat(fieldsOf(managers, AnnounceSettings.GITHUB_FIELD_MANAGER))
        .contains("\"f:github\"")
        .doesNotContain("\"f:phase\"");
    assertThat(fieldsOf(managers, OperatorSettings.FIELD_MANAGER))
        .contains("\"f:phase\"")
        .doesNotContain("\"f:github\"");

    // More reconciler status writes (suspend, resume) leave the reporter's fields in place.
    environments.setSuspend(env, true);
    environments.awaitPhase(env, Phase.Suspended);
    awaitRecorded(env, "inactive");
    environments.setSuspend(env, false);
    environments.awaitPhase(env, Phase.Ready);
    GitHubDeployment after = awaitRecorded(env, "success");
    assertThat(after.getDeploymentId()).isEqualTo(second);
    // Resuming goes through Provisioning (in_progress) when the reporter sees it in time.
    assertThat(github.states(second)).startsWith("success", "inactive").endsWith("success");
  }

  @Test
  void gitHubFailingThroughoutDelaysNothingAndTheStatusesCatchUpWhenItRecovers() {
    github.failWith(500, "{\"message\": \"Server Error\"}");
    WorkflowEnvironment env = client.resource(Fixtures.environment(ns, "feature/offline")).create();

    environments.awaitPhase(env, Phase.Ready);
    await("the user is told why GitHub shows nothing")
        .atMost(Environments.PATIENCE)
        .until(
            () ->
                Optional.ofNullable(environments.status(env).orElseThrow().getGithub())
                    .map(GitHubDeployment::getMessage)
                    .orElse("")
                    .contains("GitHub answered 500"));
    assertThat(github.deployments("feature/offline")).isEmpty();
    assertThat(
            cluster
                .kubectl()
                .run(
                    "get",
                    "events",
                    "-n",
                    ns,
                    "--field-selector",
                    "involvedObject.name=" + env.getMetadata().getName()))
        .contains("GitHubReportFailing");

    github.recover();
    long deployment = awaitDeployment("feature/offline", 0);
    await("success once GitHub is back")
        .atMost(Environments.PATIENCE)
        .until(() -> github.states(deployment).equals(List.of("success")));
    GitHubDeployment recorded = awaitRecorded(env, "success");
    assertThat(recorded.getMessage()).isNull();
    assertThat(github.deployments("feature/offline")).hasSize(1);
  }

  @Test
  void aRestartedOperatorSendsOnlyWhatIsMissingAndNoSecondDeployment() {
    WorkflowEnvironment env = client.resource(Fixtures.environment(ns, "feature/restart")).create();
    environments.awaitPhase(env, Phase.Ready);
    long deployment = awaitDeployment("feature/restart", 0);
    awaitRecorded(env, "success");

    operator.close();
    operator = OperatorUnderTest.start(cluster, ns, OperatorSettings.defaults(), announce());
    environments.setSuspend(env, true);
    environments.awaitPhase(env, Phase.Suspended);
    awaitRecorded(env, "inactive");

    assertThat(github.deployments("feature/restart")).containsExactly(deployment);
    assertThat(github.states(deployment)).containsExactly("in_progress", "success", "inactive");
  }

  /**
   * One comment per pull request, edited in place from Ready through a suspension, an operator
   * restart and the resume to the removal: GitHub receives one POST and only PATCHes after it.
   */
  @Test
  void aPullRequestOfTheBranchGetsOneCommentEditedInPlaceUntilTheEnvironmentIsRemoved() {
    int pr = github.openPullRequest("feature/reviewed");
    WorkflowEnvironment env =
        client.resource(Fixtures.environment(ns, "feature/reviewed")).create();
    WorkflowEnvironmentStatus ready = environments.awaitPhase(env, Phase.Ready);
    long comment = awaitComment(pr, "**Ready**");
    assertThat(github.comments(pr).get(comment)).contains("[Open Airflow](" + ready.getUrl() + ")");
    await("the comment recorded in status.github.pullRequests")
        .atMost(Environments.PATIENCE)
        .until(
            () ->
                Optional.ofNullable(environments.status(env).orElseThrow().getGithub())
                    .map(GitHubDeployment::getPullRequests)
                    .filter(c -> c.size() == 1 && c.get(0).getCommentId() == comment)
                    .isPresent());

    environments.setSuspend(env, true);
    environments.awaitPhase(env, Phase.Suspended);
    awaitComment(pr, "**Suspended**");
    operator.close();
    operator = OperatorUnderTest.start(cluster, ns, OperatorSettings.defaults(), announce());
    environments.setSuspend(env, false);
    environments.awaitPhase(env, Phase.Ready);
    awaitComment(pr, "**Ready**");
    environments.deleteAndAwaitGone(env);
    awaitComment(pr, "**Removed**");

    assertThat(github.comments(pr)).containsOnlyKeys(comment);
    assertThat(github.commentsCreated(pr)).isEqualTo(1);
    assertThat(github.commentEdits(comment)).isGreaterThanOrEqualTo(3);
  }

  /**
   * A pull request opened while the environment is quietly Ready gets its comment at once, when the
   * webhook receiver notes its {@code pull_request} "opened" on the environment (exactly what the
   * receiver writes: WebhookReceiverTest covers the signed delivery), not at the environment's next
   * change: one POST; the same delivery again writes nothing, a reopening only looks again.
   */
  @Test
  void aPullRequestOpenedWhileTheEnvironmentIsReadyGetsItsCommentAtOnceFromTheReceiversNote() {
    String branch = "feature/late-review";
    WorkflowEnvironment env = client.resource(Fixtures.environment(ns, branch)).create();
    environments.awaitPhase(env, Phase.Ready);
    // Quiet from then on: the Ready comment's text looked up (no pull request yet), and the
    // poller's first word on Airflow (none answers on kwok) taken in; nothing else changes, so
    // only the note can start the pass that comments.
    await("Ready, reported, and the poller's first observation in the status")
        .atMost(Environments.PATIENCE)
        .until(
            () -> {
              WorkflowEnvironmentStatus status = environments.status(env).orElseThrow();
              return status.getGithub() != null
                  && "success".equals(status.getGithub().getState())
                  && status.getGithub().getComment() != null
                  && status.getConditions() != null
                  && status.getConditions().stream()
                      .anyMatch(c -> "DagsImported".equals(c.getType()));
            });
    int lookups = github.pullRequestLookups(branch);

    int pr = github.openPullRequest(branch);
    WorkflowRepository repository =
        client
            .resources(WorkflowRepository.class)
            .inNamespace(ns)
            .withName(env.getSpec().getRepositoryRef())
            .get();
    BranchEnvironments receiver = new BranchEnvironments(client);
    String opened = "#" + pr + " " + Instant.now().truncatedTo(ChronoUnit.SECONDS);
    long noted = System.nanoTime();
    assertThat(receiver.notePullRequests(repository, branch, opened))
        .isEqualTo(BranchEnvironments.Outcome.UPDATED);
    long comment = awaitComment(pr, "**Ready**");
    System.out.printf(
        "[measure] pull request noted -> its comment posted: %d ms%n",
        (System.nanoTime() - noted) / 1_000_000);
    assertThat(github.pullRequestLookups(branch)).isEqualTo(lookups + 1);

    assertThat(receiver.notePullRequests(repository, branch, opened))
        .as("the same delivery again")
        .isEqualTo(BranchEnvironments.Outcome.UNCHANGED);
    receiver.notePullRequests(repository, branch, "#" + pr + " reopened");
    await("the reopened pull request looked up")
        .atMost(Environments.PATIENCE)
        .until(() -> github.pullRequestLookups(branch) == lookups + 2);
    assertThat(github.comments(pr)).containsOnlyKeys(comment);
    assertThat(github.commentsCreated(pr)).isEqualTo(1);
    assertThat(environments.status(env).orElseThrow().getPhase()).isEqualTo(Phase.Ready);
  }

  @Test
  void aRepositoryWithPullRequestCommentsOffHasNoPullRequestLookedUp() {
    WorkflowRepository repository = Fixtures.repository(ns);
    repository.getMetadata().setName("acme-dags-quiet");
    repository.getSpec().setGithubTokenRef(new SecretKeyRef("acme-dags-github", "token"));
    GitHubSettings settings = new GitHubSettings();
    settings.setPullRequestComments(false);
    repository.getSpec().setGithub(settings);
    client.resource(repository).create();
    int quietPr = github.openPullRequest("feature/quiet");
    int loudPr = github.openPullRequest("feature/loud");
    WorkflowEnvironment quiet = Fixtures.environment(ns, "feature/quiet");
    quiet.getSpec().setRepositoryRef("acme-dags-quiet");
    quiet = client.resource(quiet).create();
    environments.awaitPhase(quiet, Phase.Ready);
    awaitRecorded(quiet, "success");

    // The suite's repository, comments on: its comment comes after the quiet one's report ended.
    WorkflowEnvironment loud = client.resource(Fixtures.environment(ns, "feature/loud")).create();
    environments.awaitPhase(loud, Phase.Ready);
    awaitComment(loudPr, "**Ready**");

    assertThat(github.states(awaitDeployment("feature/quiet", 0))).contains("success");
    assertThat(github.pullRequestLookups("feature/quiet")).isZero();
    assertThat(github.comments(quietPr)).isEmpty();
  }

  /** The ID of the one comment on {@code pr} once it contains {@code text}. */
  private long awaitComment(int pr, String text) {
    await("the comment on #" + pr + " says " + text)
        .atMost(Environments.PATIENCE)
        .until(() -> github.comments(pr).values().stream().anyMatch(b -> b.contains(text)));
    return github.comments(pr).keySet().iterator().next();
  }

  private long awaitDeployment(String branch, int index) {
    await("deployment " + index + " of " + branch)
        .atMost(Environments.PATIENCE)
        .until(() -> github.deployments(branch).size() > index);
    return github.deployments(branch).get(index);
  }

  private GitHubDeployment awaitRecorded(WorkflowEnvironment env, String state) {
    await("status.github.state " + state)
        .atMost(Environments.PATIENCE)
        .until(
            () ->
                Optional.ofNullable(environments.status(env).orElseThrow().getGithub())
                    .map(g -> state.equals(g.getState()))
                    .orElse(false));
    return environments.status(env).orElseThrow().getGithub();
  }

  private String fieldsOf(List<ManagedFieldsEntry> managers, String manager) {
    return managers.stream()
        .filter(m -> manager.equals(m.getManager()) && "status".equals(m.getSubresource()))
        .map(m -> client.getKubernetesSerialization().asJson(m.getFieldsV1()))
        .findFirst()
        .orElse("");
  }
}
