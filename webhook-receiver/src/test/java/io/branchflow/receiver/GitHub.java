package io.branchflow.receiver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/** Deliveries shaped as GitHub sends them (webhook payload docs), signed and posted over HTTP. */
final class GitHub {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final URI endpoint;
  private final String secret;

  GitHub(URI endpoint, String secret) {
    this.endpoint = endpoint;
    this.secret = secret;
  }

  static ObjectNode repository(String fullName, Object pushedAt) {
    ObjectNode repo = JSON.createObjectNode();
    repo.put("id", 123456);
    repo.put("name", fullName.substring(fullName.indexOf('/') + 1));
    repo.put("full_name", fullName);
    repo.put("private", false);
    repo.put("clone_url", "https://github.com/" + fullName + ".git");
    if (pushedAt instanceof Long epoch) {
      repo.put("pushed_at", epoch);
    } else if (pushedAt != null) {
      repo.put("pushed_at", pushedAt.toString());
    }
    return repo;
  }

  static ObjectNode push(String fullName, String branch, String sha, Instant pushedAt) {
    ObjectNode body = JSON.createObjectNode();
    body.put("ref", "refs/heads/" + branch);
    body.put("before", "0000000000000000000000000000000000000000");
    body.put("after", sha);
    body.put("created", false);
    body.put("deleted", false);
    body.put("forced", false);
    body.set("repository", repository(fullName, pushedAt.getEpochSecond()));
    body.putObject("pusher").put("name", "hardy").put("email", "hardy@example.com");
    body.putObject("sender").put("login", "hardy");
    return body;
  }

  static ObjectNode create(String fullName, String branch, Instant pushedAt) {
    ObjectNode body = JSON.createObjectNode();
    body.put("ref", branch);
    body.put("ref_type", "branch");
    body.put("master_branch", "main");
    body.put("pusher_type", "user");
    body.set("repository", repository(fullName, pushedAt.toString()));
    body.putObject("sender").put("login", "hardy");
    return body;
  }

  static ObjectNode delete(String fullName, String branch) {
    return delete(fullName, branch, null);
  }

  /**
   * A branch {@code delete} as GitHub sends it: the repository's {@code pushed_at} as an RFC 3339
   * string (the time of its latest push, the deletion's at the latest); null leaves it out.
   */
  static ObjectNode delete(String fullName, String branch, Instant pushedAt) {
    ObjectNode body = JSON.createObjectNode();
    body.put("ref", branch);
    body.put("ref_type", "branch");
    body.put("pusher_type", "user");
    body.set("repository", repository(fullName, pushedAt == null ? null : pushedAt.toString()));
    body.putObject("sender").put("login", "hardy");
    return body;
  }

  /**
   * A {@code pull_request} delivery as GitHub sends it (the fields Branchflow reads, and a few it
   * does not): {@code action} on pull request {@code number} of {@code fullName}, whose head is
   * {@code branch} of {@code headRepository} (null: a deleted fork).
   */
  static ObjectNode pullRequest(
      String fullName,
      String action,
      int number,
      String branch,
      String headRepository,
      Instant updatedAt) {
    ObjectNode body = JSON.createObjectNode();
    body.put("action", action);
    body.put("number", number);
    ObjectNode pr = body.putObject("pull_request");
    pr.put("number", number);
    pr.put("state", "open");
    pr.put("title", "Add the orders DAG");
    pr.put("draft", false);
    pr.put("updated_at", updatedAt.toString());
    ObjectNode head = pr.putObject("head");
    head.put("ref", branch);
    head.put("sha", "4444444444444444444444444444444444444444");
    if (headRepository == null) {
      head.putNull("repo");
    } else {
      head.set("repo", repository(headRepository, null));
    }
    pr.putObject("base").put("ref", "main").set("repo", repository(fullName, null));
    body.set("repository", repository(fullName, null));
    body.putObject("sender").put("login", "hardy");
    return body;
  }

  static ObjectNode ping(String fullName) {
    ObjectNode body = JSON.createObjectNode();
    body.put("zen", "Design for failure.");
    body.put("hook_id", 42);
    body.set("repository", repository(fullName, null));
    return body;
  }

  HttpResponse<String> send(String event, ObjectNode body) {
    return send(event, bytes(body), UUID.randomUUID().toString());
  }

  HttpResponse<String> send(String event, byte[] body, String deliveryId) {
    return post(event, body, deliveryId, WebhookSignature.sign(body, secret), "application/json");
  }

  HttpResponse<String> post(
      String event, byte[] body, String deliveryId, String signature, String contentType) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (event != null) {
      request.header("X-GitHub-Event", event);
    }
    request.header("X-GitHub-Delivery", deliveryId);
    request.header("User-Agent", "GitHub-Hookshot/test");
    if (signature != null) {
      request.header("X-Hub-Signature-256", signature);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static byte[] bytes(ObjectNode body) {
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }
}
