package io.branchflow.receiver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Bodies that must never change anything: truncated, wrong types, huge strings, refs with "..",
 * control and bidi characters, duplicated keys, deep nesting, non-objects, broken UTF-8. Each is a
 * named case so a failure says which.
 */
final class HostileBodies {

  record Case(String name, String event, byte[] body) {}

  private HostileBodies() {}

  static List<Case> all(String repository) {
    List<Case> cases = new ArrayList<>();
    byte[] push =
        GitHub.bytes(
            GitHub.push(
                repository,
                "feature/hostile",
                "3333333333333333333333333333333333333333",
                Instant.now()));
    // Every prefix of a valid body: what a dropped connection or a proxy cut leaves.
    Map<String, byte[]> valid =
        Map.of(
            "push", push,
            "create", GitHub.bytes(GitHub.create(repository, "feature/hostile", Instant.now())),
            "delete", GitHub.bytes(GitHub.delete(repository, "feature/hostile")),
            "pull_request",
                GitHub.bytes(
                    GitHub.pullRequest(
                        repository, "opened", 7, "feature/hostile", repository, Instant.now())));
    valid.forEach(
        (event, body) -> {
          for (int cut = 0; cut < body.length; cut++) {
            cases.add(
                new Case(
                    event + " truncated at " + cut, event, java.util.Arrays.copyOf(body, cut)));
          }
        });
    wrongTypes(repository, cases);
    badRefs(repository, cases);
    huge(repository, cases);
    duplicates(repository, cases);
    cases.add(new Case("deep nesting", "push", nested(5000)));
    for (String text : List.of("[]", "42", "\"push\"", "null", "true", "{}", "[{}]", "")) {
      cases.add(new Case("not an object: " + text, "push", utf8(text)));
    }
    byte[] brokenUtf8 = push.clone();
    for (int i = 0; i < 20; i++) {
      byte[] copy = brokenUtf8.clone();
      copy[10 + i * 7 % (copy.length - 20)] = (byte) 0xC3; // a lead byte without its follower
      copy[11 + i * 7 % (copy.length - 20)] = (byte) 0x28;
      cases.add(new Case("broken UTF-8 #" + i, "push", copy));
    }
    return cases;
  }

  private static void wrongTypes(String repository, List<Case> cases) {
    List<JsonNode> values =
        List.of(
            GitHub.JSON.getNodeFactory().numberNode(42),
            GitHub.JSON.getNodeFactory().booleanNode(true),
            GitHub.JSON.getNodeFactory().nullNode(),
            GitHub.JSON.createArrayNode().add("refs/heads/feature/x"),
            GitHub.JSON.createObjectNode().put("ref", "refs/heads/feature/x"),
            GitHub.JSON.getNodeFactory().numberNode(1e308),
            GitHub.JSON.getNodeFactory().textNode(""));
    for (String field : List.of("ref", "after", "deleted", "repository", "pusher")) {
      for (JsonNode value : values) {
        if (field.equals("deleted") && (value.isBoolean() || value.isNull())) {
          continue; // a legitimate deleted flag
        }
        if (field.equals("pusher") && value.isNull()) {
          continue; // no pusher is legitimate: the environment simply names none
        }
        ObjectNode body = push(repository);
        body.set(field, value);
        cases.add(new Case(field + " = " + value, "push", GitHub.bytes(body)));
      }
    }
    for (String field : List.of("full_name", "pushed_at")) {
      for (JsonNode value : values) {
        if (field.equals("pushed_at") && value.isNull()) {
          continue; // GitHub omits it on some events
        }
        ObjectNode body = push(repository);
        ((ObjectNode) body.get("repository")).set(field, value);
        cases.add(new Case("repository." + field + " = " + value, "push", GitHub.bytes(body)));
      }
    }
    for (JsonNode value : values) {
      if (!(value.isIntegralNumber() && value.asInt() > 0)) {
        ObjectNode number = pullRequest(repository);
        number.set("number", value);
        cases.add(new Case("number = " + value, "pull_request", GitHub.bytes(number)));
      }
      for (String field : List.of("action", "pull_request")) {
        ObjectNode body = pullRequest(repository);
        body.set(field, value);
        cases.add(new Case(field + " = " + value, "pull_request", GitHub.bytes(body)));
      }
      ObjectNode ref = pullRequest(repository);
      ((ObjectNode) ref.get("pull_request").get("head")).set("ref", value);
      cases.add(new Case("pull_request.head.ref = " + value, "pull_request", GitHub.bytes(ref)));
      if (!value.isNull()) { // null: the fork was deleted, acknowledged and ignored
        ObjectNode repo = pullRequest(repository);
        ((ObjectNode) repo.get("pull_request").get("head")).set("repo", value);
        cases.add(
            new Case("pull_request.head.repo = " + value, "pull_request", GitHub.bytes(repo)));
      }
    }
    for (JsonNode value : values) {
      ObjectNode create = GitHub.create(repository, "feature/hostile", Instant.now());
      create.set("ref_type", value);
      cases.add(new Case("ref_type = " + value, "create", GitHub.bytes(create)));
      ObjectNode pusher = push(repository);
      ((ObjectNode) pusher.get("pusher"))
          .set("name", value.isTextual() ? GitHub.JSON.getNodeFactory().textNode("-x") : value);
      if (!value.isNull()) {
        cases.add(new Case("pusher.name = " + value, "push", GitHub.bytes(pusher)));
      }
    }
  }

  /** Refs git itself refuses; several reach for paths or hide characters from a reader. */
  private static void badRefs(String repository, List<Case> cases) {
    List<String> branches =
        List.of(
            "feature/../../etc/passwd",
            "feature/..",
            "feature/a..b",
            "../feature/x",
            "feature/x/../../y",
            "feature/ünï..cödé",
            "feature/日本..語",
            "feature/\u202Egnp.exe",
            "feature/\u0000nul",
            "feature/tab\there",
            "feature/new\nline",
            "feature/with space",
            "feature/tilde~1",
            "feature/caret^",
            "feature/colon:x",
            "feature/question?",
            "feature/star*",
            "feature/[bracket",
            "feature/back\\slash",
            "feature/at@{1}",
            "feature/x.lock",
            "feature/.hidden",
            "feature/trailing.",
            "feature/trailing/",
            "/feature/leading",
            "feature//double",
            "@",
            "-feature/dash",
            "feature/\u007Fdel",
            "feature/" + "\uD800",
            "feature/" + "\uDC00x",
            "feature/\u0085next",
            "feature/x\r\n\r\nHTTP/1.1 200 OK");
    for (String branch : branches) {
      if (branch.contains("\u0085") || branch.contains("\u202E")) {
        // Legal in git: kept out of the no-change set, they would rightly create an environment.
        continue;
      }
      cases.add(
          new Case(
              "push ref " + branch,
              "push",
              GitHub.bytes(
                  GitHub.push(
                      repository,
                      branch,
                      "3333333333333333333333333333333333333333",
                      Instant.now()))));
      cases.add(
          new Case(
              "create ref " + branch,
              "create",
              GitHub.bytes(GitHub.create(repository, branch, Instant.now()))));
      cases.add(
          new Case(
              "delete ref " + branch, "delete", GitHub.bytes(GitHub.delete(repository, branch))));
      cases.add(
          new Case(
              "pull request head " + branch,
              "pull_request",
              GitHub.bytes(
                  GitHub.pullRequest(repository, "opened", 7, branch, repository, Instant.now()))));
    }
  }

  private static void huge(String repository, List<Case> cases) {
    String big = "a".repeat(200_000);
    ObjectNode ref = push(repository);
    ref.put("ref", "refs/heads/feature/" + big);
    cases.add(new Case("huge ref", "push", GitHub.bytes(ref)));
    ObjectNode name = push(repository);
    ((ObjectNode) name.get("repository")).put("full_name", big + "/" + big);
    cases.add(new Case("huge repository name", "push", GitHub.bytes(name)));
    ObjectNode sha = push(repository);
    sha.put("after", "3".repeat(100_000));
    cases.add(new Case("huge sha", "push", GitHub.bytes(sha)));
    ObjectNode pusher = push(repository);
    ((ObjectNode) pusher.get("pusher")).put("name", big);
    cases.add(new Case("huge pusher", "push", GitHub.bytes(pusher)));
    ObjectNode number = push(repository);
    ((ObjectNode) number.get("repository"))
        .put("pushed_at", new java.math.BigInteger("9".repeat(400)));
    cases.add(new Case("huge timestamp", "push", GitHub.bytes(number)));
  }

  private static void duplicates(String repository, List<Case> cases) {
    String body = new String(GitHub.bytes(push(repository)), StandardCharsets.UTF_8);
    Map<String, String> duplicated =
        Map.of(
            "\"ref\":", "\"ref\":\"refs/heads/feature/other\",\"ref\":",
            "\"after\":", "\"after\":\"4444444444444444444444444444444444444444\",\"after\":",
            "\"deleted\":", "\"deleted\":true,\"deleted\":",
            "\"full_name\":", "\"full_name\":\"acme/other\",\"full_name\":",
            "\"name\":", "\"name\":\"mallory\",\"name\":");
    duplicated.forEach(
        (key, replacement) ->
            cases.add(
                new Case("duplicated " + key, "push", utf8(body.replaceFirst(key, replacement)))));
  }

  private static ObjectNode pullRequest(String repository) {
    return GitHub.pullRequest(
        repository, "opened", 7, "feature/hostile", repository, Instant.now());
  }

  private static ObjectNode push(String repository) {
    return GitHub.push(
        repository, "feature/hostile", "3333333333333333333333333333333333333333", Instant.now());
  }

  private static byte[] nested(int depth) {
    return utf8("[".repeat(depth) + "]".repeat(depth));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
