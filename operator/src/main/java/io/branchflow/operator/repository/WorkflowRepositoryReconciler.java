package io.branchflow.operator.repository;

import io.branchflow.api.branches.BranchEnvironments;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.operator.config.OperatorSettings;
import io.branchflow.operator.config.ResyncSettings;
import io.branchflow.operator.repository.BranchLister.Failed;
import io.branchflow.operator.repository.BranchLister.Listed;
import io.branchflow.operator.repository.BranchLister.Listing;
import io.branchflow.operator.repository.ResyncApplier.Applied;
import io.branchflow.operator.secrets.SecretReader;
import io.branchflow.operator.status.PassFailure;
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
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
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

  private static final Logger LOG = Logger.getLogger(WorkflowRepositoryReconciler.class);

  /** How often a deleted repository checks whether its environments are gone yet. */
  private static final Duration TEARDOWN_CHECK = Duration.ofSeconds(2);

  private final KubernetesClient client;
  private final RepositoryLister lister;
  private final ResyncApplier applier;
  private final RepositoryEvents events;
  private final Clock clock = Clock.systemUTC();

  // @Inject: without it ArC makes no bean of this class and the operator would run without the
  // resync, silently (the package is what `make bench` found it missing from).
  @Inject
  public WorkflowRepositoryReconciler(KubernetesClient client, ResyncSettings settings) {
    this.client = client;
    this.events = new RepositoryEvents(client);
    this.lister =
        new RepositoryLister(new SecretReader(client), new BranchLister(), settings.listTimeout());
    this.applier =
        new ResyncApplier(new BranchEnvironments(client), events, settings.gracePeriod());
  }

  @Override
  public UpdateControl<WorkflowRepository> reconcile(
      WorkflowRepository repository, Context<WorkflowRepository> context) {
    ResyncPolicies policy = ResyncPolicies.of(repository.getSpec().getResync());
    Instant started = clock.instant();
    String startedText = started.truncatedTo(ChronoUnit.SECONDS).toString();
    ResyncStatus status = new ResyncStatus(repository, startedText);
    Instant graceEnds = null;

    try {
      Listing listing = lister.list(repository);
      List<WorkflowEnvironment> environments = environmentsOf(repository);
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
        if (!status.listingFailedBefore()) {
          events.warning(repository, ResyncStatus.LISTING_FAILED, message);
        } else {
          LOG.debugf("repository %s: %s", repository.getMetadata().getName(), message);
        }
        int live =
            (int)
                environments.stream()
                    .filter(e -> e.getMetadata().getDeletionTimestamp() == null)
                    .count();
        status.listingFailed(message, failed.message(), live);
      } else {
        Listed listed = (Listed) listing;
        status.listed();
        Applied applied = applier.apply(repository, listed, environments, started, policy);
        if (applied.plan().blocked() != null) {
          String message = ResyncStatus.guardMessage(applied.plan());
          if (!status.blockedBefore(message)) {
            events.warning(repository, ResyncStatus.MASS_DELETION_GUARD, message);
          }
        }
        status.resynced(applied, listed.branches().size());
        graceEnds = applied.plan().graceEnds();
      }
    } catch (KubernetesClientException e) {
      String message =
          "the Kubernetes API refused a resync step, retrying in "
              + BranchLister.human(policy.period())
              + ": "
              + ResyncStatus.shorten(e.getMessage());
      LOG.warnf("repository %s: %s", repository.getMetadata().getName(), message);
      status.failed("KubernetesApiError", message);
    }

    return UpdateControl.patchStatus(status.patch())
        .rescheduleAfter(nextResync(policy.period(), graceEnds));
  }

  /**
   * The period, or sooner when a gone branch's environment was kept only because it is younger than
   * the grace period: it goes when the grace ends, not a whole period later.
   */
  static Duration nextResync(Duration period, Instant graceEnds) {
    if (graceEnds == null) {
      return period;
    }
    Duration untilGraceEnds = Duration.between(Instant.now(), graceEnds).plusSeconds(1);
    if (untilGraceEnds.isNegative()) {
      return Duration.ofSeconds(1);
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
    if (!PassFailure.worthShowing(context.getRetryInfo(), e)) {
      return ErrorStatusUpdateControl.noStatusUpdate(); // JOSDK retries in seconds
    }
    ResyncStatus status =
        new ResyncStatus(repository, clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
    status.failed(
        "ReconcileError",
        "resync failed, retrying with back-off: "
            + ResyncStatus.shorten(
                e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    return ErrorStatusUpdateControl.patchStatus(status.patch());
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
}
