package io.branchflow.operator.repository;

import io.branchflow.api.branches.BranchPattern;
import io.branchflow.api.naming.EnvironmentNames;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one resync of a repository should do, decided from what was listed and what exists: a pure
 * function, so every rule of docs/resync.md is a unit test.
 *
 * <ul>
 *   <li>a listed branch that matches the pattern and has no environment gets one, unless it was
 *       deleted (tombstone) at or after the listing began, or its environment was removed by {@code
 *       limits.ttl} and the branch is still at the commit it ran (only a push brings it back);
 *   <li>an environment whose branch was not listed is deleted, unless it is younger than the grace
 *       period, or was pushed at or after the listing began, or is not named by the naming rule
 *       (then it is not one this code manages);
 *   <li>the mass-deletion guard: when those deletions are more than one and more than {@code
 *       maxDeletionPercent} of the repository's environments, none is made.
 * </ul>
 *
 * Times are compared in whole seconds, the precision of the {@code branchflow.io/pushed-at}
 * annotation and of tombstones; ties go to whatever keeps an environment.
 *
 * @param creates branches to create an environment for, with the commit listed
 * @param deletes environments to delete (empty when blocked)
 * @param deferred environments whose branch is gone but which are kept this time, and why
 * @param skipped branches that match but get no environment this time, and why
 * @param blocked why deletions were withheld by the guard; null when they were not
 * @param wouldDelete how many deletions were planned before the guard looked
 * @param environmentsBefore the repository's environments (not already being deleted)
 * @param graceEnds when the first environment kept only by the grace period may go (its branch is
 *     gone); null when none is
 */
public record ResyncPlan(
    List<Create> creates,
    List<Delete> deletes,
    List<Kept> deferred,
    List<Kept> skipped,
    String blocked,
    int wouldDelete,
    int environmentsBefore,
    Instant graceEnds) {

  /** A branch to create an environment for. */
  public record Create(String branch, String sha) {}

  /** An environment to delete because its branch is gone. */
  public record Delete(String name, String branch) {}

  /** Something left as it is, and why. */
  public record Kept(String name, String reason) {}

  /** An environment of the repository as the resync sees it. */
  public record Environment(
      String name, String branch, Instant createdAt, Instant pushedAt, boolean terminating) {}

  /** The repository-level knobs of one resync. */
  public record Policy(BranchPattern pattern, Duration gracePeriod, int maxDeletionPercent) {}

  /**
   * @param repository the repository as {@code owner/name} (the naming rule's input)
   * @param branches every branch listed (name to commit), from one successful listing
   * @param environments the repository's environments, read after the listing finished
   * @param tombstones when each environment's branch was last deleted, by environment name
   * @param expiredCommits the commit each environment removed by its TTL ran, by name
   * @param listingStarted when the listing began
   */
  public static ResyncPlan of(
      String repository,
      Map<String, String> branches,
      List<Environment> environments,
      Map<String, Instant> tombstones,
      Map<String, String> expiredCommits,
      Instant listingStarted,
      Policy policy) {
    Instant listedAt = listingStarted.truncatedTo(ChronoUnit.SECONDS);
    Set<String> branchesWithEnvironment = new HashSet<>();
    Set<String> names = new HashSet<>();
    for (Environment env : environments) {
      branchesWithEnvironment.add(env.branch());
      names.add(env.name());
    }

    List<Create> creates = new ArrayList<>();
    List<Kept> skipped = new ArrayList<>();
    branches.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .filter(e -> policy.pattern().matches(e.getKey()))
        .filter(e -> !branchesWithEnvironment.contains(e.getKey()))
        .forEach(
            e -> {
              String name = EnvironmentNames.of(repository, e.getKey()).name();
              Instant deletedAt = tombstones.get(name);
              if (names.contains(name)) {
                skipped.add(new Kept(name, "an environment of that name exists"));
              } else if (deletedAt != null && !listedAt.isAfter(deletedAt)) {
                skipped.add(
                    new Kept(name, "deleted at " + deletedAt + ", after the listing began"));
              } else if (e.getValue().equals(expiredCommits.get(name))) {
                skipped.add(
                    new Kept(
                        name,
                        "expired at "
                            + deletedAt
                            + " (limits.ttl) and not pushed since; a push brings it back"));
              } else {
                creates.add(new Create(e.getKey(), e.getValue()));
              }
            });

    List<Environment> live = environments.stream().filter(e -> !e.terminating()).toList();
    List<Delete> deletes = new ArrayList<>();
    List<Kept> deferred = new ArrayList<>();
    List<Instant> graceEnds = new ArrayList<>();
    Instant youngAfter = listedAt.minus(policy.gracePeriod());
    live.stream()
        .sorted(Comparator.comparing(Environment::name))
        .filter(env -> !branches.containsKey(env.branch()))
        .forEach(
            env -> {
              if (!env.name().equals(EnvironmentNames.of(repository, env.branch()).name())) {
                deferred.add(new Kept(env.name(), "not named by the naming rule; left alone"));
              } else if (env.createdAt() == null || !env.createdAt().isBefore(youngAfter)) {
                deferred.add(
                    new Kept(
                        env.name(), "younger than the grace period of " + policy.gracePeriod()));
                if (env.createdAt() != null) {
                  graceEnds.add(env.createdAt().plus(policy.gracePeriod()));
                }
              } else if (env.pushedAt() != null && !env.pushedAt().isBefore(listedAt)) {
                deferred.add(
                    new Kept(env.name(), "pushed at " + env.pushedAt() + ", after listing"));
              } else {
                deletes.add(new Delete(env.name(), env.branch()));
              }
            });

    String blocked = guard(deletes.size(), live.size(), policy.maxDeletionPercent());
    return new ResyncPlan(
        List.copyOf(creates),
        blocked == null ? List.copyOf(deletes) : List.of(),
        List.copyOf(deferred),
        List.copyOf(skipped),
        blocked,
        deletes.size(),
        live.size(),
        graceEnds.stream().min(Comparator.naturalOrder()).orElse(null));
  }

  /**
   * Null when {@code deletions} of {@code environments} may go ahead, otherwise why not. One
   * deletion is always allowed (a repository with one environment must be able to lose it when its
   * branch is merged); more than one must stay within {@code maxPercent} of the environments. 0
   * means a resync never deletes; 100 turns the guard off.
   */
  static String guard(int deletions, int environments, int maxPercent) {
    if (deletions == 0 || maxPercent >= 100) {
      return null;
    }
    boolean allowed =
        maxPercent > 0 && (deletions == 1 || deletions * 100L <= (long) maxPercent * environments);
    if (allowed) {
      return null;
    }
    long percent = Math.round(deletions * 100.0 / environments);
    return "would delete "
        + deletions
        + " of "
        + environments
        + " environments ("
        + percent
        + "%), more than spec.resync.maxDeletionPercent "
        + maxPercent
        + "%; deleted none";
  }

  /** The number of environments once this plan is carried out. */
  public int environmentsAfter() {
    return environmentsBefore - deletes.size() + creates.size();
  }
}
