package io.branchflow.receiver;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.branchflow.receiver.Delivery.Kind;
import java.io.IOException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.regex.Pattern;

/**
 * Reads a GitHub webhook body into a {@link Delivery}, refusing anything malformed or of the wrong
 * shape with 400. Strict: duplicated keys, trailing garbage and deep nesting are refused too, so
 * two parsers can never read one body two ways.
 */
final class DeliveryParser {

  private static final Pattern REPOSITORY = Pattern.compile("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$");
  private static final Pattern SHA = Pattern.compile("^[0-9a-f]{40}$");
  private static final Pattern LOGIN = Pattern.compile("^[A-Za-z0-9]([A-Za-z0-9-]{0,38})$");
  private static final Pattern EVENT = Pattern.compile("^[a-z_]{1,64}$");
  private static final String HEADS = "refs/heads/";
  private static final Instant GITHUB_EPOCH = Instant.parse("2008-01-01T00:00:00Z");
  private static final String TAGS = "refs/tags/";

  /** The pull request actions after which the branch's environment comments at once. */
  private static final java.util.Set<String> PULL_REQUEST_ACTIONS =
      java.util.Set.of("opened", "reopened");

  /** How far a delivery's time may be ahead of the receiver's clock: drift, not more. */
  static final Duration MAX_AHEAD = Duration.ofMinutes(5);

  private final ObjectMapper mapper =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  /** The receiver's clock: the time of arrival, and what a delivery's time is checked against. */
  private final Clock clock;

  DeliveryParser() {
    this(Clock.systemUTC());
  }

  DeliveryParser(Clock clock) {
    this.clock = clock;
    mapper
        .getFactory()
        .setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
  }

  /** The JSON object of a body, or 400. */
  JsonNode read(byte[] body) {
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (JsonProcessingException e) {
      // The location, not Jackson's message: that quotes the body, which is not ours to log.
      var at = e.getLocation();
      throw bad(
          "body is not valid JSON"
              + (at == null
                  ? ""
                  : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
    } catch (IOException e) {
      throw bad("body is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw bad("body is not a JSON object");
    }
    return root;
  }

  /** {@code repository.full_name}: which WorkflowRepository's secret signs this delivery. */
  String repository(JsonNode root) {
    if (!root.path("repository").isObject()) {
      throw bad("repository must be an object");
    }
    String name = text(root.path("repository"), "full_name", "repository.full_name");
    if (name == null || name.length() > 200 || !REPOSITORY.matcher(name).matches()) {
      throw bad("repository.full_name is missing or not owner/name");
    }
    return name;
  }

  Delivery parse(String event, JsonNode root) {
    if (event == null || !EVENT.matcher(event).matches()) {
      throw bad("X-GitHub-Event is missing or malformed");
    }
    String repository = repository(root);
    Instant now = clock.instant();
    return switch (event) {
      case "ping" -> new Delivery(event, repository, Kind.PING, null, null, null, now, null, null);
      case "push" -> push(root, repository);
      case "create", "delete" -> createOrDelete(event, root, repository);
      case "pull_request" -> pullRequest(root, repository);
      default -> ignored(event, repository);
    };
  }

  private Delivery push(JsonNode root, String repository) {
    String ref = required(root, "ref");
    boolean deleted = bool(root, "deleted");
    if (ref.startsWith(TAGS)) {
      return ignored("push", repository);
    }
    if (!ref.startsWith(HEADS)) {
      throw bad("ref must be refs/heads/<branch> or refs/tags/<tag>");
    }
    String branch = branch(ref.substring(HEADS.length()));
    JsonNode pusherNode = root.path("pusher");
    if (!pusherNode.isMissingNode() && !pusherNode.isNull() && !pusherNode.isObject()) {
      throw bad("pusher must be an object");
    }
    String pusher = login(text(pusherNode, "name", "pusher.name"));
    if (pusherNode.isObject() && pusher == null) {
      throw bad("pusher.name is missing"); // GitHub always names the pusher
    }
    if (deleted) {
      return new Delivery(
          "push",
          repository,
          Kind.BRANCH_DELETED,
          branch,
          null,
          pusher,
          pushedAt(root),
          null,
          null);
    }
    String sha = required(root, "after");
    if (!SHA.matcher(sha).matches()) {
      throw bad("after must be a 40-character lower-case hex commit");
    }
    return new Delivery(
        "push", repository, Kind.BRANCH_PUSHED, branch, sha, pusher, pushedAt(root), null, null);
  }

  private Delivery createOrDelete(String event, JsonNode root, String repository) {
    String refType = required(root, "ref_type");
    String ref = required(root, "ref");
    if (!refType.equals("branch")) {
      if (refType.equals("tag")) {
        return ignored(event, repository);
      }
      throw bad("ref_type must be branch or tag");
    }
    String branch = branch(ref);
    if (event.equals("create")) {
      return new Delivery(
          event, repository, Kind.BRANCH_PUSHED, branch, null, null, pushedAt(root), null, null);
    }
    return new Delivery(
        event, repository, Kind.BRANCH_DELETED, branch, null, null, pushedAt(root), null, null);
  }

  /**
   * A pull request opened or reopened: its branch's environment should comment on it now. Other
   * actions change no list of open pull requests (a draft is open already, a new base does not
   * change the head) or are another event's (a push to the head comes as a push). The head must be
   * a branch of this repository: a fork's pull request names a branch of the fork, which an
   * environment of ours with the same branch name is not.
   */
  private Delivery pullRequest(JsonNode root, String repository) {
    String action = required(root, "action");
    if (!EVENT.matcher(action).matches()) {
      throw bad("action is malformed");
    }
    JsonNode pr = root.path("pull_request");
    if (!pr.isObject()) {
      throw bad("pull_request must be an object");
    }
    if (!PULL_REQUEST_ACTIONS.contains(action)) {
      return ignored(
          "pull_request",
          repository,
          "pull request action " + action + " adds no open pull request to comment on");
    }
    JsonNode number = root.path("number");
    if (!number.isIntegralNumber() || !number.canConvertToInt() || number.asInt() < 1) {
      throw bad("number must be a positive integer");
    }
    JsonNode head = pr.path("head");
    if (!head.isObject()) {
      throw bad("pull_request.head must be an object");
    }
    String ref = text(head, "ref", "pull_request.head.ref");
    if (ref == null) {
      throw bad("pull_request.head.ref is missing");
    }
    JsonNode headRepo = head.path("repo");
    if (!headRepo.isMissingNode() && !headRepo.isNull() && !headRepo.isObject()) {
      throw bad("pull_request.head.repo must be an object");
    }
    // null when the fork was deleted
    String headName = text(headRepo, "full_name", "pull_request.head.repo.full_name");
    if (headRepo.isObject() && headName == null) {
      throw bad("pull_request.head.repo.full_name is missing");
    }
    if (headName == null || !headName.equalsIgnoreCase(repository)) {
      return ignored(
          "pull_request",
          repository,
          "pull request #"
              + number.asInt()
              + " comes from "
              + (headName == null
                  ? "a deleted fork"
                  : REPOSITORY.matcher(headName).matches()
                      ? "the fork " + headName
                      : "another repository")
              + ": its head is no branch of "
              + repository);
    }
    return new Delivery(
        "pull_request",
        repository,
        Kind.PULL_REQUEST_OPENED,
        branch(ref),
        null,
        null,
        updatedAt(pr),
        number.asInt(),
        null);
  }

  /**
   * {@code pull_request.updated_at}: the time of this change (the opening or the reopening), the
   * time of arrival when absent. It only tells one change from the next; nothing is ordered by it.
   */
  private Instant updatedAt(JsonNode pr) {
    String value = text(pr, "updated_at", "pull_request.updated_at");
    if (value == null) {
      return clock.instant();
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeException e) {
      throw bad("pull_request.updated_at is not a timestamp");
    }
  }

  /**
   * When the change happened: {@code repository.pushed_at}, epoch seconds in push events and an RFC
   * 3339 string in others; the time of arrival when GitHub sent neither.
   *
   * <p>For a deletion too: {@code pushed_at} is the time of the repository's latest push, so it is
   * at or after every push of the deleted branch and at or before the deletion. It is part of the
   * signed body, so a captured deletion sent again later (with a new {@code X-GitHub-Delivery})
   * keeps its original time and is older than any push or resync that brought the branch back: it
   * finds the environment {@code STALE} instead of deleting it. Dated by its arrival instead, each
   * replay would be the newest change of all. See docs/events-in.md.
   */
  private Instant pushedAt(JsonNode root) {
    JsonNode value = root.path("repository").path("pushed_at");
    if (value.isMissingNode() || value.isNull()) {
      return clock.instant();
    }
    Instant at;
    try {
      if (value.isIntegralNumber() && value.canConvertToLong()) {
        at = Instant.ofEpochSecond(value.asLong());
      } else if (value.isTextual()) {
        at = OffsetDateTime.parse(value.asText()).toInstant();
      } else {
        throw bad("repository.pushed_at is not a timestamp");
      }
    } catch (DateTimeException e) { // unparseable, or beyond what an Instant holds
      throw bad("repository.pushed_at is not a timestamp");
    }
    // Order decides what wins (docs/events-in.md): a time GitHub cannot have sent is refused.
    if (at.isBefore(GITHUB_EPOCH)) {
      throw bad("repository.pushed_at is out of range");
    }
    // A time ahead of ours would outrank every change that really happens until then: older
    // pushes would be STALE and deletions would find the environment "pushed after" them. So it is
    // refused, not used, and not moved to "now" either: "now" still outranks real pushes from just
    // before that arrive after it (GitHub does not promise order), and a body replayed with a time
    // far ahead would win each time it is sent. MAX_AHEAD only allows for clocks that drift; a
    // genuine delivery refused for a wrong clock is shown in GitHub's delivery log, and the resync
    // brings the branch's environment up to date.
    Duration ahead = Duration.between(clock.instant(), at);
    if (ahead.compareTo(MAX_AHEAD) > 0) {
      throw bad(
          "repository.pushed_at is "
              + ahead.toSeconds()
              + " s ahead of the receiver's clock (at most "
              + MAX_AHEAD.toMinutes()
              + " minutes allowed): refused so that it cannot outrank later changes; check the"
              + " clocks (NTP) of the receiver and the sender");
    }
    return at;
  }

  private static String branch(String name) {
    if (!BranchNames.valid(name)) {
      throw bad("ref is not a valid branch name");
    }
    return name;
  }

  private static String login(String login) {
    if (login == null) {
      return null;
    }
    if (!LOGIN.matcher(login).matches()) {
      throw bad("pusher.name is not a GitHub login");
    }
    return login;
  }

  private Delivery ignored(String event, String repository) {
    return ignored(event, repository, null);
  }

  private Delivery ignored(String event, String repository, String because) {
    return new Delivery(
        event, repository, Kind.IGNORED, null, null, null, clock.instant(), null, because);
  }

  private static String required(JsonNode root, String field) {
    String value = text(root, field, field);
    if (value == null) {
      throw bad(field + " is missing");
    }
    return value;
  }

  private static String text(JsonNode parent, String field, String path) {
    JsonNode node = parent.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw bad(path + " must be a string");
    }
    return node.asText();
  }

  private static boolean bool(JsonNode root, String field) {
    JsonNode node = root.path(field);
    if (node.isMissingNode() || node.isNull()) {
      return false;
    }
    if (!node.isBoolean()) {
      throw bad(field + " must be true or false");
    }
    return node.asBoolean();
  }

  private static Rejection bad(String reason) {
    return new Rejection(400, reason);
  }
}
