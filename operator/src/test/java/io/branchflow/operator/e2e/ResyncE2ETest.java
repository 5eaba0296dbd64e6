package io.branchflow.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.branchflow.api.Labels;
import io.branchflow.api.branches.BranchEnvironments;
import io.branchflow.api.branches.ResyncRequest;
import io.branchflow.api.naming.EnvironmentNames;
import io.branchflow.api.v1alpha1.Condition;
import io.branchflow.api.v1alpha1.ConditionStatus;
import io.branchflow.api.v1alpha1.EnvironmentLimits;
import io.branchflow.api.v1alpha1.EnvironmentTemplate;
import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.ResyncPolicy;
import io.branchflow.api.v1alpha1.SecretKeyRef;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.api.v1alpha1.WorkflowRepositorySpec;
import io.branchflow.api.v1alpha1.WorkflowRepositoryStatus;
import io.branchflow.operator.config.OperatorSettings;
import io.branchflow.operator.config.ResyncSettings;
import io.branchflow.testing.FakeGitHost;
import io.branchflow.testing.FakeGitHost.Fault;
import io.branchflow.testing.KubernetesClusterExtension;
import io.branchflow.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The branch resync against a Git host the test controls (JGit's GitServlet in Jetty, with faults
 * injected in front) and no webhook receiver: the operator runs in this JVM under its production
 * RBAC against a real API server, listing every 2 seconds.
 */
@ExtendWith(KubernetesClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResyncE2ETest {

  private static final String TOKEN = "ghs_e2eTokenThatMustNeverAppearInAStatus";
  private static final String TOKEN_SECRET = "git-token";
  private static final Pattern ATTEMPT = Pattern.compile(" at (\\S+Z) failed: ");

  @TempDir static Path gitRoot;

  private final TestCluster cluster;
  private final KubernetesClient client;
  private final Environments environments;
  private String ns;
  private FakeGitHost host;
  private OperatorUnderTest operator;

  ResyncE2ETest(TestCluster cluster) {
    this.cluster = cluster;
    this.client = cluster.client();
    this.environments = new Environments(client, cluster.kubectl());
  }

  @BeforeAll
  void start() {
    host = FakeGitHost.start(gitRoot);
    // A private repository: every listing must carry the clone credential
    // (spec.cloneCredentialRef).
    host.requireToken(TOKEN);
    ns = Fixtures.branchflowNamespace(client, "resync");
    client
        .resource(Fixtures.secret(ns, TOKEN_SECRET, Map.of("token", TOKEN, "webhook", "s3cret")))
        .create();
    // Grace 0 so the tests need not wait; the listing timeout short so a hang fails fast.
    operator =
        OperatorUnderTest.start(
            cluster,
            ns,
            OperatorSettings.defaults(),
            new ResyncSettings(Duration.ofSeconds(2), Duration.ZERO));
  }

  @AfterAll
  void stop() {
    host.fault(Fault.NONE);
    List<WorkflowEnvironment> left =
        client.resources(WorkflowEnvironment.class).inNamespace(ns).list().getItems();
    // Repositories first, so no resync recreates what is being deleted.
    client.resources(WorkflowRepository.class).inNamespace(ns).delete();
    left.forEach(e -> client.resource(e).delete());
    left.forEach(environments::awaitGone);
    operator.closeAndRemove(client, ns);
    host.close();
  }

  @AfterEach
  void heal() {
    host.fault(Fault.NONE);
  }

  @Test
  void withoutAnyWebhookABranchGetsAnEnvironmentAndLosesItWhenDeleted() {
    WorkflowRepository repository = createRepository("converge", 50);
    String sha = host.push("converge", "feature/alpha");

    WorkflowEnvironment env = awaitEnvironment(repository, "feature/alpha");

    assertThat(env.getSpec().getBranch()).isEqualTo("feature/alpha");
    assertThat(env.getSpec().getCommitSha()).isEqualTo(sha);
    assertThat(env.getSpec().getRepositoryRef()).isEqualTo("converge");
    // The same labels as the receiver's environments: BranchEnvironments wrote it.
    assertThat(env.getMetadata().getLabels())
        .containsEntry(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
        .containsEntry(Labels.REPOSITORY, "converge");
    assertThat(env.getMetadata().getAnnotations()).containsKey(BranchEnvironments.PUSHED_AT);
    await("repository status")
        .atMost(Environments.PATIENCE)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              WorkflowRepository now = client.resource(repository).get();
              WorkflowRepositoryStatus status = now.getStatus();
              assertThat(status.getEnvironments()).isEqualTo(1);
              assertThat(status.getLastResyncTime()).isNotBlank();
              assertThat(status.getObservedGeneration())
                  .isEqualTo(now.getMetadata().getGeneration());
              assertThat(condition(now, "BranchesListed").getStatus())
                  .isEqualTo(ConditionStatus.True);
              assertThat(condition(now, "ResyncSucceeded").getStatus())
                  .isEqualTo(ConditionStatus.True);
            });

    host.deleteBranch("converge", "feature/alpha");

    awaitDeleted(env);
    await("environment count")
        .atMost(Environments.PATIENCE)
        .until(() -> client.resource(repository).get().getStatus().getEnvironments() == 0);
    assertThat(eventsOf(repository, "EnvironmentDeleted")).isNotEmpty();
  }

  @Test
  void aBranchPastTheLimitFoundByTheResyncWaitsQueuedAndTheResyncSaysSo() {
    EnvironmentLimits limits = new EnvironmentLimits();
    limits.setMaxEnvironments(1);
    host.createRepository("queue");
    WorkflowRepository repository =
        createRepository("queue", 50, "2s", spec -> spec.setLimits(limits));
    host.push("queue", "feature/one");
    host.push("queue", "feature/two");

    List<WorkflowEnvironment> both =
        List.of(
            awaitEnvironment(repository, "feature/one"),
            awaitEnvironment(repository, "feature/two"));
    await("one of the two waits")
        .atMost(Environments.PATIENCE)
        .until(() -> both.stream().filter(e -> environments.phase(e) == Phase.Queued).count() == 1);
    WorkflowEnvironment waiting =
        both.stream().filter(e -> environments.phase(e) == Phase.Queued).findFirst().orElseThrow();
    assertThat(client.namespaces().withName(Environments.namespaceOf(waiting)).get()).isNull();
    assertThat(eventsOf(repository, "EnvironmentCreated"))
        .anySatisfy(
            e ->
                assertThat(e.getNote())
                    .contains(
                        "waiting: 1 of 1 environments of repository acme/queue exist; position 1"));
  }

  @Test
  void branchesOutsideThePatternNeverGetAnEnvironment() {
    WorkflowRepository repository = createRepository("pattern", 50);
    host.push("pattern", "bugfix/x");
    host.push("pattern", "feature/a/b"); // '*' stays within one segment
    host.push("pattern", "feature-x");
    host.push("pattern", "release/feature/c");
    host.push("pattern", "feature/ok");

    awaitEnvironment(repository, "feature/ok");
    awaitResyncStartedAfter(repository, Instant.now());

    assertThat(environmentsOf(repository))
        .extracting(e -> e.getSpec().getBranch())
        .containsExactly("feature/ok");
    assertThat(condition(client.resource(repository).get(), "BranchesListed").getMessage())
        .contains("listed 6 branches")
        .contains("1 matching feature/*");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "SERVER_ERROR, HTTP 500",
    "HANG, timed out",
    "UNAUTHORIZED, HTTP 401",
    "RATE_LIMITED_429, HTTP 429",
    "RATE_LIMITED_403, HTTP 403",
    "TRUNCATED, truncated",
    "CONNECTION_CLOSED, closed",
    "CONNECTION_REFUSED, connection refused",
  })
  void aFailedListingDeletesNothingAndSaysWhy(Fault fault, String why) {
    WorkflowRepository repository =
        Optional.ofNullable(
                client.resources(WorkflowRepository.class).inNamespace(ns).withName("faults").get())
            .orElseGet(() -> createRepository("faults", 50));
    String branch = "feature/" + fault.name().toLowerCase().replace('_', '-');
    host.push("faults", branch);
    WorkflowEnvironment env = awaitEnvironment(repository, branch);

    host.fault(fault);
    host.deleteBranch("faults", branch);
    Instant deleted = Instant.now();

    // A listing that began after the branch was deleted has finished: nothing was deleted.
    Condition listed = awaitFailedListingStartedAfter(repository, deleted, why);
    assertThat(listed.getReason()).isEqualTo("ListingFailed");
    assertThat(listed.getMessage())
        .contains("nothing was created or deleted")
        .doesNotContain(TOKEN);
    WorkflowRepository now = client.resource(repository).get();
    assertThat(condition(now, "ResyncSucceeded").getStatus()).isEqualTo(ConditionStatus.False);
    assertThat(condition(now, "ResyncSucceeded").getMessage()).doesNotContain(TOKEN);
    WorkflowEnvironment kept = client.resource(env).get();
    assertThat(kept).isNotNull();
    assertThat(kept.getMetadata().getDeletionTimestamp()).isNull();

    // The same resync, once the host answers again, does delete it: the branch really is gone.
    host.fault(Fault.NONE);
    awaitDeleted(env);
  }

  @Test
  void theMassDeletionGuardDeletesNothingAndReports() {
    WorkflowRepository repository = createRepository("guard", 50);
    List<String> branches = List.of("feature/g1", "feature/g2", "feature/g3", "feature/g4");
    branches.forEach(b -> host.push("guard", b));
    List<WorkflowEnvironment> envs =
        branches.stream().map(b -> awaitEnvironment(repository, b)).toList();

    branches.subList(0, 3).forEach(b -> host.deleteBranch("guard", b));

    await("MassDeletionGuard")
        .atMost(Environments.PATIENCE)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> "MassDeletionGuard".equals(reason(repository, "ResyncSucceeded")));
    awaitResyncStartedAfter(repository, Instant.now());
    WorkflowRepository now = client.resource(repository).get();
    Condition blocked = condition(now, "ResyncSucceeded");
    assertThat(blocked.getStatus()).isEqualTo(ConditionStatus.False);
    assertThat(blocked.getMessage())
        .contains("would delete 3 of 4 environments (75%)")
        .contains("maxDeletionPercent 50%");
    assertThat(now.getStatus().getEnvironments()).isEqualTo(4);
    assertThat(envs)
        .allSatisfy(
            e ->
                assertThat(client.resource(e).get().getMetadata().getDeletionTimestamp()).isNull());
    assertThat(eventsOf(repository, "MassDeletionGuard"))
        .singleElement()
        .satisfies(e -> assertThat(e.getNote()).contains("3 of 4"));

    // Intended after all: the platform engineer lifts the limit and the resync carries on.
    // As `kubectl patch --type merge` would: no resourceVersion, so the resync's own status
    // writes cannot make it conflict.
    client
        .resources(WorkflowRepository.class)
        .inNamespace(ns)
        .withName("guard")
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"resync\":{\"maxDeletionPercent\":100}}}");
    envs.subList(0, 3).forEach(this::awaitDeleted);
    assertThat(client.resource(envs.get(3)).get().getMetadata().getDeletionTimestamp()).isNull();
  }

  @Test
  void aWebhookDeletionIsConfirmedWithTheGitHostBeforeAnythingIsDeleted() {
    // A period far beyond the test: only the receiver's requests explain a resync.
    host.createRepository("hint");
    String kept = "feature/still-there";
    String gone = "feature/really-gone";
    host.push("hint", kept);
    host.push("hint", gone);
    WorkflowRepository repository = createRepository("hint", 100, "1h");
    String keptName = EnvironmentNames.of("acme/hint", kept).name();
    String goneName = EnvironmentNames.of("acme/hint", gone).name();
    // Asked as GitHub redelivers: again until it happened (a listing may time out under load).
    requestResyncsUntil(
        repository, "both environments", () -> exists(keptName) && exists(goneName));

    // A deletion that cannot be confirmed (the host is down) deletes nothing and says why.
    host.deleteBranch("hint", gone);
    host.fault(Fault.CONNECTION_REFUSED);
    Instant asked = Instant.now();
    ResyncRequest.request(client, repository, asked);
    awaitFailedListingStartedAfter(repository, asked.minusSeconds(1), "connection refused");
    assertThat(environment(goneName).getMetadata().getDeletionTimestamp()).isNull();

    // Asked again with the host back (a captured deletion of the kept branch, replayed, asks the
    // same): the branch that is gone loses its environment, the one that exists keeps it.
    host.fault(Fault.NONE);
    Instant again = Instant.now();
    requestResyncsUntil(
        repository,
        "deletion of " + goneName,
        () ->
            environment(goneName) == null
                || environment(goneName).getMetadata().getDeletionTimestamp() != null);
    awaitResyncStartedAfter(repository, again.minusSeconds(1));
    assertThat(environment(keptName)).isNotNull();
    assertThat(environment(keptName).getMetadata().getDeletionTimestamp()).isNull();
  }

  /** What the receiver does for each deletion webhook, repeated until {@code done}. */
  private void requestResyncsUntil(
      WorkflowRepository repository, String what, java.util.concurrent.Callable<Boolean> done) {
    await(what)
        .atMost(Environments.PATIENCE)
        .pollInterval(Duration.ofSeconds(3))
        .until(
            () -> {
              if (done.call()) {
                return true;
              }
              ResyncRequest.request(client, repository, Instant.now());
              return false;
            });
  }

  private WorkflowEnvironment environment(String name) {
    return client.resources(WorkflowEnvironment.class).inNamespace(ns).withName(name).get();
  }

  private boolean exists(String name) {
    return environment(name) != null;
  }

  private WorkflowRepository createRepository(String name, int maxDeletionPercent) {
    host.createRepository(name);
    return createRepository(name, maxDeletionPercent, "2s", spec -> {});
  }

  private WorkflowRepository createRepository(String name, int maxDeletionPercent, String period) {
    return createRepository(name, maxDeletionPercent, period, spec -> {});
  }

  /** The WorkflowRepository of the Git host's repository {@code name}, created before. */
  private WorkflowRepository createRepository(
      String name,
      int maxDeletionPercent,
      String period,
      java.util.function.Consumer<WorkflowRepositorySpec> change) {
    String url = host.cloneUrl(name);
    WorkflowRepositorySpec spec = new WorkflowRepositorySpec();
    spec.setRepository("acme/" + name);
    spec.setCloneUrl(url);
    spec.setBranchPattern("feature/*");
    spec.setWebhookSecretRef(new SecretKeyRef(TOKEN_SECRET, "webhook"));
    spec.setCloneCredentialRef(new SecretKeyRef(TOKEN_SECRET, "token"));
    EnvironmentTemplate template = new EnvironmentTemplate();
    template.setImage(Fixtures.IMAGE);
    spec.setTemplate(template);
    ResyncPolicy resync = new ResyncPolicy();
    resync.setPeriod(period);
    resync.setMaxDeletionPercent(maxDeletionPercent);
    spec.setResync(resync);
    change.accept(spec);
    WorkflowRepository repository = new WorkflowRepository();
    repository.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    repository.setSpec(spec);
    return client.resource(repository).create();
  }

  private WorkflowEnvironment awaitEnvironment(WorkflowRepository repository, String branch) {
    String name = EnvironmentNames.of(repository.getSpec().getRepository(), branch).name();
    return await("environment of " + branch)
        .atMost(Environments.PATIENCE)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> client.resources(WorkflowEnvironment.class).inNamespace(ns).withName(name).get(),
            e -> e != null);
  }

  /** Gone, or on its way (its finalizer holds it while the namespace goes). */
  private void awaitDeleted(WorkflowEnvironment env) {
    await("deletion of " + env.getMetadata().getName())
        .atMost(Environments.PATIENCE)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              WorkflowEnvironment now = client.resource(env).get();
              return now == null || now.getMetadata().getDeletionTimestamp() != null;
            });
  }

  /** Waits for a successful listing that began after {@code instant}, and its resync, to finish. */
  private void awaitResyncStartedAfter(WorkflowRepository repository, Instant instant) {
    Instant second = instant.truncatedTo(ChronoUnit.SECONDS);
    await("a resync started after " + instant)
        .atMost(Environments.PATIENCE)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              WorkflowRepositoryStatus status = client.resource(repository).get().getStatus();
              return status != null
                  && status.getLastResyncTime() != null
                  && Instant.parse(status.getLastResyncTime()).isAfter(second);
            });
  }

  private Condition awaitFailedListingStartedAfter(
      WorkflowRepository repository, Instant instant, String why) {
    Instant second = instant.truncatedTo(ChronoUnit.SECONDS);
    return await("a failed listing (" + why + ") started after " + instant)
        .atMost(Environments.PATIENCE)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> condition(client.resource(repository).get(), "BranchesListed"),
            c -> {
              if (c == null || c.getStatus() != ConditionStatus.False) {
                return false;
              }
              Matcher m = ATTEMPT.matcher(c.getMessage());
              return m.find()
                  && Instant.parse(m.group(1)).isAfter(second)
                  && c.getMessage().contains(why);
            });
  }

  private List<WorkflowEnvironment> environmentsOf(WorkflowRepository repository) {
    return client.resources(WorkflowEnvironment.class).inNamespace(ns).list().getItems().stream()
        .filter(e -> repository.getMetadata().getName().equals(e.getSpec().getRepositoryRef()))
        .toList();
  }

  private List<Event> eventsOf(WorkflowRepository repository, String reason) {
    return client.events().v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> e.getRegarding() != null)
        .filter(e -> "WorkflowRepository".equals(e.getRegarding().getKind()))
        .filter(e -> repository.getMetadata().getName().equals(e.getRegarding().getName()))
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  private String reason(WorkflowRepository repository, String type) {
    Condition c = condition(client.resource(repository).get(), type);
    return c == null ? null : c.getReason();
  }

  private static Condition condition(WorkflowRepository repository, String type) {
    if (repository.getStatus() == null || repository.getStatus().getConditions() == null) {
      return null;
    }
    return repository.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElse(null);
  }
}
