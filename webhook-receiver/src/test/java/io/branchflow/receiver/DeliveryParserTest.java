package io.branchflow.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.branchflow.receiver.Delivery.Kind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The time a delivery is ordered by, read against a fixed receiver clock. */
class DeliveryParserTest {

  static final String REPOSITORY = "acme/dags";
  static final String BRANCH = "feature/clock";
  static final String SHA = "1111111111111111111111111111111111111111";
  static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

  private static Delivery parse(Instant receiverClock, String event, ObjectNode body) {
    DeliveryParser parser = new DeliveryParser(Clock.fixed(receiverClock, ZoneOffset.UTC));
    return parser.parse(event, parser.read(GitHub.bytes(body)));
  }

  private static Delivery parse(String event, ObjectNode body) {
    return parse(NOW, event, body);
  }

  @Test
  void aPushUpToFiveMinutesAheadOfTheReceiverIsTakenAsSent() {
    // Clocks drift: GitHub's may be a little ahead of ours.
    Instant ahead = NOW.plus(Duration.ofMinutes(5));
    Delivery push = parse("push", GitHub.push(REPOSITORY, BRANCH, SHA, ahead));
    assertThat(push.kind()).isEqualTo(Kind.BRANCH_PUSHED);
    assertThat(push.happenedAt()).isEqualTo(ahead);
  }

  @Test
  void aPushMoreThanFiveMinutesAheadIsRefusedWithItsReason() {
    for (Duration ahead :
        new Duration[] {
          Duration.ofMinutes(5).plusSeconds(1), Duration.ofHours(1), Duration.ofHours(23)
        }) {
      ObjectNode push = GitHub.push(REPOSITORY, BRANCH, SHA, NOW.plus(ahead));
      assertThatThrownBy(() -> parse("push", push))
          .as("pushed_at %s ahead", ahead)
          .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.status()).isEqualTo(400))
          .hasMessageContaining("repository.pushed_at")
          .hasMessageContaining("ahead of the receiver's clock");
    }
  }

  @Test
  void aCreateMoreThanFiveMinutesAheadIsRefusedToo() {
    ObjectNode create = GitHub.create(REPOSITORY, BRANCH, NOW.plus(Duration.ofMinutes(6)));
    assertThatThrownBy(() -> parse("create", create))
        .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.status()).isEqualTo(400))
        .hasMessageContaining("ahead of the receiver's clock");
  }

  @Test
  void aTimeBeyondWhatAnInstantHoldsIsRefusedNotAServerError() {
    ObjectNode push = GitHub.push(REPOSITORY, BRANCH, SHA, NOW);
    ((ObjectNode) push.get("repository")).put("pushed_at", Long.MAX_VALUE);
    assertThatThrownBy(() -> parse("push", push))
        .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.status()).isEqualTo(400))
        .hasMessageContaining("not a timestamp");
  }

  @Test
  void aPushFromThePastIsTakenAsSent() {
    Instant past = NOW.minus(Duration.ofDays(3));
    assertThat(parse("push", GitHub.push(REPOSITORY, BRANCH, SHA, past)).happenedAt())
        .isEqualTo(past);
  }

  // A deletion carries the time it was signed with, so a replay stays as old as the original.

  @Test
  void aDeletionIsDatedByItsBodyNotByItsArrival() {
    Instant deletedAt = NOW.minus(Duration.ofMinutes(1));
    Delivery delete = parse("delete", GitHub.delete(REPOSITORY, BRANCH, deletedAt));
    assertThat(delete.kind()).isEqualTo(Kind.BRANCH_DELETED);
    assertThat(delete.happenedAt()).isEqualTo(deletedAt);
  }

  @Test
  void aReplayedDeletionIsOlderThanThePushThatBroughtTheBranchBack() {
    Instant deletedAt = NOW.minus(Duration.ofDays(2));
    ObjectNode captured = GitHub.delete(REPOSITORY, BRANCH, deletedAt);
    Instant pushedAgain = deletedAt.plus(Duration.ofHours(1));
    Delivery push = parse(pushedAgain, "push", GitHub.push(REPOSITORY, BRANCH, SHA, pushedAgain));

    // Sent again two days later (a new X-GitHub-Delivery, the same signed body): it keeps the
    // time it was signed with, so BranchEnvironments finds the environment's push newer (STALE).
    Delivery replay = parse(NOW, "delete", captured);
    assertThat(replay.happenedAt()).isEqualTo(deletedAt).isBefore(push.happenedAt());
  }

  @Test
  void aPushThatDeletesTheBranchIsDatedByItsBody() {
    Instant deletedAt = NOW.minus(Duration.ofHours(5));
    ObjectNode deletion = GitHub.push(REPOSITORY, BRANCH, "0".repeat(40), deletedAt);
    deletion.put("deleted", true);
    Delivery delete = parse("push", deletion);
    assertThat(delete.kind()).isEqualTo(Kind.BRANCH_DELETED);
    assertThat(delete.happenedAt()).isEqualTo(deletedAt);
  }

  @Test
  void aDeletionWithoutATimeIsDatedByItsArrival() {
    assertThat(parse("delete", GitHub.delete(REPOSITORY, BRANCH)).happenedAt()).isEqualTo(NOW);
  }

  @Test
  void aDeletionFromTheFutureIsRefused() {
    // A deletion dated ahead would keep every push until then from bringing the branch back.
    ObjectNode delete = GitHub.delete(REPOSITORY, BRANCH, NOW.plus(Duration.ofMinutes(10)));
    assertThatThrownBy(() -> parse("delete", delete))
        .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.status()).isEqualTo(400))
        .hasMessageContaining("ahead of the receiver's clock");
    ObjectNode push =
        GitHub.push(REPOSITORY, BRANCH, "0".repeat(40), NOW.plus(Duration.ofHours(2)));
    push.put("deleted", true);
    assertThatThrownBy(() -> parse("push", push))
        .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.status()).isEqualTo(400));
  }

  @Test
  void aDeletionWithAMalformedTimeIsRefused() {
    ObjectNode delete = GitHub.delete(REPOSITORY, BRANCH);
    ((ObjectNode) delete.get("repository")).put("pushed_at", "yesterday");
    assertThatThrownBy(() -> parse("delete", delete))
        .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.status()).isEqualTo(400));
  }

  // A pull request opened: the branch's environment comments on it at once (docs/github.md).

  @Test
  void aPullRequestOpenedOrReopenedFromABranchOfTheRepositoryNamesItsBranchAndNumber() {
    Instant updated = NOW.minus(Duration.ofSeconds(3));
    for (String action : new String[] {"opened", "reopened"}) {
      Delivery pr =
          parse(
              "pull_request",
              GitHub.pullRequest(REPOSITORY, action, 12, BRANCH, REPOSITORY, updated));
      assertThat(pr.kind()).as(action).isEqualTo(Kind.PULL_REQUEST_OPENED);
      assertThat(pr.branch()).isEqualTo(BRANCH);
      assertThat(pr.pullRequest()).isEqualTo(12);
      assertThat(pr.happenedAt()).isEqualTo(updated);
      assertThat(pr.pullRequestNote()).isEqualTo("#12 " + updated);
    }
  }

  @Test
  void otherPullRequestActionsAreIgnoredWithTheirReason() {
    for (String action : new String[] {"closed", "synchronize", "edited", "ready_for_review"}) {
      Delivery pr =
          parse(
              "pull_request", GitHub.pullRequest(REPOSITORY, action, 12, BRANCH, REPOSITORY, NOW));
      assertThat(pr.kind()).as(action).isEqualTo(Kind.IGNORED);
      assertThat(pr.ignoredBecause())
          .isEqualTo("pull request action " + action + " adds no open pull request to comment on");
    }
  }

  @Test
  void aForksPullRequestNamesNoBranchOfOurs() {
    // The fork's feature/clock is not ours, whatever its name: no environment is touched.
    Delivery fork =
        parse(
            "pull_request",
            GitHub.pullRequest(REPOSITORY, "opened", 13, BRANCH, "mallory/dags", NOW));
    assertThat(fork.kind()).isEqualTo(Kind.IGNORED);
    assertThat(fork.branch()).isNull();
    assertThat(fork.ignoredBecause())
        .isEqualTo(
            "pull request #13 comes from the fork mallory/dags: its head is no branch of"
                + " acme/dags");
    Delivery deletedFork =
        parse("pull_request", GitHub.pullRequest(REPOSITORY, "opened", 14, BRANCH, null, NOW));
    assertThat(deletedFork.kind()).isEqualTo(Kind.IGNORED);
    assertThat(deletedFork.ignoredBecause()).contains("#14 comes from a deleted fork");
  }

  @Test
  void aMalformedPullRequestIsRefusedWithItsReason() {
    ObjectNode noNumber = GitHub.pullRequest(REPOSITORY, "opened", 12, BRANCH, REPOSITORY, NOW);
    noNumber.remove("number");
    ObjectNode badBranch =
        GitHub.pullRequest(REPOSITORY, "opened", 12, "feature/../x", REPOSITORY, NOW);
    ObjectNode badTime = GitHub.pullRequest(REPOSITORY, "opened", 12, BRANCH, REPOSITORY, NOW);
    ((ObjectNode) badTime.get("pull_request")).put("updated_at", "yesterday");
    ObjectNode noHead = GitHub.pullRequest(REPOSITORY, "opened", 12, BRANCH, REPOSITORY, NOW);
    ((ObjectNode) noHead.get("pull_request")).remove("head");
    java.util.Map.of(
            "number must be a positive integer", noNumber,
            "ref is not a valid branch name", badBranch,
            "pull_request.updated_at is not a timestamp", badTime,
            "pull_request.head must be an object", noHead)
        .forEach(
            (reason, body) ->
                assertThatThrownBy(() -> parse("pull_request", body))
                    .isInstanceOfSatisfying(
                        Rejection.class, r -> assertThat(r.status()).isEqualTo(400))
                    .hasMessage(reason));
  }
}
