package io.branchflow.operator.announce.github;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pull requests and issue comments of {@link FakeGitHub}'s repository, kept as GitHub keeps
 * them: the list filtered by {@code head=owner:branch} and {@code state}, comments created, listed,
 * edited, and deleted (by a "user", {@link #delete}) so that an edit answers 404.
 */
final class PullRequestsOfFakeGitHub implements ResponseDefinitionTransformerV2 {

  static final String NAME = "github-pull-requests";

  /** Above Integer.MAX_VALUE, as real comment IDs are. */
  static final long FIRST_COMMENT_ID = 2_500_000_001L;

  private static final Pattern ISSUE = Pattern.compile(".*/issues/([0-9]+)$");
  private static final Pattern ISSUE_COMMENTS = Pattern.compile(".*/issues/([0-9]+)/comments$");
  private static final Pattern COMMENT = Pattern.compile(".*/issues/comments/([0-9]+)$");

  private record PullRequest(int number, String branch, boolean open) {}

  private final AtomicInteger nextNumber = new AtomicInteger(41);
  private final AtomicLong nextComment = new AtomicLong(FIRST_COMMENT_ID);
  private final Map<Integer, PullRequest> pulls = new ConcurrentHashMap<>();

  /** Comment bodies by ID, with the pull request each is on. */
  private final Map<Long, String> bodies = new ConcurrentHashMap<>();

  private final Map<Long, Integer> commentOn = new ConcurrentHashMap<>();
  volatile String repo;
  volatile String owner;

  int open(String branch) {
    int number = nextNumber.incrementAndGet();
    pulls.put(number, new PullRequest(number, branch, true));
    return number;
  }

  void close(int number) {
    PullRequest pr = pulls.get(number);
    pulls.put(number, new PullRequest(number, pr.branch(), false));
  }

  void delete(long comment) {
    bodies.remove(comment);
    commentOn.remove(comment);
  }

  /** The bodies of the comments on {@code number} now, by ID, oldest first. */
  Map<Long, String> comments(int number) {
    Map<Long, String> out = new java.util.TreeMap<>();
    commentOn.forEach(
        (id, on) -> {
          if (on == number) {
            out.put(id, bodies.get(id));
          }
        });
    return out;
  }

  /** A comment someone else wrote, as a pull request has. */
  long comment(int number, String body) {
    long id = nextComment.getAndIncrement();
    bodies.put(id, body);
    commentOn.put(id, number);
    return id;
  }

  @Override
  public ResponseDefinition transform(ServeEvent event) {
    LoggedRequest request = event.getRequest();
    String method = request.getMethod().getName();
    String path = request.getUrl().replaceAll("[?].*", "");
    Matcher m;
    if (method.equals("GET") && path.endsWith("/pulls")) {
      String head = FakeGitHub.param(request, "head");
      String state = FakeGitHub.param(request, "state");
      List<String> found = new ArrayList<>();
      pulls.values().stream()
          .filter(pr -> head == null || head.equals(owner + ":" + pr.branch()))
          .filter(pr -> state == null || state.equals("all") || state.equals(state(pr)))
          .sorted((a, b) -> b.number() - a.number())
          .forEach(pr -> found.add(pull(pr)));
      return FakeGitHub.ok(200, "[" + String.join(",", found) + "]").build();
    }
    if (method.equals("GET") && (m = ISSUE.matcher(path)).matches()) {
      PullRequest pr = pulls.get(Integer.parseInt(m.group(1)));
      return pr == null ? notFound() : FakeGitHub.ok(200, issue(pr)).build();
    }
    if ((m = ISSUE_COMMENTS.matcher(path)).matches()) {
      int number = Integer.parseInt(m.group(1));
      if (!pulls.containsKey(number)) {
        return notFound();
      }
      if (method.equals("POST")) {
        long id =
            comment(number, FakeGitHub.parse(request.getBodyAsString()).path("body").asText());
        return FakeGitHub.ok(201, comment(id)).build();
      }
      List<String> found = new ArrayList<>();
      comments(number).keySet().forEach(id -> found.add(comment(id)));
      return FakeGitHub.ok(200, "[" + String.join(",", found) + "]").build();
    }
    if (method.equals("PATCH") && (m = COMMENT.matcher(path)).matches()) {
      long id = Long.parseLong(m.group(1));
      if (!bodies.containsKey(id)) {
        return notFound();
      }
      bodies.put(id, FakeGitHub.parse(request.getBodyAsString()).path("body").asText());
      return FakeGitHub.ok(200, comment(id)).build();
    }
    return notFound();
  }

  private static String state(PullRequest pr) {
    return pr.open() ? "open" : "closed";
  }

  private String pull(PullRequest pr) {
    return """
        {"url": "%s/pulls/%d", "id": %d, "node_id": "MDExOlB1bGxSZXF1ZXN0MQ==", "number": %d,
         "html_url": "https://github.com/acme/dags/pull/%d", "state": "%s", "title": "Work",
         "issue_url": "%s/issues/%d", "comments_url": "%s/issues/%d/comments",
         "user": {"login": "hardy", "id": 3, "type": "User"},
         "head": {"label": "%s:%s", "ref": "%s", "sha": "0123456789abcdef0123456789abcdef01234567"},
         "base": {"label": "%s:main", "ref": "main", "sha": "fedcba9876543210fedcba9876543210fedcba98"},
         "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}
        """
        .formatted(
            repo,
            pr.number(),
            1000 + pr.number(),
            pr.number(),
            pr.number(),
            state(pr),
            repo,
            pr.number(),
            repo,
            pr.number(),
            owner,
            pr.branch(),
            pr.branch(),
            owner);
  }

  private String issue(PullRequest pr) {
    return """
        {"url": "%s/issues/%d", "id": %d, "node_id": "MDU6SXNzdWUx", "number": %d,
         "html_url": "https://github.com/acme/dags/pull/%d", "state": "%s", "title": "Work",
         "comments_url": "%s/issues/%d/comments", "user": {"login": "hardy", "id": 3},
         "pull_request": {"url": "%s/pulls/%d"},
         "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}
        """
        .formatted(
            repo,
            pr.number(),
            1000 + pr.number(),
            pr.number(),
            pr.number(),
            state(pr),
            repo,
            pr.number(),
            repo,
            pr.number());
  }

  private String comment(long id) {
    var node = JsonNodeFactory.instance.objectNode();
    node.put("id", id);
    node.put("node_id", "MDEyOklzc3VlQ29tbWVudDE=");
    node.put("url", repo + "/issues/comments/" + id);
    node.put(
        "html_url",
        "https://github.com/acme/dags/pull/" + commentOn.get(id) + "#issuecomment-" + id);
    node.put("issue_url", repo + "/issues/" + commentOn.get(id));
    node.put("body", bodies.get(id));
    node.putObject("user").put("login", "branchflow[bot]").put("id", 2).put("type", "Bot");
    node.put("author_association", "NONE");
    node.put("created_at", "2026-01-01T00:00:00Z");
    node.put("updated_at", "2026-01-01T00:00:00Z");
    return node.toString();
  }

  private static ResponseDefinition notFound() {
    return FakeGitHub.ok(404, "{\"message\": \"Not Found\"}").build();
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
