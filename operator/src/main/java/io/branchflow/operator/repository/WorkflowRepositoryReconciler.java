package io.branchflow.operator.repository;

import io.branchflow.api.branches.BranchEnvironments;
import io.branchflow.api.branches.BranchEnvironments.Outcome;
import io.branchflow.api.branches.BranchPattern;
import io.branchflow.api.branches.EnvironmentQueue;
import io.branchflow.api.v1alpha1.Condition;
import io.branchflow.api.v1alpha1.ConditionStatus;
import io.branchflow.api.v1alpha1.SecretKeyRef;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.api.v1alpha1.WorkflowRepositoryStatus;
import io.branchflow.operator.config.OperatorSettings;
import io.branchflow.operator.config.ResyncSettings;
import io.branchflow.operator.repository.BranchLister.Failed;
import io.branchflow.operator.repository.BranchLister.Listed;
import io.branchflow.operator.repository.BranchLister.Listing;
import io.branchflow.operator.secrets.SecretReader;
import io.branchflow.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The branch resync (docs/resync.md): at start and every {@code spec.resync.period}, lists the
 * repository's branches and converges its WorkflowEnvironments with them, for the webhooks that
 * were missed. A listing that fails in any way changes nothing; a resync that would delete too many
 * environments at once deletes none and says so.
 */
@ControllerConfiguration(
    name = WorkflowRepositoryReconciler.NAME,
    fieldManager = OperatorSettings.FIELD_MANAGER,
    // Not generation-aware: a resync request is an annotation, which leaves the generation alone.
    // ResyncTriggers keeps the resync's own status writes from starting another.
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = ResyncTriggers.class))
public class WorkflowRepositoryReconciler
    implements Reconciler<WorkflowRepository>, Cleaner<WorkflowRepository> {

  public static final String NAME = "workflowrepository";

  static final String BRANCHES_LISTED = "BranchesListed";
  static final String RESYNC_SUCCEEDED = "ResyncSucceeded";
  static final String LISTING_FAILED = "ListingFailed";
  static final String MASS_DELETION_GUARD = "MassDeletionGuard";
  private static final Set<String> OWN_CONDITIONS = Set.of(BRANCHES_LISTED, RESYNC_SUCCEEDED);

  private static final Logger LOG = Logger.getLogger(WorkflowRepositoryReconciler.class);

  /** How often a deleted repository checks whether its environments are gone yet. */
  private static final java.time.Duration TEARDOWN_CHECK = java.time.Duration.ofSeconds(2);

  private final KubernetesClient client;
  private final ResyncSettings settings;
  private final BranchLister lister;
  private final BranchEnvironments branches;
  private final RepositoryEvents events;
  private final Clock clock;

  // Two constructors: without @Inject, ArC makes no bean of this class and the operator would run
  // without the resync, silently (the package is what `make bench` found it missing from).
  @Inject
  public WorkflowRepositoryReconciler(KubernetesClient client, ResyncSettings settings) {
    this(client, settings, new BranchLister(), Clock.systemUTC());
  }

  WorkflowRepositoryReconciler(
      KubernetesClient client, ResyncSettings settings, BranchLister lister, Clock clock) {
    this.client = client;
    this.settings = settings;
    this.lister = lister;
    this.branches = new BranchEnvironments(client);
    this.events = new RepositoryEvents(client);
    this.clock = clock;
  }

  @Override
  public UpdateControl<WorkflowRepository> reconcile(
      WorkflowRepository repository, Context<WorkflowRepository> context) {
    ResyncPolicies policy = ResyncPolicies.of(repository.getSpec().getResync());
    Instant started = clock.instant();
    String startedText = started.truncatedTo(ChronoUnit.SECONDS).toString();
    WorkflowRepositoryStatus previous = repository.getStatus();
    Conditions conditions =
        new Conditions(
            previous == null ? null : previous.getConditions(),
            repository.getMetadata().getGeneration(),
            startedText);
    WorkflowRepositoryStatus status = new WorkflowRepositoryStatus();
    status.setObservedGeneration(repository.getMetadata().getGeneration());
    status.setLastResyncTime(previous == null ? null : previous.getLastResyncTime());
    Instant graceEnds = null;

    try {
      Listing listing = list(repository);
      List<WorkflowEnvironment> environments = environmentsOf(repository);
      int live =
          (int)
              environments.stream()
                  .filter(e -> e.getMetadata().getDeletionTimestamp() == null)
                  .count();
      if (listing instanceof Failed failed) {
        String message =
            "listing branches of "
                + BranchLister.redact(repository.getSpec().getCloneUrl(), Optional.empty())
                + " at "
                + startedText
                + " failed: "
                + failed.message()
                + "; nothing was created or deleted; next attempt in "
                + BranchLister.human(policy.period());
        if (!wasFalse(previous, BRANCHES_LISTED)) {
          events.warning(repository, LISTING_FAILED, message);
        } else {
          LOG.debugf("repository %s: %s", repository.getMetadata().getName(), message);
        }
        conditions
            .set(BRANCHES_LISTED, false, LISTING_FAILED, message)
            .set(
                RESYNC_SUCCEEDED,
                false,
                LISTING_FAILED,
                "no resync without a complete listing of branches: " + failed.message());
        status.setEnvironments(live);
      } else {
        Listed listed = (Listed) listing;
        status.setLastResyncTime(startedText);
        graceEnds =
            resync(repository, listed, environments, started, policy, previous, conditions, status);
      }
    } catch (KubernetesClientException e) {
      String message =
          "the Kubernetes API refused a resync step, retrying in "
              + BranchLister.human(policy.period())
              + ": "
              + shorten(e.getMessage());
      LOG.warnf("repository %s: %s", repository.getMetadata().getName(), message);
      conditions.set(RESYNC_SUCCEEDED, false, "KubernetesApiError", message);
      conditions.keep(BRANCHES_LISTED);
      status.setEnvironments(previous == null ? null : previous.getEnvironments());
    }

    status.setConditions(conditions.buildKeepingOthers(OWN_CONDITIONS));
    return UpdateControl.patchStatus(statusOnly(repository, status))
        .rescheduleAfter(nextResync(policy.period(), graceEnds));
  }

  /**
   * The period, or sooner when a gone branch's environment was kept only because it is younger than
   * the grace period: it goes when the grace ends, not a whole period later.
   */
  static java.time.Duration nextResync(java.time.Duration period, Instant graceEnds) {
    if (graceEnds == null) {
      return period;
    }
    java.time.Duration untilGraceEnds =
        java.time.Duration.between(Instant.now(), graceEnds).plusSeconds(1);
    if (untilGraceEnds.isNegative()) {
      return java.time.Duration.ofSeconds(1);
    }
    return untilGraceEnds.compareTo(period) < 0 ? untilGraceEnds : period;
  }

  /**
   * A repository being deleted takes its environments with it, and stays (its finalizer) until they
   * are gone: each environment's own finalizer tears its namespace down and marks its GitHub
   * deployment inactive, which needs the repository (its name, its githubTokenRef). With owner
   * references instead, the garbage collector would delete the repository first and the
   * environments would find nothing to report with.
   */
  @Override
  public DeleteControl cleanup(WorkflowRepository repository, Context<WorkflowRepository> context) {
    List<WorkflowEnvironment> environments = environmentsOf(repository);
    if (environments.isEmpty()) {
      LOG.infof(
          "repository %s removed with all its environments", repository.getMetadata().getName());
      return DeleteControl.defaultDelete();
    }
    for (WorkflowEnvironment env : environments) {
      if (env.getMetadata().getDeletionTimestamp() == null) {
        client.resource(env).delete();
        events.normal(
            repository,
            "EnvironmentDeleted",
            "repository deleted: deleting environment " + env.getMetadata().getName());
      }
    }
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(TEARDOWN_CHECK);
  }

  @Override
  public ErrorStatusUpdateControl<WorkflowRepository> updateErrorStatus(
      WorkflowRepository repository, Context<WorkflowRepository> context, Exception e) {
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    WorkflowRepositoryStatus previous = repository.getStatus();
    WorkflowRepositoryStatus status = new WorkflowRepositoryStatus();
    status.setObservedGeneration(repository.getMetadata().getGeneration());
    status.setLastResyncTime(previous == null ? null : previous.getLastResyncTime());
    status.setEnvironments(previous == null ? null : previous.getEnvironments());
    Conditions conditions =
        new Conditions(
            previous == null ? null : previous.getConditions(),
            repository.getMetadata().getGeneration(),
            now);
    conditions.set(
        RESYNC_SUCCEEDED,
        false,
        "ReconcileError",
        "resync failed, retrying with back-off: "
            + shorten(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    conditions.keep(BRANCHES_LISTED);
    status.setConditions(conditions.buildKeepingOthers(OWN_CONDITIONS));
    return ErrorStatusUpdateControl.patchStatus(statusOnly(repository, status));
  }

  private Listing list(WorkflowRepository repository) {
    SecretKeyRef ref = repository.getSpec().getCloneCredentialRef();
    Optional<String> token = Optional.empty();
    if (ref != null) {
      token = secretValue(repository.getMetadata().getNamespace(), ref);
      if (token.isEmpty()) {
        return new Failed(
            SecretReader.describe(
                    repository.getMetadata().getNamespace(), ref, "spec.cloneCredentialRef")
                + " not found");
      }
    }
    long start = System.nanoTime();
    Listing listing =
        lister.list(repository.getSpec().getCloneUrl(), token, settings.listTimeout());
    LOG.debugf(
        "repository %s: ls-remote took %d ms: %s",
        repository.getMetadata().getName(),
        (System.nanoTime() - start) / 1_000_000,
        listing instanceof Listed l ? l.branches().size() + " branches" : listing);
    return listing;
  }

  /** Returns when an environment kept only by the grace period may be deleted, or null. */
  private Instant resync(
      WorkflowRepository repository,
      Listed listed,
      List<WorkflowEnvironment> environments,
      Instant started,
      ResyncPolicies policy,
      WorkflowRepositoryStatus previous,
      Conditions conditions,
      WorkflowRepositoryStatus status) {
    BranchPattern pattern = BranchPattern.of(repository.getSpec().getBranchPattern());
    ResyncPlan plan =
        ResyncPlan.of(
            repository.getSpec().getRepository(),
            listed.branches(),
            environments.stream().map(WorkflowRepositoryReconciler::view).toList(),
            branches.deletedBranches(repository),
            started,
            new ResyncPlan.Policy(pattern, settings.gracePeriod(), policy.maxDeletionPercent()));
    // Creations take the listing's start as their push time: a real push after it moves the
    // environment; a deletion recorded at or after it keeps the branch deleted.
    Instant listedAt = started.truncatedTo(ChronoUnit.SECONDS);
    int created = 0;
    int queued = 0;
    // The environments as listed, plus those this pass creates (after them in the queue).
    List<WorkflowEnvironment> known = new java.util.ArrayList<>(environments);
    for (ResyncPlan.Create create : plan.creates()) {
      Outcome outcome = branches.upsert(repository, create.branch(), create.sha(), null, listedAt);
      if (outcome == Outcome.CREATED) {
        created++;
        String name = BranchEnvironments.nameOf(repository, create.branch());
        // The operator provisions it or keeps it Queued under limits.maxEnvironments; the resync
        // creates it either way (it is how the branch takes its place in the queue) and says so.
        String waits =
            EnvironmentQueue.fromStatus(repository, name, known)
                    instanceof EnvironmentQueue.Queued q
                ? "; " + q.describe(repository.getSpec().getRepository())
                : "";
        known.add(justCreated(repository, name));
        if (!waits.isEmpty()) {
          queued++;
        }
        events.normal(
            repository,
            "EnvironmentCreated",
            "resync: branch "
                + create.branch()
                + " exists at "
                + create.sha().substring(0, 7)
                + " and had no environment; created "
                + name
                + waits);
      }
    }
    int deleted = 0;
    if (plan.blocked() != null) {
      String message = plan.blocked() + "; delete them by hand or raise the limit if intended";
      if (!sameCondition(previous, RESYNC_SUCCEEDED, MASS_DELETION_GUARD, message)) {
        events.warning(repository, MASS_DELETION_GUARD, message);
      }
    } else {
      // A deletion is dated just before the listing began: anything pushed from that second on
      // is newer and survives it (BranchEnvironments compares whole seconds).
      Instant deletedAt = listedAt.minusSeconds(1);
      for (ResyncPlan.Delete delete : plan.deletes()) {
        Outcome outcome = branches.delete(repository, delete.branch(), deletedAt);
        if (outcome == Outcome.DELETED) {
          deleted++;
          events.normal(
              repository,
              "EnvironmentDeleted",
              "resync: branch "
                  + delete.branch()
                  + " no longer exists; deleted environment "
                  + delete.name());
        }
      }
    }
    long matching = listed.branches().keySet().stream().filter(pattern::matches).count();
    conditions.set(
        BRANCHES_LISTED,
        true,
        "Listed",
        "listed "
            + listed.branches().size()
            + " branches at "
            + listedAt
            + ", "
            + matching
            + " matching "
            + pattern);
    String summary =
        "created "
            + created
            + (queued == 0
                ? ""
                : " ("
                    + queued
                    + " queued under limits.maxEnvironments "
                    + EnvironmentQueue.maxOf(repository)
                    + ")")
            + ", deleted "
            + deleted
            + (plan.deferred().isEmpty() ? "" : "; kept for now: " + describe(plan.deferred()))
            + (plan.skipped().isEmpty() ? "" : "; not created: " + describe(plan.skipped()));
    if (plan.blocked() != null) {
      conditions.set(
          RESYNC_SUCCEEDED,
          false,
          MASS_DELETION_GUARD,
          plan.blocked() + "; delete them by hand or raise the limit if intended");
    } else {
      conditions.set(RESYNC_SUCCEEDED, true, "Converged", shorten(summary));
    }
    status.setEnvironments(plan.environmentsBefore() + created - deleted);
    return plan.graceEnds();
  }

  /** An environment this pass created, as far as the queue is concerned: newest, no status. */
  private static WorkflowEnvironment justCreated(WorkflowRepository repository, String name) {
    WorkflowEnvironment env = new WorkflowEnvironment();
    env.getMetadata().setName(name);
    env.setSpec(new io.branchflow.api.v1alpha1.WorkflowEnvironmentSpec());
    env.getSpec().setRepositoryRef(repository.getMetadata().getName());
    return env;
  }

  private static ResyncPlan.Environment view(WorkflowEnvironment env) {
    Map<String, String> annotations = env.getMetadata().getAnnotations();
    Instant pushedAt = null;
    if (annotations != null && annotations.get(BranchEnvironments.PUSHED_AT) != null) {
      try {
        pushedAt =
            Instant.ofEpochSecond(Long.parseLong(annotations.get(BranchEnvironments.PUSHED_AT)));
      } catch (NumberFormatException e) {
        pushedAt = null;
      }
    }
    String created = env.getMetadata().getCreationTimestamp();
    return new ResyncPlan.Environment(
        env.getMetadata().getName(),
        env.getSpec().getBranch(),
        created == null ? null : Instant.parse(created),
        pushedAt,
        env.getMetadata().getDeletionTimestamp() != null);
  }

  private List<WorkflowEnvironment> environmentsOf(WorkflowRepository repository) {
    String name = repository.getMetadata().getName();
    return client
        .resources(WorkflowEnvironment.class)
        .inNamespace(repository.getMetadata().getNamespace())
        .list()
        .getItems()
        .stream()
        .filter(e -> e.getSpec() != null && name.equals(e.getSpec().getRepositoryRef()))
        .toList();
  }

  private Optional<String> secretValue(String ns, SecretKeyRef ref) {
    return SecretReader.trimmed(new SecretReader(client).value(ns, ref));
  }

  private static String describe(List<ResyncPlan.Kept> kept) {
    List<String> parts = new ArrayList<>();
    for (ResyncPlan.Kept k : kept) {
      parts.add(k.name() + " (" + k.reason() + ")");
    }
    return String.join(", ", parts);
  }

  private static boolean wasFalse(WorkflowRepositoryStatus previous, String type) {
    return condition(previous, type).map(c -> c.getStatus() == ConditionStatus.False).orElse(false);
  }

  private static boolean sameCondition(
      WorkflowRepositoryStatus previous, String type, String reason, String message) {
    return condition(previous, type)
        .map(
            c ->
                c.getStatus() == ConditionStatus.False
                    && reason.equals(c.getReason())
                    && message.equals(c.getMessage()))
        .orElse(false);
  }

  private static Optional<Condition> condition(WorkflowRepositoryStatus previous, String type) {
    return Conditions.find(previous == null ? null : previous.getConditions(), type);
  }

  private static String shorten(String message) {
    if (message == null) {
      return "";
    }
    return message.length() > 600 ? message.substring(0, 600) + "..." : message;
  }

  /** A fresh object carrying only identity and status, so a status patch touches nothing else. */
  private static WorkflowRepository statusOnly(
      WorkflowRepository repository, WorkflowRepositoryStatus status) {
    WorkflowRepository fresh = new WorkflowRepository();
    fresh.setMetadata(
        new ObjectMetaBuilder()
            .withName(repository.getMetadata().getName())
            .withNamespace(repository.getMetadata().getNamespace())
            .build());
    fresh.setStatus(status);
    return fresh;
  }
}
