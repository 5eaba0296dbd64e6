package io.branchflow.api.branches;

import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentStatus;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The rule of {@code limits.maxEnvironments}: which of a repository's environments may exist and
 * where the others wait. Environments that are already provisioned keep their place (lowering the
 * limit never tears one down); the rest are served first come, first served: by creation time, then
 * name (creation times have whole seconds). An environment is admitted iff it is provisioned or
 * {@code provisioned + its rank among the waiting < max}.
 *
 * <p>Pure, so the operator (which decides, from the namespaces that exist) and the webhook receiver
 * and resync (which report what the operator will decide, from the environments' status) apply the
 * same rule.
 */
public final class EnvironmentQueue {

  /** {@code limits.maxEnvironments} when the repository does not set it (the CRD's default). */
  public static final int DEFAULT_MAX_ENVIRONMENTS = 20;

  private static final Comparator<Member> FIRST_COME =
      Comparator.comparing(
              (Member m) -> m.createdAt() == null ? Instant.MAX : Instant.parse(m.createdAt()))
          .thenComparing(Member::name);

  private EnvironmentQueue() {}

  /**
   * One environment of the repository that is not being deleted.
   *
   * @param createdAt its creationTimestamp (RFC 3339); null for one not created yet
   * @param provisioned it has its namespace (it holds a slot until that namespace is gone)
   */
  public record Member(String name, String createdAt, boolean provisioned) {}

  /** The decision for one environment. */
  public sealed interface Admission permits Admitted, Queued {}

  /**
   * It may exist. {@code existing} counts the provisioned environments besides the ones admitted
   * now; above {@code max} only after the limit was lowered.
   */
  public record Admitted(int existing, int max) implements Admission {

    public boolean overLimit() {
      return existing > max;
    }
  }

  /** It waits; {@code position} 1 is next. */
  public record Queued(int existing, int max, int position) implements Admission {

    /** What the environment's status, the receiver and the resync say. */
    public String describe(String repository) {
      return "waiting: "
          + existing
          + " of "
          + max
          + " environments of repository "
          + repository
          + " exist; position "
          + position
          + " in the queue (limits.maxEnvironments of its WorkflowRepository)";
    }
  }

  /**
   * Where {@code name} of {@code repository} stands as the environments' status tells: what the
   * webhook receiver and the resync report (the operator decides from the namespaces that exist).
   * Provisioned: a status with a namespace and a phase past Pending and Queued.
   *
   * @param environments environments of any repository (others are left out); {@code name} need not
   *     be among them
   */
  public static Admission fromStatus(
      WorkflowRepository repository, String name, Collection<WorkflowEnvironment> environments) {
    List<Member> members =
        environments.stream()
            .filter(e -> repository.getMetadata().getName().equals(e.getSpec().getRepositoryRef()))
            .filter(e -> e.getMetadata().getDeletionTimestamp() == null)
            .map(
                e ->
                    new Member(
                        e.getMetadata().getName(),
                        e.getMetadata().getCreationTimestamp(),
                        provisioned(e.getStatus())))
            .toList();
    return decide(name, members, maxOf(repository));
  }

  private static boolean provisioned(WorkflowEnvironmentStatus status) {
    return status != null
        && status.getNamespace() != null
        && status.getPhase() != null
        && status.getPhase() != Phase.Queued
        && status.getPhase() != Phase.Pending;
  }

  /** The repository's limit, or the default. */
  public static int maxOf(WorkflowRepository repository) {
    var limits = repository.getSpec().getLimits();
    return limits == null || limits.getMaxEnvironments() == null
        ? DEFAULT_MAX_ENVIRONMENTS
        : limits.getMaxEnvironments();
  }

  /**
   * Where {@code name} stands among {@code members} (it need not be one of them: a branch about to
   * be created comes last).
   */
  public static Admission decide(String name, Collection<Member> members, int max) {
    int provisioned = (int) members.stream().filter(Member::provisioned).count();
    if (members.stream().anyMatch(m -> m.provisioned() && m.name().equals(name))) {
      return new Admitted(provisioned, max);
    }
    if (members.size() < max) {
      // provisioned + rank <= members.size() < max: admitted without sorting the waiting, which
      // the webhook receiver would otherwise do on every delivery over all of the repository's
      // environments.
      return new Admitted(provisioned, max);
    }
    List<Member> waiting =
        members.stream().filter(m -> !m.provisioned()).sorted(FIRST_COME).toList();
    int rank = waiting.size();
    for (int i = 0; i < waiting.size(); i++) {
      if (waiting.get(i).name().equals(name)) {
        rank = i;
        break;
      }
    }
    if (provisioned + rank < max) {
      return new Admitted(provisioned, max);
    }
    // Those ahead take the free slots: as far as this one can tell, all max exist.
    return new Queued(Math.max(provisioned, max), max, provisioned + rank - max + 1);
  }
}
