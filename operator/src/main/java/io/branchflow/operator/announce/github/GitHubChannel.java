package io.branchflow.operator.announce.github;

import io.branchflow.api.v1alpha1.GitHubDeployment;
import io.branchflow.api.v1alpha1.GitHubPullRequestComment;
import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentStatus;
import io.branchflow.operator.announce.Announcement;
import io.branchflow.operator.announce.Channel;
import io.branchflow.operator.announce.EnvironmentRef;
import io.branchflow.operator.announce.Outcome;
import io.branchflow.operator.announce.StatusRecorder;
import io.branchflow.operator.announce.TokenSource;
import io.branchflow.operator.config.AnnounceSettings;
import io.branchflow.operator.desired.ShortHash;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.kohsuke.github.GHCommitState;
import org.kohsuke.github.GHDeployment;
import org.kohsuke.github.GHDeploymentState;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GitHub;
import org.kohsuke.github.GitHubBuilder;

/**
 * One GitHub deployment per environment and commit, with statuses following the phase: {@code
 * queued} while it waits under limits.maxEnvironments, {@code in_progress} while provisioning,
 * {@code success} with the environment URL once Ready, {@code failure} with the reason when Failed
 * or Degraded, {@code inactive} when suspended or removed; and one comment on each pull request of
 * the branch, edited as the environment changes ({@link PullRequestComments}). Each step is
 * recorded in {@code status.github} (field manager {@code branchflow-github}) before the next, so a
 * restarted operator sends only what is missing.
 */
public final class GitHubChannel implements Channel<GitHubChannel.Target> {

  private static final org.jboss.logging.Logger LOG =
      org.jboss.logging.Logger.getLogger(GitHubChannel.class);

  /** GitHub's limit on a deployment status description. */
  static final int DESCRIPTION_LIMIT = 140;

  /**
   * What GitHub should show for one environment.
   *
   * @param state the deployment status: queued, in_progress, success, failure or inactive
   * @param removed the environment is gone: deactivate, record nothing
   * @param dags the commit status {@value DagsCommitStatus#CONTEXT}; null while unknown
   * @param comment what each pull request of the branch shows; null when the repository turned pull
   *     request comments off
   */
  public record Target(
      String repository,
      String secretsNamespace,
      String tokenSecret,
      String tokenKey,
      String branch,
      String sha,
      String state,
      String url,
      String description,
      boolean removed,
      DagsCommitStatus dags,
      PullRequestComment comment) {}

  private final TokenSource tokens;
  private final BiConsumer<EnvironmentRef, WorkflowEnvironmentStatus> recorder;
  private final String apiUrl;
  private final TimeoutConnector connector;

  /** What was last recorded per environment; seeded from the status the first time. */
  private final Map<EnvironmentRef, GitHubDeployment> recorded = new ConcurrentHashMap<>();

  /** hub4j objects, to post statuses without fetching the deployment again. */
  private final Map<EnvironmentRef, GHDeployment> deployments = new ConcurrentHashMap<>();

  /**
   * Environments whose removal the deployment shows, so a retry of a later step (the comments) does
   * not post it again; not recorded, the object is going.
   */
  private final java.util.Set<EnvironmentRef> removalShown = ConcurrentHashMap.newKeySet();

  /** Repositories by token fingerprint and name, to skip a GET per report. */
  private final Map<String, GHRepository> repositories = new ConcurrentHashMap<>();

  public GitHubChannel(KubernetesClient client, AnnounceSettings settings) {
    this(
        TokenSource.of(client),
        new StatusRecorder(client, AnnounceSettings.GITHUB_FIELD_MANAGER)::apply,
        settings);
  }

  GitHubChannel(
      TokenSource tokens,
      BiConsumer<EnvironmentRef, WorkflowEnvironmentStatus> recorder,
      AnnounceSettings settings) {
    this.tokens = tokens;
    this.recorder = recorder;
    this.apiUrl = settings.githubApiUrl().replaceAll("/+$", "");
    this.connector = new TimeoutConnector(settings.requestTimeout());
  }

  @Override
  public String name() {
    return "GitHub";
  }

  @Override
  public Optional<Target> target(Announcement a) {
    if (a.repository() == null || a.githubTokenRef() == null || a.sha() == null) {
      return Optional.empty(); // no token, no deployments (and nothing to complain about)
    }
    GitHubDeployment before = a.recordedGithub();
    if (before != null
        && (before.getDeploymentId() != null
            || before.getDags() != null
            || before.getComment() != null)) {
      recorded.putIfAbsent(a.environment(), copy(before));
    }
    Optional<String> state = a.removed() ? Optional.of("inactive") : stateOf(a.phase());
    return state.map(
        s ->
            new Target(
                a.repository(),
                a.secretsNamespace(),
                a.githubTokenRef().getName(),
                a.githubTokenRef().getKey(),
                a.branch(),
                a.sha(),
                s,
                "success".equals(s) ? a.url() : null,
                description(a, s),
                a.removed(),
                DagsCommitStatus.of(a).orElse(null),
                PullRequestComment.of(a).orElse(null)));
  }

  /** The deployment status a phase calls for; none for Pending and Terminating. */
  static Optional<String> stateOf(Phase phase) {
    if (phase == null) {
      return Optional.empty();
    }
    return switch (phase) {
      case Queued -> Optional.of("queued");
      case Provisioning -> Optional.of("in_progress");
      case Ready -> Optional.of("success");
      case Failed, Degraded -> Optional.of("failure");
      case Suspended -> Optional.of("inactive");
      default -> Optional.empty();
    };
  }

  private static String description(Announcement a, String state) {
    String text =
        switch (state) {
          case "in_progress" -> "Provisioning Airflow for " + a.branch();
          case "queued" -> a.message() == null ? "Queued" : a.message();
          case "success" -> "Airflow is ready";
          case "inactive" ->
              a.removed()
                  ? removed(a)
                  // Why it sleeps (limits.idleAfter) and how to wake it, when the status says.
                  : a.message() == null ? "Environment suspended" : a.message();
          default -> a.phase() + ": " + (a.message() == null ? "" : a.message());
        };
    return text.length() <= DESCRIPTION_LIMIT
        ? text
        : text.substring(0, DESCRIPTION_LIMIT - 3) + "...";
  }

  /**
   * Why the environment went, when limits.ttl removed it: the Cleaner's reason ("expired after 72h
   * without a push"), as Slack says it; a branch deletion needs no explaining.
   */
  private static String removed(Announcement a) {
    return a.expiry() == null || a.message() == null
        ? "Environment removed"
        : "Environment removed: " + a.message() + " (limits.ttl)";
  }

  @Override
  public boolean isFinal(Target target) {
    return target.removed();
  }

  @Override
  public Outcome deliver(EnvironmentRef env, Target t) {
    Optional<String> token = tokens.token(t.secretsNamespace(), t.tokenSecret(), t.tokenKey());
    if (token.isEmpty()) {
      return new Outcome.Rejected(
          TokenSource.missing(
              "GitHub", t.secretsNamespace(), t.tokenSecret(), t.tokenKey(), "githubTokenRef"));
    }
    LOG.debugf("GitHub: %s -> %s of %s", env, t.state(), t.sha());
    try {
      deployment(env, t, token.get());
      dagsStatus(env, t, token.get());
    } catch (IOException e) {
      return GitHubFailures.classify(e, t);
    }
    // Last: a token that may not comment must not keep the deployment from showing.
    try {
      comments(env, t, token.get());
    } catch (IOException e) {
      return GitHubFailures.classify(e, t, "write access to pull requests");
    }
    return Outcome.DONE;
  }

  /** The deployment of the environment's commit, and its status following the phase. */
  private void deployment(EnvironmentRef env, Target t, String token) throws IOException {
    GitHubDeployment mem = recorded.get(env);
    boolean hasDeployment = mem != null && mem.getDeploymentId() != null;
    if (!hasDeployment && "inactive".equals(t.state())) {
      return; // nothing shown, nothing to take down
    }
    boolean newCommit = !t.removed() && (!hasDeployment || !t.sha().equals(mem.getSha()));
    if (!newCommit && shown(env, t, mem)) {
      return; // already shown (perhaps by an earlier life of the operator)
    }
    GHRepository repo = repository(token, t.repository());
    if (newCommit) {
      GHDeployment deployment = findOrCreate(repo, t);
      deployments.put(env, deployment);
      GitHubDeployment next = new GitHubDeployment();
      next.setDeploymentId(deployment.getId());
      next.setSha(t.sha());
      if (mem != null) {
        next.setDags(mem.getDags());
        next.setPullRequests(mem.getPullRequests());
        next.setComment(mem.getComment());
      }
      mem = next;
      recorded.put(env, mem);
      record(env, mem);
    }
    if (shown(env, t, mem)) {
      return;
    }
    GHDeployment deployment = deployments.get(env);
    if (deployment == null || deployment.getId() != mem.getDeploymentId()) {
      deployment = repo.getDeployment(mem.getDeploymentId());
      deployments.put(env, deployment);
    }
    var status =
        deployment
            .createStatus(GHDeploymentState.valueOf(t.state().toUpperCase(java.util.Locale.ROOT)))
            .description(t.description());
    if (t.url() != null) {
      status.environmentUrl(t.url());
    }
    status.create();
    GitHubDeployment next = copy(mem);
    next.setState(t.state());
    next.setMessage(null);
    recorded.put(env, next);
    if (t.removed()) {
      removalShown.add(env);
    } else {
      record(env, next);
    }
  }

  /**
   * Whether the deployment already shows {@code t}'s status. A removal is said once, even over a
   * suspension's inactive status, so the deployment tells why the environment went (limits.ttl)
   * rather than how to wake it.
   */
  private boolean shown(EnvironmentRef env, Target t, GitHubDeployment mem) {
    return t.removed() ? removalShown.contains(env) : t.state().equals(mem.getState());
  }

  /** The commit status {@value DagsCommitStatus#CONTEXT}, once per change. */
  private void dagsStatus(EnvironmentRef env, Target t, String token) throws IOException {
    DagsCommitStatus wanted = t.dags();
    GitHubDeployment mem = recorded.get(env);
    if (wanted == null || wanted.shown(mem == null ? null : mem.getDags())) {
      return;
    }
    repository(token, t.repository())
        .createCommitStatus(
            wanted.sha(),
            GHCommitState.valueOf(wanted.state().toUpperCase(java.util.Locale.ROOT)),
            wanted.targetUrl(),
            wanted.description(),
            DagsCommitStatus.CONTEXT);
    GitHubDeployment next = mem == null ? new GitHubDeployment() : copy(mem);
    next.setDags(wanted.record());
    next.setMessage(null);
    recorded.put(env, next);
    record(env, next);
  }

  /**
   * The comment on each pull request of the branch, looked up and sent only when its text changed
   * since the last look (status.github.comment); when the environment is removed, the recorded
   * comments are edited to say so.
   */
  private void comments(EnvironmentRef env, Target t, String token) throws IOException {
    PullRequestComment wanted = t.comment();
    GitHubDeployment mem = recorded.get(env);
    if (wanted == null || (mem != null && wanted.fingerprint().equals(mem.getComment()))) {
      return;
    }
    if (t.removed()) {
      if (mem != null && mem.getPullRequests() != null && !mem.getPullRequests().isEmpty()) {
        PullRequestComments.showRemoved(
            repository(token, t.repository()), env, wanted, mem.getPullRequests());
      }
      return; // nothing recorded: the environment is gone
    }
    List<GitHubPullRequestComment> shown =
        PullRequestComments.show(
            repository(token, t.repository()),
            env,
            t.branch(),
            wanted,
            mem == null ? null : mem.getPullRequests());
    GitHubDeployment next = mem == null ? new GitHubDeployment() : copy(mem);
    next.setPullRequests(shown.isEmpty() ? null : shown);
    next.setComment(wanted.fingerprint());
    next.setMessage(null);
    recorded.put(env, next);
    record(env, next);
  }

  /**
   * The deployment of this commit for this branch, if an earlier life of the operator made it and
   * died before recording it; a new one otherwise.
   */
  private static GHDeployment findOrCreate(GHRepository repo, Target t) throws IOException {
    Iterator<GHDeployment> existing =
        repo.listDeployments(null, t.sha(), null, t.branch()).withPageSize(1).iterator();
    if (existing.hasNext()) {
      GHDeployment found = existing.next();
      if (t.sha().equals(found.getSha()) && t.branch().equals(found.getEnvironment())) {
        return found;
      }
    }
    return repo.createDeployment(t.sha())
        .environment(t.branch())
        .transientEnvironment(true)
        .productionEnvironment(false)
        .requiredContexts(List.of())
        .autoMerge(false)
        .description("Branchflow environment for " + t.branch())
        .create();
  }

  private GHRepository repository(String token, String name) throws IOException {
    String key = fingerprint(token) + "|" + name;
    GHRepository repo = repositories.get(key);
    if (repo != null) {
      return repo;
    }
    if (repositories.size() > 256) {
      repositories.clear(); // rotated tokens: forget the old clients
    }
    GitHub github =
        new GitHubBuilder()
            .withEndpoint(apiUrl)
            // Not withOAuthToken: that makes hub4j look up the token's user (GET /user), an
            // extra call that GitHub App installation tokens are not even allowed.
            .withAuthorizationProvider(() -> "token " + token)
            .withConnector(connector)
            .withRateLimitHandler(Throttled.RATE_LIMIT)
            .withAbuseLimitHandler(Throttled.SECONDARY_LIMIT)
            .build();
    repo = github.getRepository(name);
    repositories.put(key, repo);
    return repo;
  }

  @Override
  public void problem(EnvironmentRef env, String reason) {
    GitHubDeployment mem = recorded.get(env);
    GitHubDeployment next = mem == null ? new GitHubDeployment() : copy(mem);
    next.setMessage(reason);
    recorded.put(env, next);
    record(env, next);
  }

  @Override
  public void forget(EnvironmentRef env) {
    recorded.remove(env);
    deployments.remove(env);
    removalShown.remove(env);
  }

  private void record(EnvironmentRef env, GitHubDeployment github) {
    WorkflowEnvironmentStatus status = new WorkflowEnvironmentStatus();
    status.setGithub(github);
    recorder.accept(env, status);
  }

  private static GitHubDeployment copy(GitHubDeployment from) {
    GitHubDeployment to = new GitHubDeployment();
    to.setDeploymentId(from.getDeploymentId());
    to.setState(from.getState());
    to.setSha(from.getSha());
    to.setMessage(from.getMessage());
    to.setDags(from.getDags());
    to.setPullRequests(PullRequestComments.copy(from.getPullRequests()));
    to.setComment(from.getComment());
    return to;
  }

  private static String fingerprint(String token) {
    return ShortHash.of(token, 16);
  }
}
