package io.branchflow.api.branches;

import io.branchflow.api.Labels;
import io.branchflow.api.naming.EnvironmentNames;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentSpec;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Creates, moves and deletes the WorkflowEnvironment of a branch: what the webhook receiver does
 * for each delivery and the resync for each branch it finds, with one rule for events that arrive
 * late or twice (docs/events-in.md):
 *
 * <ul>
 *   <li>every change carries the time it happened on GitHub ({@code pushedAt});
 *   <li>an environment remembers the push that set its revision (annotation {@link #PUSHED_AT}); an
 *       older push never overwrites a newer one, the same push again changes nothing;
 *   <li>a deletion leaves a tombstone (the ConfigMap {@code <repository>-deleted-branches}, kept
 *       for {@link #TOMBSTONE_TTL}); a push that happened before it never brings the branch back, a
 *       push after it does;
 *   <li>an environment removed by {@code limits.ttl} leaves the same tombstone with the commit it
 *       ran ({@link #expire}): a push after it brings the branch back, and the resync, which lists
 *       the branch still at that commit, does not.
 * </ul>
 *
 * Writes use optimistic concurrency and retry on conflict, so receiver replicas and the resync can
 * race without losing a change.
 */
public final class BranchEnvironments {

  /** When the push that set {@code spec.commitSha} happened (epoch seconds). */
  public static final String PUSHED_AT = "branchflow.io/pushed-at";

  /**
   * A pull request of the branch was opened or reopened (the webhook receiver's note, e.g. {@code
   * #12 2026-11-30T14:40:00Z}): the operator looks the branch's pull requests up again for its
   * comment, which otherwise only happens when the comment's text changes. Any new value asks once;
   * the same value again changes nothing.
   */
  public static final String PULL_REQUESTS_CHANGED = "branchflow.io/pull-requests-changed";

  static final Duration TOMBSTONE_TTL = Duration.ofDays(7);

  /**
   * How long the commit of an environment removed by its TTL is remembered: the branch still
   * exists, and the resync would bring a forgotten one back (to expire again after the TTL).
   */
  static final Duration EXPIRY_MEMORY = Duration.ofDays(90);

  private static final int ATTEMPTS = 5;

  /** What a change did. */
  public enum Outcome {
    CREATED,
    UPDATED,
    UNCHANGED,
    DELETED,
    ABSENT,
    /** Older than what the cluster already knows; ignored. */
    STALE
  }

  private final KubernetesClient client;

  public BranchEnvironments(KubernetesClient client) {
    this.client = client;
  }

  /**
   * The branch exists at {@code sha} (null when unknown, as in a branch "create" event) as of
   * {@code pushedAt}: create or move its environment.
   */
  public Outcome upsert(
      WorkflowRepository repository, String branch, String sha, String pusher, Instant pushedAt) {
    String name = nameOf(repository, branch);
    for (int attempt = 1; ; attempt++) {
      try {
        Tombstone tombstone = tombstones(repository).get(name);
        if (tombstone != null && !pushedAt.isAfter(tombstone.deletedAt())) {
          return Outcome.STALE;
        }
        WorkflowEnvironment existing = environments(repository).withName(name).get();
        if (existing == null) {
          client.resource(newEnvironment(repository, name, branch, sha, pusher, pushedAt)).create();
          return Outcome.CREATED;
        }
        Instant known = pushedAtOf(existing);
        if (known != null && pushedAt.isBefore(known)) {
          return Outcome.STALE;
        }
        if (sha == null // a branch "create" carries no commit: nothing to move
            || (sha.equals(existing.getSpec().getCommitSha()) && pushedAt.equals(known))) {
          return Outcome.UNCHANGED;
        }
        existing.getSpec().setCommitSha(sha);
        if (pusher != null) {
          existing.getSpec().setPusher(pusher);
        }
        existing.getMetadata().getAnnotations().put(PUSHED_AT, epoch(pushedAt));
        client.resource(existing).update(); // fails with 409 if someone changed it meanwhile
        return Outcome.UPDATED;
      } catch (KubernetesClientException e) {
        if (!retryable(e) || attempt == ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /**
   * The branch exists at {@code sha} as of {@code pushedAt} and the caller knows it has no
   * environment and no newer deletion (the resync, from its own LIST and tombstones): one request,
   * the create. Should it exist after all (a push delivered meanwhile), this is an {@link #upsert}.
   */
  public Outcome createKnownNew(
      WorkflowRepository repository, String branch, String sha, String pusher, Instant pushedAt) {
    String name = nameOf(repository, branch);
    try {
      client.resource(newEnvironment(repository, name, branch, sha, pusher, pushedAt)).create();
      return Outcome.CREATED;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      return upsert(repository, branch, sha, pusher, pushedAt);
    }
  }

  /** The branch was deleted at {@code deletedAt}: remember that, remove its environment. */
  public Outcome delete(WorkflowRepository repository, String branch, Instant deletedAt) {
    String name = nameOf(repository, branch);
    for (int attempt = 1; ; attempt++) {
      try {
        recordTombstone(repository, name, new Tombstone(deletedAt));
        WorkflowEnvironment existing = environments(repository).withName(name).get();
        if (existing == null) {
          return Outcome.ABSENT;
        }
        Instant known = pushedAtOf(existing);
        if (known != null && known.isAfter(deletedAt)) {
          return Outcome.STALE; // the branch was pushed again after this deletion
        }
        environments(repository)
            .withName(name)
            .lockResourceVersion(existing.getMetadata().getResourceVersion())
            .delete();
        return Outcome.DELETED;
      } catch (KubernetesClientException e) {
        if (!retryable(e) || attempt == ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /**
   * Notes {@code value} in {@link #PULL_REQUESTS_CHANGED} on the branch's environment: {@link
   * Outcome#ABSENT} when it has none (nothing is created for a pull request), {@link
   * Outcome#UNCHANGED} when the note is already there (a redelivery). Only the annotation changes,
   * with the same optimistic concurrency as a push.
   */
  public Outcome notePullRequests(WorkflowRepository repository, String branch, String value) {
    String name = nameOf(repository, branch);
    for (int attempt = 1; ; attempt++) {
      try {
        WorkflowEnvironment existing = environments(repository).withName(name).get();
        if (existing == null) {
          return Outcome.ABSENT;
        }
        if (value.equals(pullRequestsChangedOf(existing))) {
          return Outcome.UNCHANGED;
        }
        if (existing.getMetadata().getAnnotations() == null) {
          existing.getMetadata().setAnnotations(new HashMap<>());
        }
        existing.getMetadata().getAnnotations().put(PULL_REQUESTS_CHANGED, value);
        client.resource(existing).update(); // fails with 409 if someone changed it meanwhile
        return Outcome.UPDATED;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return Outcome.ABSENT; // deleted between the read and the write
        }
        if (!retryable(e) || attempt == ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /** The last {@link #PULL_REQUESTS_CHANGED} note on {@code env}; null when none. */
  public static String pullRequestsChangedOf(WorkflowEnvironment env) {
    Map<String, String> annotations = env.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(PULL_REQUESTS_CHANGED);
  }

  /**
   * Removes the environment {@code name}, which has run {@code sha} (null: the branch head of a
   * "create") since its last push for longer than the repository's {@code limits.ttl}, and records
   * that at {@code expiredAt}. Nothing happens when the environment has moved to another commit
   * meanwhile (a push won the race): {@link Outcome#STALE}. The tombstone is written after the
   * deletion, so a push that is refused as older than it can only be one the environment lost
   * anyway; should writing it fail, the resync brings the branch back with a fresh TTL.
   */
  public Outcome expire(WorkflowRepository repository, String name, String sha, Instant expiredAt) {
    for (int attempt = 1; ; attempt++) {
      try {
        WorkflowEnvironment existing = environments(repository).withName(name).get();
        if (existing == null) {
          return Outcome.ABSENT;
        }
        if (!java.util.Objects.equals(existing.getSpec().getCommitSha(), sha)) {
          return Outcome.STALE;
        }
        environments(repository)
            .withName(name)
            .lockResourceVersion(existing.getMetadata().getResourceVersion())
            .delete();
        recordTombstone(repository, name, new Tombstone(expiredAt, sha == null ? "" : sha));
        return Outcome.DELETED;
      } catch (KubernetesClientException e) {
        if (!retryable(e) || attempt == ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /**
   * What the tombstones of {@code repository} say, by environment name.
   *
   * @param removedAt when each branch was last deleted or its environment expired (deletions older
   *     than {@link #TOMBSTONE_TTL} are forgotten)
   * @param expiredCommits for environments removed by their TTL: the commit they ran ("" for the
   *     branch head), forgotten after {@link #EXPIRY_MEMORY}
   */
  public record Removals(Map<String, Instant> removedAt, Map<String, String> expiredCommits) {}

  public Removals removedBranches(WorkflowRepository repository) {
    Map<String, Instant> at = new HashMap<>();
    Map<String, String> expired = new HashMap<>();
    tombstones(repository)
        .forEach(
            (name, tombstone) -> {
              at.put(name, tombstone.deletedAt());
              if (tombstone.expiredSha() != null) {
                expired.put(name, tombstone.expiredSha());
              }
            });
    return new Removals(at, expired);
  }

  /** The environment name of {@code branch}: the naming rule, shared by every writer. */
  public static String nameOf(WorkflowRepository repository, String branch) {
    return EnvironmentNames.of(repository.getSpec().getRepository(), branch).name();
  }

  private WorkflowEnvironment newEnvironment(
      WorkflowRepository repository,
      String name,
      String branch,
      String sha,
      String pusher,
      Instant pushedAt) {
    WorkflowEnvironmentSpec spec = new WorkflowEnvironmentSpec();
    spec.setRepositoryRef(repository.getMetadata().getName());
    spec.setBranch(branch);
    spec.setCommitSha(sha);
    spec.setPusher(pusher);
    WorkflowEnvironment env = new WorkflowEnvironment();
    env.getMetadata().setName(name);
    env.getMetadata().setNamespace(repository.getMetadata().getNamespace());
    env.getMetadata()
        .setLabels(
            new HashMap<>(
                Map.of(
                    Labels.MANAGED_BY,
                    Labels.MANAGED_BY_VALUE,
                    Labels.REPOSITORY,
                    repository.getMetadata().getName())));
    env.getMetadata().setAnnotations(new HashMap<>(Map.of(PUSHED_AT, epoch(pushedAt))));
    env.setSpec(spec);
    return env;
  }

  /**
   * One remembered removal, stored as the ConfigMap value {@code "<epoch seconds>"}, or {@code
   * "<epoch seconds> expired <commit>"} for a TTL expiry. Values written when webhooks still
   * deleted carry a delivery id after a space; it is ignored.
   *
   * @param expiredSha the commit an expired environment ran ("" when unknown); null for a deletion
   */
  private record Tombstone(Instant deletedAt, String expiredSha) {

    private static final String EXPIRED = "expired";

    Tombstone(Instant deletedAt) {
      this(deletedAt, null);
    }

    static Tombstone parse(String value) {
      String[] parts = value.strip().split(" ", 3);
      try {
        Instant at = Instant.ofEpochSecond(Long.parseLong(parts[0]));
        boolean expired = parts.length >= 2 && EXPIRED.equals(parts[1]);
        return new Tombstone(at, expired ? (parts.length == 3 ? parts[2] : "") : null);
      } catch (NumberFormatException e) {
        return null; // hand-edited garbage: as if there were no tombstone
      }
    }

    String format() {
      return expiredSha == null
          ? epoch(deletedAt)
          : (epoch(deletedAt) + " " + EXPIRED + " " + expiredSha).strip();
    }

    /** Whether it is still remembered when a removal at {@code now} is recorded. */
    boolean keptAt(Instant now) {
      Duration memory = expiredSha == null ? TOMBSTONE_TTL : EXPIRY_MEMORY;
      return deletedAt.isAfter(now.minus(memory));
    }
  }

  private Map<String, Tombstone> tombstones(WorkflowRepository repository) {
    ConfigMap map = tombstoneMap(repository).get();
    Map<String, Tombstone> out = new HashMap<>();
    if (map != null && map.getData() != null) {
      map.getData()
          .forEach(
              (name, value) -> {
                Tombstone tombstone = Tombstone.parse(value);
                if (tombstone != null) {
                  out.put(name, tombstone);
                }
              });
    }
    return out;
  }

  private void recordTombstone(WorkflowRepository repository, String name, Tombstone tombstone) {
    ConfigMap existing = tombstoneMap(repository).get();
    Map<String, String> data = new HashMap<>();
    if (existing != null && existing.getData() != null) {
      existing.getData().entrySet().stream()
          .filter(
              e -> {
                Tombstone kept = Tombstone.parse(e.getValue());
                return kept != null && kept.keptAt(tombstone.deletedAt());
              })
          .forEach(e -> data.put(e.getKey(), e.getValue()));
    }
    Tombstone previous = data.containsKey(name) ? Tombstone.parse(data.get(name)) : null;
    if (previous != null && !previous.deletedAt().isBefore(tombstone.deletedAt())) {
      return;
    }
    data.put(name, tombstone.format());
    if (existing == null) {
      client.resource(tombstoneConfigMap(repository, data)).create();
    } else {
      existing.setData(data);
      client.resource(existing).update();
    }
  }

  private ConfigMap tombstoneConfigMap(WorkflowRepository repository, Map<String, String> data) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(repository.getMetadata().getName() + "-deleted-branches")
        .withNamespace(repository.getMetadata().getNamespace())
        .addToLabels(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
        .addToLabels(Labels.REPOSITORY, repository.getMetadata().getName())
        // Goes with its repository.
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion(repository.getApiVersion())
                .withKind(repository.getKind())
                .withName(repository.getMetadata().getName())
                .withUid(repository.getMetadata().getUid())
                .build())
        .endMetadata()
        .withData(data)
        .build();
  }

  private io.fabric8.kubernetes.client.dsl.Resource<ConfigMap> tombstoneMap(
      WorkflowRepository repository) {
    return client
        .configMaps()
        .inNamespace(repository.getMetadata().getNamespace())
        .withName(repository.getMetadata().getName() + "-deleted-branches");
  }

  private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<
          WorkflowEnvironment,
          io.fabric8.kubernetes.api.model.KubernetesResourceList<WorkflowEnvironment>,
          io.fabric8.kubernetes.client.dsl.Resource<WorkflowEnvironment>>
      environments(WorkflowRepository repository) {
    return client
        .resources(WorkflowEnvironment.class)
        .inNamespace(repository.getMetadata().getNamespace());
  }

  private static Instant pushedAtOf(WorkflowEnvironment env) {
    Map<String, String> annotations = env.getMetadata().getAnnotations();
    if (annotations == null || !annotations.containsKey(PUSHED_AT)) {
      if (env.getMetadata().getAnnotations() == null) {
        env.getMetadata().setAnnotations(new HashMap<>());
      }
      return null;
    }
    try {
      return Instant.ofEpochSecond(Long.parseLong(annotations.get(PUSHED_AT)));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String epoch(Instant instant) {
    return Long.toString(instant.getEpochSecond());
  }

  private static boolean retryable(KubernetesClientException e) {
    return e.getCode() == 409;
  }
}
