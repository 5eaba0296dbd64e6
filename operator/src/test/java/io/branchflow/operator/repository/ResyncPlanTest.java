package io.branchflow.operator.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.branches.BranchPattern;
import io.branchflow.api.naming.EnvironmentNames;
import io.branchflow.operator.repository.ResyncPlan.Create;
import io.branchflow.operator.repository.ResyncPlan.Delete;
import io.branchflow.operator.repository.ResyncPlan.Environment;
import io.branchflow.operator.repository.ResyncPlan.Kept;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResyncPlanTest {

  private static final String REPO = "acme/dags";
  private static final Instant LISTED = Instant.parse("2026-03-01T12:00:00.600Z");
  private static final Instant LONG_AGO = Instant.parse("2026-03-01T10:00:00Z");
  private static final Duration GRACE = Duration.ofMinutes(2);
  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

  private final Map<String, String> branches = new LinkedHashMap<>(Map.of("main", SHA));
  private final List<Environment> envs = new ArrayList<>();
  private final Map<String, Instant> tombstones = new LinkedHashMap<>();
  private final Map<String, String> expired = new LinkedHashMap<>();

  private static String nameOf(String branch) {
    return EnvironmentNames.of(REPO, branch).name();
  }

  private static Environment env(String branch) {
    return new Environment(nameOf(branch), branch, LONG_AGO, LONG_AGO, false);
  }

  private ResyncPlan plan(int maxDeletionPercent) {
    return ResyncPlan.of(
        REPO,
        branches,
        envs,
        tombstones,
        expired,
        LISTED,
        new ResyncPlan.Policy(BranchPattern.of("feature/*"), GRACE, maxDeletionPercent));
  }

  private ResyncPlan plan() {
    return plan(50);
  }

  @Test
  void aMatchingBranchWithoutEnvironmentGetsOneWithTheListedCommit() {
    branches.put("feature/b", "b".repeat(40));
    branches.put("feature/a", "a".repeat(40));
    envs.add(env("feature/a"));

    ResyncPlan plan = plan();

    assertThat(plan.creates()).containsExactly(new Create("feature/b", "b".repeat(40)));
    assertThat(plan.deletes()).isEmpty();
    assertThat(plan.environmentsAfter()).isEqualTo(2);
  }

  @Test
  void branchesOutsideThePatternNeverGetAnEnvironment() {
    branches.put("bugfix/x", SHA);
    branches.put("feature/a/b", SHA); // '*' stays within one path segment
    branches.put("feature", SHA);
    branches.put("refs/heads/feature/x", SHA);

    assertThat(plan().creates()).isEmpty();
  }

  @Test
  void anEnvironmentWhoseBranchIsGoneIsDeleted() {
    branches.put("feature/a", SHA);
    branches.put("feature/c", SHA);
    envs.add(env("feature/a"));
    envs.add(env("feature/b"));
    envs.add(env("feature/c"));

    ResyncPlan plan = plan();

    assertThat(plan.deletes()).containsExactly(new Delete(nameOf("feature/b"), "feature/b"));
    assertThat(plan.blocked()).isNull();
    assertThat(plan.environmentsAfter()).isEqualTo(2);
  }

  @Test
  void anEnvironmentYoungerThanTheGracePeriodIsKept() {
    branches.put("feature/a", SHA);
    envs.add(env("feature/a"));
    Instant listedSecond = Instant.parse("2026-03-01T12:00:00Z");
    envs.add(
        new Environment(
            nameOf("feature/young"), "feature/young", listedSecond.minus(GRACE), null, false));
    envs.add(
        new Environment(
            nameOf("feature/old"),
            "feature/old",
            listedSecond.minus(GRACE).minusSeconds(1),
            null,
            false));
    envs.add(
        new Environment(nameOf("feature/new"), "feature/new", LISTED.plusSeconds(5), null, false));

    ResyncPlan plan = plan(100);

    assertThat(plan.deletes()).extracting(Delete::branch).containsExactly("feature/old");
    assertThat(plan.deferred())
        .extracting(Kept::name)
        .containsExactlyInAnyOrder(nameOf("feature/young"), nameOf("feature/new"));
    assertThat(plan.deferred()).allSatisfy(k -> assertThat(k.reason()).contains("grace period"));
    // The next resync is due when the first of them may go, not a whole period later.
    assertThat(plan.graceEnds()).isEqualTo(listedSecond);
  }

  @Test
  void theNextResyncComesWhenTheGraceEndsIfThatIsBeforeThePeriod() {
    Duration period = Duration.ofMinutes(5);
    assertThat(WorkflowRepositoryReconciler.nextResync(period, null)).isEqualTo(period);
    assertThat(WorkflowRepositoryReconciler.nextResync(period, Instant.now().plusSeconds(30)))
        .isBetween(Duration.ofSeconds(1), Duration.ofSeconds(31));
    assertThat(WorkflowRepositoryReconciler.nextResync(period, Instant.now().plusSeconds(3600)))
        .isEqualTo(period);
    assertThat(WorkflowRepositoryReconciler.nextResync(period, Instant.now().minusSeconds(10)))
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void anEnvironmentPushedSinceTheListingBeganIsKept() {
    branches.put("feature/a", SHA);
    envs.add(env("feature/a"));
    Instant listedSecond = Instant.parse("2026-03-01T12:00:00Z");
    envs.add(
        new Environment(nameOf("feature/same"), "feature/same", LONG_AGO, listedSecond, false));
    envs.add(
        new Environment(
            nameOf("feature/later"),
            "feature/later",
            LONG_AGO,
            listedSecond.plusSeconds(1),
            false));
    envs.add(
        new Environment(
            nameOf("feature/before"),
            "feature/before",
            LONG_AGO,
            listedSecond.minusSeconds(1),
            false));

    ResyncPlan plan = plan(100);

    assertThat(plan.deletes()).extracting(Delete::branch).containsExactly("feature/before");
    assertThat(plan.deferred())
        .extracting(Kept::name)
        .containsExactlyInAnyOrder(nameOf("feature/same"), nameOf("feature/later"));
  }

  @Test
  void aBranchDeletedSinceTheListingBeganIsNotCreated() {
    branches.put("feature/gone", SHA);
    branches.put("feature/tie", SHA);
    branches.put("feature/back", SHA);
    Instant listedSecond = Instant.parse("2026-03-01T12:00:00Z");
    tombstones.put(nameOf("feature/gone"), listedSecond.plusSeconds(3));
    tombstones.put(nameOf("feature/tie"), listedSecond);
    tombstones.put(nameOf("feature/back"), listedSecond.minusSeconds(1)); // pushed again since

    ResyncPlan plan = plan();

    assertThat(plan.creates()).extracting(Create::branch).containsExactly("feature/back");
    assertThat(plan.skipped())
        .extracting(Kept::name)
        .containsExactlyInAnyOrder(nameOf("feature/gone"), nameOf("feature/tie"));
  }

  @Test
  void anExpiredEnvironmentComesBackOnlyWhenItsBranchMovedToAnotherCommit() {
    Instant expiredAt = LONG_AGO;
    branches.put("feature/idle", SHA);
    branches.put("feature/pushed", "b".repeat(40));
    tombstones.put(nameOf("feature/idle"), expiredAt);
    expired.put(nameOf("feature/idle"), SHA);
    tombstones.put(nameOf("feature/pushed"), expiredAt);
    expired.put(nameOf("feature/pushed"), SHA); // a push the webhook missed moved it since

    ResyncPlan plan = plan();

    assertThat(plan.creates()).extracting(Create::branch).containsExactly("feature/pushed");
    assertThat(plan.skipped())
        .singleElement()
        .satisfies(
            k -> {
              assertThat(k.name()).isEqualTo(nameOf("feature/idle"));
              assertThat(k.reason()).contains("limits.ttl").contains("a push brings it back");
            });
  }

  @Test
  void environmentsAlreadyBeingDeletedAreNeitherCountedNorDeletedNorRecreated() {
    branches.put("feature/a", SHA);
    envs.add(new Environment(nameOf("feature/a"), "feature/a", LONG_AGO, LONG_AGO, true));
    envs.add(new Environment(nameOf("feature/b"), "feature/b", LONG_AGO, LONG_AGO, true));
    envs.add(env("feature/c"));

    ResyncPlan plan = plan();

    assertThat(plan.creates()).isEmpty();
    assertThat(plan.environmentsBefore()).isEqualTo(1);
    // 1 of 1: allowed (see the guard tests)
    assertThat(plan.deletes()).extracting(Delete::branch).containsExactly("feature/c");
  }

  @Test
  void anEnvironmentNotNamedByTheNamingRuleIsLeftAlone() {
    envs.add(new Environment("hand-made", "feature/x", LONG_AGO, null, false));

    ResyncPlan plan = plan(100);

    assertThat(plan.deletes()).isEmpty();
    assertThat(plan.deferred()).extracting(Kept::name).containsExactly("hand-made");
  }

  @Test
  void environmentsOfBranchesOutsideThePatternAreDeletedWhenTheirBranchIsGone() {
    envs.add(env("feature/a"));
    envs.add(env("bugfix/x"));
    branches.put("feature/a", SHA);

    assertThat(plan().deletes()).extracting(Delete::branch).containsExactly("bugfix/x");
  }

  @ParameterizedTest(name = "{0} of {1} at {2}% -> blocked {3}")
  @CsvSource({
    "0, 0, 50, false",
    "1, 1, 50, false", // one deletion is always allowed: a lone environment must be able to go
    "1, 10, 5, false",
    "2, 2, 50, true",
    "2, 4, 50, false", // exactly the limit is allowed
    "3, 5, 50, true",
    "3, 4, 50, true",
    "5, 10, 50, false",
    "6, 10, 50, true",
    "1, 1, 0, true", // 0: a resync never deletes
    "4, 4, 100, false", // 100: no guard
    "9, 10, 90, false",
  })
  void theMassDeletionGuard(int deletions, int environments, int percent, boolean blocked) {
    assertThat(ResyncPlan.guard(deletions, environments, percent) != null).isEqualTo(blocked);
  }

  @Test
  void aBlockedResyncDeletesNothingSaysWhyAndStillCreates() {
    branches.put("feature/new", SHA);
    for (String b : List.of("feature/a", "feature/b", "feature/c", "feature/d")) {
      envs.add(env(b));
    }
    branches.put("feature/d", SHA);

    ResyncPlan plan = plan();

    assertThat(plan.deletes()).isEmpty();
    assertThat(plan.wouldDelete()).isEqualTo(3);
    assertThat(plan.blocked())
        .contains("would delete 3 of 4 environments (75%)")
        .contains("maxDeletionPercent 50%");
    assertThat(plan.creates()).extracting(Create::branch).containsExactly("feature/new");
    assertThat(plan.environmentsAfter()).isEqualTo(5);
  }

  @Test
  void keptEnvironmentsCountTowardsTheWholeButNotTheDeletions() {
    // 2 gone and old, 1 gone but young, 1 present: 2 of 4 = 50% is allowed.
    branches.put("feature/a", SHA);
    envs.add(env("feature/a"));
    envs.add(env("feature/b"));
    envs.add(env("feature/c"));
    envs.add(new Environment(nameOf("feature/young"), "feature/young", LISTED, null, false));

    ResyncPlan plan = plan();

    assertThat(plan.blocked()).isNull();
    assertThat(plan.deletes()).extracting(Delete::branch).containsExactly("feature/b", "feature/c");
  }
}
