package io.branchflow.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.branchflow.api.branches.BranchEnvironments;
import io.branchflow.api.branches.ResyncRequest;
import io.branchflow.api.naming.EnvironmentNames;
import io.branchflow.api.v1alpha1.EnvironmentLimits;
import io.branchflow.api.v1alpha1.SecretKeyRef;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.api.v1alpha1.WorkflowRepositorySpec;
import io.branchflow.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The receiver over real HTTP, writing to a real API server. */
@QuarkusTest
@QuarkusTestResource(value = ClusterForReceiver.class, restrictToAnnotatedClass = true)
class WebhookReceiverTest {

  static final String REPOSITORY = "acme/dags";
  static final String SECRET = "local-dev-secret";
  static final String SHA_1 = "1111111111111111111111111111111111111111";
  static final String SHA_2 = "2222222222222222222222222222222222222222";

  @TestHTTPResource("/webhooks/github")
  URI endpoint;

  @TestHTTPResource("/q/metrics")
  URI metrics;

  private final KubernetesClient client = TestCluster.shared().client();
  private final String ns = ClusterForReceiver.NAMESPACE;
  private GitHub github;

  @BeforeEach
  void registerRepository() {
    github = new GitHub(endpoint, SECRET);
    if (client.resources(WorkflowRepository.class).inNamespace(ns).withName("acme-dags").get()
        == null) {
      client
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName("acme-dags-github")
                  .withNamespace(ns)
                  .endMetadata()
                  .withStringData(Map.of("webhook-secret", SECRET))
                  .build())
          .create();
      client.resource(repository("acme-dags", REPOSITORY)).create();
    }
    await("receiver knows acme/dags")
        .atMost(Duration.ofMinutes(1))
        .until(() -> github.send("ping", GitHub.ping(REPOSITORY)).statusCode() == 200);
  }

  @Test
  void pingIsAnswered() {
    HttpResponse<String> response = github.send("ping", GitHub.ping(REPOSITORY));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("pong");
  }

  @Test
  void signedCreateMakesTheEnvironmentAndDeleteOnlyAsksTheResyncToConfirmIt() {
    String branch = "feature/hardy";
    HttpResponse<String> created =
        github.send("create", GitHub.create(REPOSITORY, branch, Instant.now()));
    assertThat(created.statusCode()).isEqualTo(200);
    WorkflowEnvironment env = environment(branch);
    assertThat(env).isNotNull();
    assertThat(env.getSpec().getBranch()).isEqualTo(branch);
    assertThat(env.getSpec().getRepositoryRef()).isEqualTo("acme-dags");

    assertThat(
            github.send("push", GitHub.push(REPOSITORY, branch, SHA_1, Instant.now())).statusCode())
        .isEqualTo(200);
    assertThat(environment(branch).getSpec().getCommitSha()).isEqualTo(SHA_1);
    assertThat(environment(branch).getSpec().getPusher()).isEqualTo("hardy");

    // A deletion is a hint: the resync lists the branches with the Git host and deletes the
    // environment only if the branch is gone (operator's ResyncE2ETest).
    String version = environment(branch).getMetadata().getResourceVersion();
    Instant asked = Instant.now();
    HttpResponse<String> deleted = github.send("delete", GitHub.delete(REPOSITORY, branch));
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(202);
    assertThat(deleted.body()).contains("RESYNC_REQUESTED");
    assertThat(environment(branch).getMetadata().getResourceVersion()).isEqualTo(version);
    assertThat(resyncRequestedSince(asked)).isTrue();
  }

  @Test
  void aBranchPastTheRepositoryLimitIsCreatedAndTheAnswerSaysWhereItWaits() {
    String limited = "acme/limited";
    if (client.resources(WorkflowRepository.class).inNamespace(ns).withName("acme-limited").get()
        == null) {
      WorkflowRepository repository = repository("acme-limited", limited);
      EnvironmentLimits limits = new EnvironmentLimits();
      limits.setMaxEnvironments(1);
      repository.getSpec().setLimits(limits);
      client.resource(repository).create();
    }
    await("receiver knows " + limited)
        .atMost(Duration.ofMinutes(1))
        .until(() -> github.send("ping", GitHub.ping(limited)).statusCode() == 200);

    HttpResponse<String> first =
        github.send("push", GitHub.push(limited, "feature/first", SHA_1, Instant.now()));
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body()).contains("CREATED").doesNotContain("queued");

    HttpResponse<String> second =
        github.send("push", GitHub.push(limited, "feature/second", SHA_1, Instant.now()));
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.body())
        .contains("CREATED")
        .contains(
            "\"queued\":\"waiting: 1 of 1 environments of repository acme/limited exist;"
                + " position 1 in the queue");
    // The environment exists either way: it is the branch's place in the queue; the operator
    // keeps it Queued (nothing provisioned) until a slot frees.
    assertThat(
            client
                .resources(WorkflowEnvironment.class)
                .inNamespace(ns)
                .withName(EnvironmentNames.of(limited, "feature/second").name())
                .get())
        .isNotNull();
  }

  @Test
  void pushWithDeletedTrueAsksForAResyncAndDeletesNothing() {
    String branch = "feature/push-deleted";
    github.send("push", GitHub.push(REPOSITORY, branch, SHA_1, Instant.now().minusSeconds(5)));
    String version = environment(branch).getMetadata().getResourceVersion();
    ObjectNode deletion = GitHub.push(REPOSITORY, branch, "0".repeat(40), Instant.now());
    deletion.put("deleted", true);
    Instant asked = Instant.now();
    HttpResponse<String> answer = github.send("push", deletion);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    assertThat(answer.body()).contains("RESYNC_REQUESTED");
    assertThat(environment(branch).getMetadata().getResourceVersion()).isEqualTo(version);
    assertThat(resyncRequestedSince(asked)).isTrue();
  }

  @Test
  void tagsAndBranchesOutsideThePatternAreAcknowledgedAndChangeNothing() {
    Map<String, String> before = snapshot();
    ObjectNode tag = GitHub.push(REPOSITORY, "x", SHA_1, Instant.now());
    tag.put("ref", "refs/tags/v1.0.0");
    assertThat(github.send("push", tag).statusCode()).isEqualTo(202);
    ObjectNode tagCreate = GitHub.create(REPOSITORY, "v1.0.0", Instant.now());
    tagCreate.put("ref_type", "tag");
    assertThat(github.send("create", tagCreate).statusCode()).isEqualTo(202);
    assertThat(
            github.send("push", GitHub.push(REPOSITORY, "main", SHA_1, Instant.now())).statusCode())
        .isEqualTo(202);
    assertThat(
            github
                .send("push", GitHub.push(REPOSITORY, "feature/a/b", SHA_1, Instant.now()))
                .statusCode())
        .isEqualTo(202);
    assertThat(github.send("issues", GitHub.ping(REPOSITORY)).statusCode()).isEqualTo(202);
    assertThat(snapshot()).isEqualTo(before);
  }

  /**
   * A pull request opened for a branch with an environment is noted on it once, for the operator to
   * comment at once (operator's GitHubDeploymentsE2ETest); the receiver itself never calls GitHub.
   * Forks, branches without an environment and other actions change nothing.
   */
  @Test
  void aPullRequestOpenedIsNotedOnceOnItsBranchsEnvironmentAndNowhereElse() {
    String branch = "feature/reviewed";
    github.send("push", GitHub.push(REPOSITORY, branch, SHA_1, Instant.now()));
    Instant opened = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    ObjectNode pr = GitHub.pullRequest(REPOSITORY, "opened", 7, branch, REPOSITORY, opened);

    HttpResponse<String> noted = github.send("pull_request", pr);
    assertThat(noted.statusCode()).as(noted.body()).isEqualTo(200);
    assertThat(noted.body()).contains("UPDATED");
    assertThat(BranchEnvironments.pullRequestsChangedOf(environment(branch)))
        .isEqualTo("#7 " + opened);
    assertThat(environment(branch).getSpec().getCommitSha()).isEqualTo(SHA_1);

    Map<String, String> before = snapshot();
    HttpResponse<String> again = github.send("pull_request", pr);
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(again.body()).as("a redelivery").contains("UNCHANGED");
    HttpResponse<String> fork =
        github.send(
            "pull_request",
            GitHub.pullRequest(REPOSITORY, "opened", 8, branch, "mallory/dags", Instant.now()));
    assertThat(fork.statusCode()).isEqualTo(202);
    assertThat(fork.body()).contains("comes from the fork mallory/dags");
    HttpResponse<String> unknown =
        github.send(
            "pull_request",
            GitHub.pullRequest(
                REPOSITORY, "opened", 9, "feature/never-pushed", REPOSITORY, Instant.now()));
    assertThat(unknown.statusCode()).isEqualTo(202);
    assertThat(unknown.body()).contains("ignored: the branch has no environment", "ABSENT");
    assertThat(
            github
                .send(
                    "pull_request",
                    GitHub.pullRequest(REPOSITORY, "opened", 10, "main", REPOSITORY, Instant.now()))
                .statusCode())
        .isEqualTo(202);
    assertThat(
            github
                .send(
                    "pull_request",
                    GitHub.pullRequest(REPOSITORY, "closed", 7, branch, REPOSITORY, Instant.now()))
                .statusCode())
        .isEqualTo(202);
    assertThat(snapshot()).isEqualTo(before);
    assertThat(environment("feature/never-pushed")).isNull();
  }

  @Test
  void eachBadInputHasItsOwnStatusAndChangesNothing() {
    Map<String, String> before = snapshot();
    byte[] push = GitHub.bytes(GitHub.push(REPOSITORY, "feature/bad-input", SHA_1, Instant.now()));
    String id = UUID.randomUUID().toString();

    assertThat(
            github
                .send(
                    "push",
                    GitHub.bytes(GitHub.push("acme/unknown", "feature/x", SHA_1, Instant.now())),
                    id)
                .statusCode())
        .as("unknown repository")
        .isEqualTo(404);
    assertThat(github.post("push", push, id, null, "application/json").statusCode())
        .as("missing signature")
        .isEqualTo(401);
    assertThat(
            github
                .post(
                    "push",
                    push,
                    id,
                    WebhookSignature.sign(push, "wrong-secret"),
                    "application/json")
                .statusCode())
        .as("signature with another secret")
        .isEqualTo(401);
    assertThat(github.post("push", push, id, "sha256=zz", "application/json").statusCode())
        .as("garbage signature")
        .isEqualTo(401);
    // Just over max-body-bytes: the receiver's own 413, with its reason.
    byte[] over = new byte[1024 * 1024 + 1];
    java.util.Arrays.fill(over, (byte) ' ');
    HttpResponse<String> tooLarge = github.send("push", over, id);
    assertThat(tooLarge.statusCode()).as("body over the limit").isEqualTo(413);
    assertThat(tooLarge.body()).contains("larger than 1048576 bytes");
    // Over the HTTP layer's cap (quarkus.http.limits.max-body-size): refused by its
    // Content-Length before it is read, a bare 413 and the connection closed, which may reach
    // the client before the answer does.
    byte[] huge = new byte[2 * 1024 * 1024];
    java.util.Arrays.fill(huge, (byte) ' ');
    try {
      assertThat(github.send("push", huge, id).statusCode())
          .as("body over the HTTP layer's cap")
          .isEqualTo(413);
    } catch (java.io.UncheckedIOException closedBeforeTheAnswer) {
      // refused all the same
    }
    assertThat(
            github
                .post(
                    "push",
                    push,
                    id,
                    WebhookSignature.sign(push, SECRET),
                    "application/x-www-form-urlencoded")
                .statusCode())
        .as("form-encoded delivery")
        .isEqualTo(415);
    assertThat(
            github.post("push", push, id, WebhookSignature.sign(push, SECRET), null).statusCode())
        .as("no content type")
        .isEqualTo(415);
    byte[] malformed = "{\"ref\": \"refs/heads/feature/x\",".getBytes(StandardCharsets.UTF_8);
    assertThat(github.send("push", malformed, id).statusCode()).as("malformed JSON").isEqualTo(400);
    ObjectNode wrongShape = GitHub.push(REPOSITORY, "feature/bad-input", SHA_1, Instant.now());
    wrongShape.put("after", 42);
    assertThat(github.send("push", GitHub.bytes(wrongShape), id).statusCode())
        .as("wrong shape")
        .isEqualTo(400);
    assertThat(
            github
                .post(null, push, id, WebhookSignature.sign(push, SECRET), "application/json")
                .statusCode())
        .as("no event header")
        .isEqualTo(400);

    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void aThousandHostileBodiesGetNoServerErrorAndChangeNothing() {
    Map<String, String> before = snapshot();
    List<HostileBodies.Case> cases = HostileBodies.all(REPOSITORY);
    assertThat(cases.size()).isGreaterThanOrEqualTo(1000);

    for (HostileBodies.Case c : cases) {
      HttpResponse<String> response = github.send(c.event(), c.body(), "hostile");
      assertThat(response.statusCode()).as(c.name() + ": " + response.body()).isBetween(400, 499);
    }
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void redeliveryAndOutOfOrderDeliveriesLeaveTheDocumentedState() {
    String branch = "feature/ordering";
    Instant t0 = Instant.now().minusSeconds(60);
    ObjectNode older = GitHub.push(REPOSITORY, branch, SHA_1, t0);
    ObjectNode newer = GitHub.push(REPOSITORY, branch, SHA_2, t0.plusSeconds(10));

    // Newer push first, then the older one late: the newer commit stays.
    github.send("push", GitHub.bytes(newer), "delivery-newer");
    github.send("push", GitHub.bytes(older), "delivery-older");
    assertThat(environment(branch).getSpec().getCommitSha()).isEqualTo(SHA_2);

    // The same delivery again changes nothing.
    String version = environment(branch).getMetadata().getResourceVersion();
    assertThat(github.send("push", GitHub.bytes(newer), "delivery-newer").body())
        .contains("UNCHANGED");
    assertThat(environment(branch).getMetadata().getResourceVersion()).isEqualTo(version);

    // Deleted by the resync (which leaves a tombstone); then a push from before the deletion
    // arrives late: the branch stays deleted.
    new BranchEnvironments(client)
        .delete(
            client.resources(WorkflowRepository.class).inNamespace(ns).withName("acme-dags").get(),
            branch,
            t0.plusSeconds(30));
    assertThat(environment(branch)).isNull();
    assertThat(github.send("push", GitHub.bytes(newer), "delivery-newer").body()).contains("STALE");
    assertThat(github.send("create", GitHub.create(REPOSITORY, branch, t0)).body())
        .contains("STALE");
    assertThat(environment(branch)).isNull();

    // A push after the deletion brings it back.
    github.send("push", GitHub.push(REPOSITORY, branch, SHA_1, Instant.now().plusSeconds(2)));
    assertThat(environment(branch)).isNotNull();
    assertThat(environment(branch).getSpec().getCommitSha()).isEqualTo(SHA_1);
  }

  @Test
  void aCapturedDeletionReplayedWithANewDeliveryIdDeletesNothing() {
    // Whatever time the captured body carries, the receiver deletes nothing: the resync asks the
    // Git host, where the branch still exists (operator's ResyncE2ETest).
    String branch = "feature/replayed-delete";
    Instant t0 = Instant.now().minusSeconds(120);
    github.send("push", GitHub.push(REPOSITORY, branch, SHA_1, t0));
    byte[] captured = GitHub.bytes(GitHub.delete(REPOSITORY, branch, Instant.now()));
    String version = environment(branch).getMetadata().getResourceVersion();

    for (String id : List.of("delivery-original-delete", "replayed-" + UUID.randomUUID())) {
      HttpResponse<String> answer = github.send("delete", captured, id);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
      assertThat(answer.body()).contains("RESYNC_REQUESTED");
    }
    assertThat(environment(branch).getSpec().getCommitSha()).isEqualTo(SHA_1);
    assertThat(environment(branch).getMetadata().getResourceVersion()).isEqualTo(version);
  }

  @Test
  void aBodySignedWithNoRegisteredSecretIsRefusedBeforeItIsParsed() {
    Map<String, String> before = snapshot();
    byte[] notJson = "{\"ref\": \"refs/heads/feature/x\",".getBytes(StandardCharsets.UTF_8);
    // Signed, the same body is a 400: the parser read it.
    assertThat(github.send("push", notJson, "signed").statusCode()).isEqualTo(400);
    for (String signature :
        java.util.Arrays.asList(
            null, WebhookSignature.sign(notJson, "wrong-secret"), "sha256=" + "0".repeat(64))) {
      HttpResponse<String> refused =
          github.post("push", notJson, "unsigned", signature, "application/json");
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(401);
      assertThat(refused.body()).doesNotContain("JSON");
    }
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void aRotatedWebhookSecretIsUsedWithoutARestart() {
    String rotated = "rotated-" + UUID.randomUUID();
    GitHub withRotated = new GitHub(endpoint, rotated);
    assertThat(withRotated.send("ping", GitHub.ping(REPOSITORY)).statusCode()).isEqualTo(401);
    try {
      webhookSecret(rotated);
      await("the rotated secret is used")
          .atMost(Duration.ofMinutes(1))
          .until(() -> withRotated.send("ping", GitHub.ping(REPOSITORY)).statusCode() == 200);
      assertThat(github.send("ping", GitHub.ping(REPOSITORY)).statusCode()).isEqualTo(401);
    } finally {
      webhookSecret(SECRET);
      await("the secret is back")
          .atMost(Duration.ofMinutes(1))
          .until(() -> github.send("ping", GitHub.ping(REPOSITORY)).statusCode() == 200);
    }
  }

  private void webhookSecret(String value) {
    client
        .secrets()
        .inNamespace(ns)
        .withName("acme-dags-github")
        .edit(
            s -> {
              s.setData(null);
              s.setStringData(Map.of("webhook-secret", value));
              return s;
            });
  }

  private boolean resyncRequestedSince(Instant asked) {
    return ResyncRequest.of(
            client.resources(WorkflowRepository.class).inNamespace(ns).withName("acme-dags").get())
        .map(at -> !Instant.parse(at).isBefore(asked))
        .orElse(false);
  }

  @Test
  void aPushDatedAheadOfTheReceiversClockIsRefusedAndChangesNothing() {
    String branch = "feature/from-the-future";
    Map<String, String> before = snapshot();
    HttpResponse<String> refused =
        github.send(
            "push", GitHub.push(REPOSITORY, branch, SHA_1, Instant.now().plusSeconds(3600)));
    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
    assertThat(refused.body()).contains("ahead of the receiver's clock");
    assertThat(snapshot()).isEqualTo(before);

    // A clock a minute ahead is drift, not forgery: taken as sent.
    assertThat(
            github
                .send("push", GitHub.push(REPOSITORY, branch, SHA_2, Instant.now().plusSeconds(60)))
                .statusCode())
        .isEqualTo(200);
    assertThat(environment(branch).getSpec().getCommitSha()).isEqualTo(SHA_2);
  }

  /** Reported, not asserted: how long GitHub waits for a push to reach the cluster. */
  @Test
  void threeHundredPushesEachWriteTheirEnvironment() {
    int deliveries = 300;
    long[] millis = new long[deliveries];
    Instant base = Instant.now().minusSeconds(deliveries);
    for (int i = 0; i < deliveries; i++) {
      String branch = "feature/load-" + (i % 30);
      long start = System.nanoTime();
      HttpResponse<String> response =
          github.send("push", GitHub.push(REPOSITORY, branch, sha(i), base.plusSeconds(i)));
      millis[i] = (System.nanoTime() - start) / 1_000_000;
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
    assertThat(environment("feature/load-29").getSpec().getCommitSha()).isEqualTo(sha(299));
    java.util.Arrays.sort(millis);
    System.out.printf(
        "[measure] %d pushes, request -> WorkflowEnvironment written: median %d ms, p99 %d ms,"
            + " max %d ms%n",
        deliveries, millis[deliveries / 2], millis[deliveries * 99 / 100], millis[deliveries - 1]);
  }

  private static String sha(int i) {
    return String.format("%040x", i + 1);
  }

  @Test
  void deliveriesAreCountedByEventAndStatus() throws Exception {
    github.send("ping", GitHub.ping(REPOSITORY));
    String text =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(metrics).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(text)
        .containsPattern(
            "branchflow_webhook_deliveries_total\\{event=\"ping\",status=\"200\"\\} [1-9]");
  }

  private WorkflowEnvironment environment(String branch) {
    return client
        .resources(WorkflowEnvironment.class)
        .inNamespace(ns)
        .withName(EnvironmentNames.of(REPOSITORY, branch).name())
        .get();
  }

  /** Every environment and its revision: what "nothing changed" is checked against. */
  Map<String, String> snapshot() {
    return client.resources(WorkflowEnvironment.class).inNamespace(ns).list().getItems().stream()
        .collect(
            Collectors.toMap(
                e -> e.getMetadata().getName(), e -> e.getMetadata().getResourceVersion()));
  }

  static WorkflowRepository repository(String name, String fullName) {
    WorkflowRepositorySpec spec = new WorkflowRepositorySpec();
    spec.setRepository(fullName);
    spec.setCloneUrl("https://github.com/" + fullName + ".git");
    spec.setBranchPattern("feature/*");
    SecretKeyRef ref = new SecretKeyRef();
    ref.setName("acme-dags-github");
    ref.setKey("webhook-secret");
    spec.setWebhookSecretRef(ref);
    WorkflowRepository repository = new WorkflowRepository();
    repository.setMetadata(
        new ObjectMetaBuilder().withName(name).withNamespace(ClusterForReceiver.NAMESPACE).build());
    repository.setSpec(spec);
    return repository;
  }
}
