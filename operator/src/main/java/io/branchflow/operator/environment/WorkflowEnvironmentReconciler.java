package io.branchflow.operator.environment;

import io.branchflow.api.branches.BranchEnvironments;
import io.branchflow.api.branches.EnvironmentQueue.Admission;
import io.branchflow.api.branches.EnvironmentQueue.Admitted;
import io.branchflow.api.branches.EnvironmentQueue.Queued;
import io.branchflow.api.naming.EnvironmentNames;
import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentStatus;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.operator.announce.Announcement;
import io.branchflow.operator.announce.Announcer;
import io.branchflow.operator.config.CloneUrlPolicy;
import io.branchflow.operator.config.OperatorSettings;
import io.branchflow.operator.desired.EnvironmentInputs;
import io.branchflow.operator.desired.ResolvedTemplate;
import io.branchflow.operator.inspect.AirflowObservation;
import io.branchflow.operator.inspect.AirflowObservations;
import io.branchflow.operator.inspect.AirflowRestClient;
import io.branchflow.operator.status.StatusPatch;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * Keeps one WorkflowEnvironment's namespace equal to its desired state and its status honest;
 * removes the namespace (and with it everything) before the environment may go.
 */
@ControllerConfiguration(
    name = WorkflowEnvironmentReconciler.NAME,
    fieldManager = OperatorSettings.FIELD_MANAGER,
    // Not generation-aware: the receiver's pull request note is an annotation, which leaves the
    // generation alone. EnvironmentTriggers keeps status writes from starting another pass.
    generationAwareEventProcessing = false,
    informer = @Informer(onUpdateFilter = EnvironmentTriggers.class),
    maxReconciliationInterval =
        @MaxReconciliationInterval(
            interval = WorkflowEnvironmentReconciler.MAX_INTERVAL_MINUTES,
            timeUnit = TimeUnit.MINUTES))
public class WorkflowEnvironmentReconciler
    implements Reconciler<WorkflowEnvironment>, Cleaner<WorkflowEnvironment> {

  public static final String NAME = "workflowenvironment";

  /** Every environment is reconciled at least this often, whatever else wakes it. */
  static final long MAX_INTERVAL_MINUTES = 5;

  private static final Logger LOG = Logger.getLogger(WorkflowEnvironmentReconciler.class);
  private static final Duration WAIT_FOR_REFERENCES = Duration.ofSeconds(30);
  private static final Duration WAIT_FOR_NAMESPACE_DELETION = Duration.ofSeconds(2);
  private static final Duration WAIT_AFTER_CONFLICT = Duration.ofSeconds(5);
  private static final int MAX_NAME_LENGTH =
      EnvironmentNames.MAX_LENGTH - EnvironmentNames.NAMESPACE_PREFIX.length();

  private final KubernetesClient client;
  private final OperatorSettings settings;
  private final ReferenceResolver references;
  private final NamespaceClaim namespaces;
  private final AdmissionGate admissions;
  private final EnvironmentProvisioner provisioner;
  private final EnvironmentEvents events;
  private final Announcer announcer;
  private final BranchEnvironments branches;
  private final SuspendSwitch suspendSwitch;

  /** The time limits.ttl and limits.idleAfter count in; a test's clock moves it without waiting. */
  private final Clock clock;

  /** How the poller reaches Airflow; null: the API server's service proxy (a test's stand-in). */
  private final AirflowRestClient airflow;

  @Inject
  public WorkflowEnvironmentReconciler(
      KubernetesClient client, OperatorSettings settings, Announcer announcer) {
    this(client, settings, announcer, Clock.systemUTC());
  }

  public WorkflowEnvironmentReconciler(
      KubernetesClient client, OperatorSettings settings, Announcer announcer, Clock clock) {
    this(client, settings, announcer, clock, null);
  }

  /** For tests on kwok, where no Airflow runs: {@code airflow} answers for every environment. */
  public WorkflowEnvironmentReconciler(
      KubernetesClient client,
      OperatorSettings settings,
      Announcer announcer,
      Clock clock,
      AirflowRestClient airflow) {
    this.client = client;
    this.clock = clock;
    this.airflow = airflow;
    this.branches = new BranchEnvironments(client);
    this.announcer = announcer;
    this.settings = settings;
    this.references = new ReferenceResolver(client);
    ServerSideApplier applier = new ServerSideApplier(client, settings.fieldManager());
    this.namespaces = new NamespaceClaim(client, applier);
    this.admissions = new AdmissionGate();
    this.provisioner = new EnvironmentProvisioner(client, applier, settings.migrationRetryDelay());
    this.events = new EnvironmentEvents(client);
    this.suspendSwitch = new SuspendSwitch(client, settings.fieldManager());
  }

  @Override
  public List<EventSource<?, WorkflowEnvironment>> prepareEventSources(
      EventSourceContext<WorkflowEnvironment> context) {
    return EnvironmentEventSources.create(context, airflow);
  }

  @Override
  public UpdateControl<WorkflowEnvironment> reconcile(
      WorkflowEnvironment env, Context<WorkflowEnvironment> context) {
    String namespace = EnvironmentInputs.namespaceOf(env);
    String now = now().toString();
    if (env.getMetadata().getName().length() > MAX_NAME_LENGTH) {
      return fail(
          env,
          null,
          namespace,
          "NameTooLong",
          "the name must be at most " + MAX_NAME_LENGTH + " characters so its namespace fits 63",
          now);
    }
    InformerCaches caches = new InformerCaches(context);
    WorkflowRepository repository =
        caches
            .get(
                WorkflowRepository.class,
                env.getMetadata().getNamespace(),
                env.getSpec().getRepositoryRef())
            // Not cached (created a moment ago, or really absent): ask.
            .orElseGet(
                () ->
                    client
                        .resources(WorkflowRepository.class)
                        .inNamespace(env.getMetadata().getNamespace())
                        .withName(env.getSpec().getRepositoryRef())
                        .get());
    if (repository == null) {
      return fail(
          env,
          null,
          namespace,
          "RepositoryNotFound",
          "WorkflowRepository "
              + env.getSpec().getRepositoryRef()
              + " not found in namespace "
              + env.getMetadata().getNamespace()
              + "; create it or fix spec.repositoryRef",
          now);
    }
    Optional<String> insecure =
        CloneUrlPolicy.problem(repository.getSpec().getCloneUrl(), settings.plainHttpGitHosts());
    if (insecure.isPresent()) {
      return fail(env, repository, namespace, "InsecureCloneUrl", insecure.get(), now);
    }
    // The informer holds our namespaces (by label); one without our labels is asked for.
    Namespace observed =
        caches
            .get(Namespace.class, null, namespace)
            .orElseGet(() -> client.namespaces().withName(namespace).get());
    Optional<String> notOurs = NamespaceClaim.conflict(env, observed);
    if (notOurs.isPresent()) {
      return fail(env, repository, namespace, "NamespaceConflict", notOurs.get(), now);
    }
    References refs = references.resolve(repository);
    if (!refs.complete()) {
      return fail(
          env,
          repository,
          namespace,
          "ReferenceNotFound",
          "missing "
              + String.join(", ", refs.missing())
              + "; create it and the environment continues",
          now);
    }
    EnvironmentInputs in = EnvironmentInputs.of(env, repository, settings);
    // The namespace is created under the admission decision's lock; on later passes it (and the
    // operator's access to it) is applied again: level-triggered, drift repaired.
    Namespace[] claimed = {null};
    Admission admission =
        admissions.admit(
            env,
            repository,
            context.getPrimaryCache().list(env.getMetadata().getNamespace()),
            caches,
            () -> claimed[0] = namespaces.claim(in, observed));
    if (admission instanceof Queued queued) {
      // Nothing is created; a sibling's removal or a repository change wakes this one again.
      WorkflowEnvironmentStatus status =
          EnvironmentStatusCalculator.queued(
              env, queued.describe(repository.getSpec().getRepository()), now);
      return finish(env, repository, status, null, c -> c);
    }
    if (claimed[0] == null) {
      claimed[0] = namespaces.claim(in, observed);
    }
    ProvisioningState state = provisioner.provision(in, refs, caches);
    DagsReport dags = dagsReport(in, state, context);
    WorkflowEnvironmentStatus status =
        EnvironmentStatusCalculator.admitted(
            EnvironmentStatusCalculator.provisioned(env, namespace, state, dags, now),
            env,
            (Admitted) admission,
            repository.getSpec().getRepository(),
            now);
    status.setNamespaceUid(claimed[0].getMetadata().getUid());
    ProductionDataCondition.add(env, refs, status, now);
    return finish(
        env,
        repository,
        status,
        dags,
        control -> {
          if (status.getPhase() != Phase.Ready) {
            // Informers wake us on every change we wait for; this only bounds a missed event.
            return control.rescheduleAfter(Duration.ofSeconds(30));
          }
          // What Airflow loads changes nothing in Kubernetes: the poller's observations wake us.
          return control;
        });
  }

  /**
   * The end of every pass that knows its repository: limits.ttl over the status it computed (the
   * warning, or the removal when due), limits.idleAfter (suspend, wake), then the announcement and
   * the status write, and a wake-up no later than the next expiry or idle step (JOSDK's timer: no
   * polling loop of our own). {@code dags} is what Airflow said; null when the pass did not get
   * that far.
   */
  private UpdateControl<WorkflowEnvironment> finish(
      WorkflowEnvironment env,
      WorkflowRepository repository,
      WorkflowEnvironmentStatus status,
      DagsReport dags,
      UnaryOperator<UpdateControl<WorkflowEnvironment>> schedule) {
    EnvironmentExpiry.Decision expiry = EnvironmentExpiry.apply(env, repository, status, now());
    if (expiry.remove()) {
      return expire(env, repository, status);
    }
    if (expiry.warning() != null) {
      // Once per push: the warning time is in the status this pass writes.
      events.expiryWarning(env, expiry.warning());
    }
    IdleSuspension.Decision idle = IdleSuspension.apply(env, repository, status, dags, now());
    Optional<String> notWritten = suspendSwitch.carryOut(env, idle.action());
    if (notWritten.isPresent()) {
      LOG.infof(
          "%s/%s: limits.idleAfter: %s %s",
          env.getMetadata().getNamespace(),
          env.getMetadata().getName(),
          idle.action(),
          notWritten.get());
      IdleSuspension.notCarriedOut(env, status, notWritten.get(), now());
    }
    announcer.announce(Announcement.of(env, repository, status));
    UpdateControl<WorkflowEnvironment> control =
        idle.bound(expiry.bound(schedule.apply(patchIfChanged(env, status))));
    // A spec write wakes the next pass when it succeeds; when it did not, come back soon.
    return notWritten.isPresent() ? NextPass.noLaterThan(control, WAIT_AFTER_CONFLICT) : control;
  }

  /**
   * Removes an environment whose branch saw no push for limits.ttl, as a branch deletion would: the
   * WorkflowEnvironment is deleted (the Cleaner tears it down and announces why), and a tombstone
   * keeps the resync from bringing it back until the branch moves.
   */
  private UpdateControl<WorkflowEnvironment> expire(
      WorkflowEnvironment env, WorkflowRepository repository, WorkflowEnvironmentStatus status) {
    String reason = EnvironmentExpiry.expiredReason(EnvironmentExpiry.ttlOf(repository));
    BranchEnvironments.Outcome outcome =
        branches.expire(
            repository, env.getMetadata().getName(), env.getSpec().getCommitSha(), now());
    if (outcome == BranchEnvironments.Outcome.STALE) {
      // A push moved it while we decided: the next pass starts its new clock.
      return patchIfChanged(env, status).rescheduleAfter(Duration.ofSeconds(1));
    }
    events.expired(
        env,
        reason
            + " (last push seen at "
            + status.getExpiry().getPushedAt()
            + "); deleting the environment");
    return UpdateControl.noUpdate();
  }

  /** Now, in the whole seconds the status records. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }

  /**
   * What Airflow said about the branch's DAGs: read from the poller's last observation of a ready
   * Airflow 3 ({@link AirflowObservations}), never asked here.
   */
  private static DagsReport dagsReport(
      EnvironmentInputs in, ProvisioningState state, Context<WorkflowEnvironment> context) {
    ResolvedTemplate t = in.template();
    if (!t.airflow3()) {
      return DagsReport.pushedOnly();
    }
    if (!state.componentsReady() || state.suspended()) {
      return DagsReport.notAsked(t.gitSyncPeriodSeconds());
    }
    return context
        .getSecondaryResource(AirflowObservation.class)
        .map(o -> DagsReport.observed(o, t.gitSyncPeriodSeconds()))
        .orElseGet(() -> DagsReport.notAsked(t.gitSyncPeriodSeconds()));
  }

  @Override
  public DeleteControl cleanup(WorkflowEnvironment env, Context<WorkflowEnvironment> context) {
    String namespace = EnvironmentInputs.namespaceOf(env);
    WorkflowRepository repository = repositoryOf(env);
    String expired = EnvironmentExpiry.removalReason(env, repository, now());
    // Best effort and never waited for: the reporters deactivate on their own threads.
    announcer.announce(Announcement.removed(env, repository, expired));
    provisioner.forgetNamespace(namespace);
    Namespace existing = client.namespaces().withName(namespace).get();
    if (existing == null || NamespaceClaim.conflict(env, existing).isPresent()) {
      LOG.infof(
          "environment %s/%s removed",
          env.getMetadata().getNamespace(), env.getMetadata().getName());
      return DeleteControl.defaultDelete();
    }
    if (env.getStatus() == null || env.getStatus().getPhase() != Phase.Terminating) {
      markTerminating(env, namespace, expired);
    }
    if (existing.getMetadata().getDeletionTimestamp() == null) {
      namespaces.delete(namespace, existing.getMetadata().getUid());
    }
    // The namespace informer wakes us when it is gone; the delay only bounds a missed event.
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(WAIT_FOR_NAMESPACE_DELETION);
  }

  @Override
  public ErrorStatusUpdateControl<WorkflowEnvironment> updateErrorStatus(
      WorkflowEnvironment env, Context<WorkflowEnvironment> context, Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    // API errors can be long; keep the status readable. Messages never carry Secret data:
    // Secrets are written with server-side apply whose errors name fields, not values.
    message = message.length() > 300 ? message.substring(0, 300) + "..." : message;
    String now = now().toString();
    WorkflowEnvironmentStatus status =
        EnvironmentStatusCalculator.failed(
            env,
            EnvironmentInputs.namespaceOf(env),
            "ReconcileError",
            "reconcile failed, retrying with back-off: " + message,
            now);
    // The TTL and idle clocks survive a failing pass: this write replaces the whole status.
    status.setExpiry(env.getStatus() == null ? null : env.getStatus().getExpiry());
    status.setIdle(env.getStatus() == null ? null : env.getStatus().getIdle());
    status.setPhase(
        env.getStatus() != null && env.getStatus().getPhase() != null
            ? env.getStatus().getPhase()
            : Phase.Pending);
    return ErrorStatusUpdateControl.patchStatus(statusOnly(env, status));
  }

  private UpdateControl<WorkflowEnvironment> fail(
      WorkflowEnvironment env,
      WorkflowRepository repository,
      String namespace,
      String reason,
      String message,
      String now) {
    WorkflowEnvironmentStatus status =
        EnvironmentStatusCalculator.failed(env, namespace, reason, message, now);
    if (repository == null) {
      // No limits to apply; the clocks are kept for when the repository is back.
      status.setExpiry(env.getStatus() == null ? null : env.getStatus().getExpiry());
      status.setIdle(env.getStatus() == null ? null : env.getStatus().getIdle());
      announcer.announce(Announcement.of(env, null, status));
      return patchIfChanged(env, status).rescheduleAfter(WAIT_FOR_REFERENCES);
    }
    return finish(env, repository, status, null, c -> c.rescheduleAfter(WAIT_FOR_REFERENCES));
  }

  private UpdateControl<WorkflowEnvironment> patchIfChanged(
      WorkflowEnvironment env, WorkflowEnvironmentStatus status) {
    WorkflowEnvironmentStatus previous = env.getStatus();
    Phase before = previous == null ? null : previous.getPhase();
    if (before != status.getPhase()) {
      events.phaseChanged(env, before, status.getPhase(), status.getMessage());
    }
    if (Objects.equals(serialize(withoutReports(previous)), serialize(status))) {
      return UpdateControl.noUpdate();
    }
    return UpdateControl.patchStatus(statusOnly(env, status));
  }

  private void markTerminating(WorkflowEnvironment env, String namespace, String expired) {
    WorkflowEnvironmentStatus status =
        env.getStatus() == null ? new WorkflowEnvironmentStatus() : withoutReports(env.getStatus());
    Phase before = status.getPhase();
    status.setPhase(Phase.Terminating);
    status.setMessage(
        (expired == null ? "" : expired + ": ")
            + "deleting namespace "
            + namespace
            + " and everything in it");
    try {
      client.resource(statusOnly(env, status)).patchStatus();
      events.phaseChanged(env, before, Phase.Terminating, status.getMessage());
    } catch (RuntimeException e) {
      LOG.debugf("could not mark %s terminating: %s", env.getMetadata().getName(), e.getMessage());
    }
  }

  private static WorkflowEnvironment statusOnly(
      WorkflowEnvironment env, WorkflowEnvironmentStatus status) {
    return StatusPatch.of(env, status, WorkflowEnvironment::new);
  }

  private WorkflowRepository repositoryOf(WorkflowEnvironment env) {
    try {
      return client
          .resources(WorkflowRepository.class)
          .inNamespace(env.getMetadata().getNamespace())
          .withName(env.getSpec().getRepositoryRef())
          .get();
    } catch (RuntimeException e) {
      return null; // no announcement then; teardown goes on
    }
  }

  /** The status without the reporters' fields, which the reconciler neither writes nor compares. */
  private static WorkflowEnvironmentStatus withoutReports(WorkflowEnvironmentStatus status) {
    if (status == null) {
      return null;
    }
    WorkflowEnvironmentStatus copy = io.fabric8.kubernetes.client.utils.Serialization.clone(status);
    copy.setGithub(null);
    copy.setSlack(null);
    return copy;
  }

  private static String serialize(WorkflowEnvironmentStatus status) {
    return status == null ? null : io.fabric8.kubernetes.client.utils.Serialization.asJson(status);
  }
}
