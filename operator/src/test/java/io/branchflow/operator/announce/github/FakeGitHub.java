package io.branchflow.operator.announce.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.branchflow.operator.announce.FakeApi;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * WireMock answering like GitHub's REST API for repository {@code acme/dags}: the repository,
 * deployments (list, create, get), deployment statuses, commit statuses, pull requests and their
 * comments ({@link PullRequestsOfFakeGitHub}), shaped as in GitHub's documentation and with its
 * rate-limit headers. Can be told to fail every request.
 */
public final class FakeGitHub extends FakeApi {

  public static final String OWNER = "acme";
  public static final String NAME = "dags";

  /** Above Integer.MAX_VALUE, as real deployment IDs now are. */
  public static final long FIRST_DEPLOYMENT_ID = 3_000_000_001L;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REPO = "/repos/" + OWNER + "/" + NAME;

  private final Deployments deployments;
  private final PullRequestsOfFakeGitHub pullRequests;

  public FakeGitHub() {
    this(new Deployments(), new PullRequestsOfFakeGitHub());
  }

  private FakeGitHub(Deployments deployments, PullRequestsOfFakeGitHub pullRequests) {
    super(options().extensions(deployments, pullRequests));
    this.deployments = deployments;
    this.pullRequests = pullRequests;
    String base = server.baseUrl();
    String repo = base + REPO;
    deployments.repo = repo;
    pullRequests.repo = repo;
    pullRequests.owner = OWNER;
    server.stubFor(
        get(urlPathEqualTo(REPO + "/pulls"))
            .atPriority(5)
            .willReturn(aResponse().withTransformers(PullRequestsOfFakeGitHub.NAME)));
    server.stubFor(
        get(urlPathMatching(REPO + "/issues/[0-9]+(/comments)?"))
            .atPriority(5)
            .willReturn(aResponse().withTransformers(PullRequestsOfFakeGitHub.NAME)));
    server.stubFor(
        post(urlPathMatching(REPO + "/issues/[0-9]+/comments"))
            .atPriority(5)
            .willReturn(aResponse().withTransformers(PullRequestsOfFakeGitHub.NAME)));
    server.stubFor(
        patch(urlPathMatching(REPO + "/issues/comments/[0-9]+"))
            .atPriority(5)
            .willReturn(aResponse().withTransformers(PullRequestsOfFakeGitHub.NAME)));
    server.stubFor(
        get(urlPathEqualTo("/repos/" + OWNER + "/" + NAME))
            .atPriority(5)
            .willReturn(
                ok(
                    200,
                    """
                    {"id": 1296269, "node_id": "MDEwOlJlcG9zaXRvcnkxMjk2MjY5", "name": "%s",
                     "full_name": "%s/%s", "private": true,
                     "owner": {"login": "%s", "id": 1, "type": "Organization",
                               "url": "%s/users/%s"},
                     "html_url": "https://github.com/%s/%s", "url": "%s",
                     "deployments_url": "%s/deployments", "default_branch": "main",
                     "permissions": {"admin": false, "push": true, "pull": true}}
                    """
                        .formatted(
                            NAME, OWNER, NAME, OWNER, base, OWNER, OWNER, NAME, repo, repo))));
    server.stubFor(
        get(urlPathEqualTo("/repos/" + OWNER + "/" + NAME + "/deployments"))
            .atPriority(5)
            .willReturn(aResponse().withTransformers(Deployments.NAME)));
    server.stubFor(
        post(urlPathEqualTo("/repos/" + OWNER + "/" + NAME + "/deployments"))
            .atPriority(5)
            .willReturn(aResponse().withTransformers(Deployments.NAME)));
    server.stubFor(
        get(urlPathMatching("/repos/" + OWNER + "/" + NAME + "/deployments/[0-9]+"))
            .atPriority(5)
            .willReturn(aResponse().withTransformers(Deployments.NAME)));
    server.stubFor(
        post(urlPathMatching("/repos/" + OWNER + "/" + NAME + "/deployments/[0-9]+/statuses"))
            .atPriority(5)
            .willReturn(
                ok(
                    201,
                    """
                    {"url": "%s/deployments/1/statuses/1", "id": 1, "node_id": "MDE2OkRlcGxveW1lbnRTdGF0dXMx",
                     "state": "success", "description": "", "environment": "feature/hardy",
                     "target_url": "", "log_url": "", "environment_url": "",
                     "created_at": "2012-07-20T01:19:13Z", "updated_at": "2012-07-20T01:19:13Z",
                     "deployment_url": "%s/deployments/1", "repository_url": "%s"}
                    """
                        .formatted(repo, repo, repo))));
    // POST /repos/{owner}/{repo}/statuses/{sha}, answered as GitHub documents it.
    server.stubFor(
        post(urlPathMatching("/repos/" + OWNER + "/" + NAME + "/statuses/[0-9a-f]{40}"))
            .atPriority(5)
            .willReturn(
                ok(
                    201,
                    """
                    {"url": "%s/statuses/6dcb09b5b57875f334f61aebed695e2e4193db5e", "id": 1,
                     "node_id": "MDY6U3RhdHVzMQ==", "state": "success", "description": "",
                     "target_url": "", "context": "branchflow/dags",
                     "created_at": "2012-07-20T01:19:13Z", "updated_at": "2012-07-20T01:19:13Z",
                     "creator": {"login": "branchflow[bot]", "id": 2, "type": "Bot"}}
                    """
                        .formatted(repo))));
  }

  /** Opens a pull request of {@code branch} (in this repository, not a fork); its number. */
  public int openPullRequest(String branch) {
    return pullRequests.open(branch);
  }

  public void closePullRequest(int number) {
    pullRequests.close(number);
  }

  /** A comment somebody else wrote on pull request {@code number}; its ID. */
  public long commentBySomeoneElse(int number, String body) {
    return pullRequests.comment(number, body);
  }

  /** A user deletes comment {@code id}: listing no longer shows it, editing it answers 404. */
  public void deleteComment(long id) {
    pullRequests.delete(id);
  }

  /** The comments on pull request {@code number} as GitHub now shows them: bodies by ID. */
  public Map<Long, String> comments(int number) {
    return pullRequests.comments(number);
  }

  /** Listing pull requests answered with {@code status} (e.g. a token without the permission). */
  public void failPullRequestsWith(int status, String body) {
    server.stubFor(
        get(urlPathEqualTo(REPO + "/pulls"))
            .atPriority(2)
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", "application/json; charset=utf-8")
                    .withBody(body)));
  }

  /** How many comments were created (POST), on any pull request. */
  public int commentsCreated() {
    return requests(postRequestedFor(urlPathMatching(REPO + "/issues/[0-9]+/comments"))).size();
  }

  /** How many comments were created (POST) on pull request {@code number}. */
  public int commentsCreated(int number) {
    return requests(postRequestedFor(urlPathEqualTo(REPO + "/issues/" + number + "/comments")))
        .size();
  }

  /** How many edits (PATCH) comment {@code id} received. */
  public int commentEdits(long id) {
    return requests(patchRequestedFor(urlPathEqualTo(REPO + "/issues/comments/" + id))).size();
  }

  /** How many comment edits (PATCH) were sent. */
  public int commentEdits() {
    return requests(patchRequestedFor(urlPathMatching(REPO + "/issues/comments/[0-9]+"))).size();
  }

  /** How many times the pull requests of {@code branch} were listed. */
  public int pullRequestLookups(String branch) {
    return (int)
        requests(getRequestedFor(urlPathEqualTo(REPO + "/pulls"))).stream()
            .filter(r -> (OWNER + ":" + branch).equals(r.queryParameter("head").firstValue()))
            .count();
  }

  /** Commit statuses set (POST bodies), oldest first, each with the {@code sha} added. */
  public List<JsonNode> commitStatuses() {
    List<JsonNode> out = new ArrayList<>();
    for (LoggedRequest r :
        requests(
            postRequestedFor(urlPathMatching("/repos/" + OWNER + "/" + NAME + "/statuses/.*")))) {
      var node = (com.fasterxml.jackson.databind.node.ObjectNode) parse(r.getBodyAsString());
      node.put("sha", r.getUrl().replaceAll("[?].*", "").replaceAll(".*/statuses/", ""));
      out.add(node);
    }
    return out;
  }

  /** Deployments created (POST bodies), oldest first. */
  public List<JsonNode> createdDeployments() {
    return bodies(
        requests(
            postRequestedFor(urlPathEqualTo("/repos/" + OWNER + "/" + NAME + "/deployments"))));
  }

  /** Deployment statuses sent, oldest first, each with the {@code deployment} id added. */
  public List<JsonNode> statuses() {
    List<LoggedRequest> requests =
        requests(
            postRequestedFor(
                urlPathMatching("/repos/" + OWNER + "/" + NAME + "/deployments/[0-9]+/statuses")));
    List<JsonNode> out = new ArrayList<>();
    for (LoggedRequest r : requests) {
      var node = (com.fasterxml.jackson.databind.node.ObjectNode) parse(r.getBodyAsString());
      node.put("deployment", Long.parseLong(r.getUrl().split("/")[5]));
      out.add(node);
    }
    return out;
  }

  /** IDs of the deployments created for {@code branch}, oldest first. */
  public List<Long> deployments(String branch) {
    return deployments.created.entrySet().stream()
        .filter(e -> branch.equals(e.getValue().path("environment").asText()))
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  /** Statuses sent to one deployment, oldest first. */
  public List<JsonNode> statuses(long deployment) {
    return statuses().stream().filter(s -> s.get("deployment").asLong() == deployment).toList();
  }

  /** The states of {@link #statuses(long)}. */
  public List<String> states(long deployment) {
    return statuses(deployment).stream().map(s -> s.get("state").asText()).toList();
  }

  /** The states of {@link #statuses()}. */
  public List<String> states() {
    return statuses().stream().map(s -> s.get("state").asText()).toList();
  }

  private static List<JsonNode> bodies(List<LoggedRequest> requests) {
    return requests.stream().map(r -> parse(r.getBodyAsString())).toList();
  }

  /** The query parameter {@code name} of {@code request}; null when absent. */
  static String param(LoggedRequest request, String name) {
    var value = request.queryParameter(name);
    return value.isPresent() ? value.firstValue() : null;
  }

  static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Creates deployments with increasing IDs and answers for them later, as GitHub does: the
   * response echoes the ref, environment and flags that were posted.
   */
  private static final class Deployments implements ResponseDefinitionTransformerV2 {
    static final String NAME = "github-deployments";
    private final AtomicLong nextId = new AtomicLong(FIRST_DEPLOYMENT_ID);
    private final Map<Long, JsonNode> created = new ConcurrentHashMap<>();
    volatile String repo;

    @Override
    public ResponseDefinition transform(ServeEvent event) {
      LoggedRequest request = event.getRequest();
      if (request.getMethod().getName().equals("POST")) {
        JsonNode body = parse(request.getBodyAsString());
        long id = nextId.getAndIncrement();
        created.put(id, body);
        return ok(201, deployment(id, body)).build();
      }
      String[] path = request.getUrl().replaceAll("[?].*", "").split("/");
      if (path.length == 5) { // the list, newest first, filtered like GitHub's
        String sha = param(request, "sha");
        String environment = param(request, "environment");
        List<String> found = new ArrayList<>();
        created.entrySet().stream()
            .sorted(Map.Entry.<Long, JsonNode>comparingByKey().reversed())
            .filter(e -> sha == null || sha.equals(e.getValue().path("ref").asText()))
            .filter(
                e ->
                    environment == null
                        || environment.equals(e.getValue().path("environment").asText()))
            .forEach(e -> found.add(deployment(e.getKey(), e.getValue())));
        return ok(200, "[" + String.join(",", found) + "]").build();
      }
      long id = Long.parseLong(path[5]);
      JsonNode body = created.get(id);
      if (body == null) {
        return aResponse().withStatus(404).withBody("{\"message\": \"Not Found\"}").build();
      }
      return ok(200, deployment(id, body)).build();
    }

    private String deployment(long id, JsonNode body) {
      String sha = body.path("ref").asText();
      return """
          {"url": "%s/deployments/%d", "id": %d, "node_id": "MDEwOkRlcGxveW1lbnQx",
           "sha": "%s", "ref": "%s", "task": "deploy", "payload": {},
           "original_environment": "%s", "environment": "%s", "description": "%s",
           "creator": {"login": "branchflow[bot]", "id": 2, "type": "Bot"},
           "created_at": "2012-07-20T01:19:13Z", "updated_at": "2012-07-20T01:19:13Z",
           "statuses_url": "%s/deployments/%d/statuses", "repository_url": "%s",
           "transient_environment": %s, "production_environment": %s}
          """
          .formatted(
              repo,
              id,
              id,
              sha,
              sha,
              body.path("environment").asText(),
              body.path("environment").asText(),
              body.path("description").asText(),
              repo,
              id,
              repo,
              body.path("transient_environment").asBoolean(),
              body.path("production_environment").asBoolean());
    }

    @Override
    public String getName() {
      return NAME;
    }

    @Override
    public boolean applyGlobally() {
      return false;
    }
  }

  static ResponseDefinitionBuilder ok(int status, String body) {
    long reset = Instant.now().plusSeconds(3600).getEpochSecond();
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json; charset=utf-8")
        .withHeader("X-RateLimit-Limit", "5000")
        .withHeader("X-RateLimit-Remaining", "4999")
        .withHeader("X-RateLimit-Used", "1")
        .withHeader("X-RateLimit-Reset", String.valueOf(reset))
        .withHeader("X-RateLimit-Resource", "core")
        .withBody(body);
  }
}
