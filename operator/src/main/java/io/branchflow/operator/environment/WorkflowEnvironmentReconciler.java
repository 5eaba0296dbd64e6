package io.branchflow.operator.environment;

import io.branchflow.api.branches.BranchEnvironments;
import io.branchflow.api.branches.EnvironmentQueue.Admission;
import io.branchflow.api.branches.EnvironmentQueue.Admitted;
import io.branchflow.api.branches.EnvironmentQueue.Queued;
import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentStatus;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.operator.announce.Announcement;
import io.branchflow.operator.announce.Announcer;
import io.branchflow.operator.config.OperatorSettings;
import io.branchflow.operator.desired.EnvironmentInputs;
import io.branchflow.operator.environment.EnvironmentPrerequisites.Met;
import io.branchflow.operator.environment.EnvironmentPrerequisites.Unmet;
import io.branchflow.operator.inspect.AirflowObservation;
import io.branchflow.operator.inspect.AirflowRestClient;
import io.branchflow.operator.status.PassFailure;
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

  private final KubernetesClient client;
  private final EnvironmentPrerequisites prerequisites;
  private final NamespaceClaim namespaces;
  private final AdmissionGate admissions;
  private final EnvironmentProvisioner provisioner;
  private final EnvironmentLimitsEnforcer limits;
  private final Announcer announcer;
  private final EnvironmentStatusWriter statusWriter;

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
    this.announcer = announcer;
    this.prerequisites = new EnvironmentPrerequisites(client, settings);
    ServerSideApplier applier = new ServerSideApplier(client, settings.fieldManager());
    this.namespaces = new NamespaceClaim(client, applier);
    this.admissions = new AdmissionGate();
    this.provisioner = new EnvironmentProvisioner(client, applier, settings.migrationRetryDelay());
    EnvironmentEvents events = new EnvironmentEvents(client);
    this.limits =
        new EnvironmentLimitsEnforcer(
            new BranchEnvironments(client),
            events,
            new SuspendSwitch(client, settings.fieldManager()));
    this.statusWriter = new EnvironmentStatusWriter(client, events);
  }

  @Override
  public List<EventSource<?, WorkflowEnvironment>> prepareEventSources(
      EventSourceContext<WorkflowEnvironment> context) {
    return EnvironmentEventSources.create(context, airflow);
  }

  /**
   * One pass: the inputs, admission, provisioning, the status it computes, the limits over it, then
   * the announcement and the status write.
   */
  @Override
  public UpdateControl<WorkflowEnvironment> reconcile(
      WorkflowEnvironment env, Context<WorkflowEnvironment> context) {
    String namespace = EnvironmentInputs.namespaceOf(env);
    String now = now().toString();
    InformerCaches caches = new InformerCaches(context);
    EnvironmentPrerequisites.Result checked = prerequisites.check(env, caches);
    if (checked instanceof Unmet unmet) {
      return fail(env, unmet.repository(), namespace, unmet.reason(), unmet.message(), now);
    }
    Met met = (Met) checked;
    WorkflowRepository repository = met.repository();
    // The namespace is created under the admission decision's lock; on later passes it (and the
    // operator's access to it) is applied again: level-triggered, drift repaired.
    Namespace[] claimed = {null};
    Admission admission =
        admissions.admit(
            env,
            repository,
            context.getPrimaryCache().list(env.getMetadata().getNamespace()),
            caches,
            () -> claimed[0] = namespaces.claim(met.in(), met.observed()));
    if (admission instanceof Queued queued) {
      // Nothing is created; a sibling's removal or a repository change wakes this one again.
      WorkflowEnvironmentStatus status =
          EnvironmentStatusCalculator.queued(
              env, queued.describe(repository.getSpec().getRepository()), now);
      return finish(env, repository, status, null, c -> c);
    }
    if (claimed[0] == null) {
      claimed[0] = namespaces.claim(met.in(), met.observed());
    }
    ProvisioningState state = provisioner.provision(met.in(), met.refs(), caches);
    DagsReport dags =
        DagsReport.of(
            met.in().template(), state, context.getSecondaryResource(AirflowObservation.class));
    WorkflowEnvironmentStatus status =
        EnvironmentStatusCalculator.admitted(
            EnvironmentStatusCalculator.provisioned(env, namespace, state, dags, now),
            env,
            (Admitted) admission,
            repository.getSpec().getRepository(),
            now);
    status.setNamespaceUid(claimed[0].getMetadata().getUid());
    ProductionDataCondition.add(env, met.refs(), status, now);
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
   * The end of every pass that knows its repository: the limits over the status it computed, then
   * the announcement and the status write, and a wake-up no later than the limits' next step.
   * {@code dags} is what Airflow said; null when the pass did not get that far.
   */
  private UpdateControl<WorkflowEnvironment> finish(
      WorkflowEnvironment env,
      WorkflowRepository repository,
      WorkflowEnvironmentStatus status,
      DagsReport dags,
      UnaryOperator<UpdateControl<WorkflowEnvironment>> schedule) {
    EnvironmentLimitsEnforcer.Outcome limited =
        limits.enforce(env, repository, status, dags, now());
    if (limited instanceof EnvironmentLimitsEnforcer.Removed) {
      return UpdateControl.noUpdate();
    }
    if (limited instanceof EnvironmentLimitsEnforcer.Stale) {
      // A push moved it while we decided: the next pass starts its new clock.
      return statusWriter.patchIfChanged(env, status).rescheduleAfter(Duration.ofSeconds(1));
    }
    announcer.announce(Announcement.of(env, repository, status));
    return ((EnvironmentLimitsEnforcer.CarryOn) limited)
        .bound(schedule.apply(statusWriter.patchIfChanged(env, status)));
  }

  /** Now, in the whole seconds the status records. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
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
      statusWriter.markTerminating(env, namespace, expired);
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
    if (!PassFailure.worthShowing(context.getRetryInfo(), e)) {
      return ErrorStatusUpdateControl.noStatusUpdate(); // JOSDK retries in seconds
    }
    return ErrorStatusUpdateControl.patchStatus(
        EnvironmentStatusWriter.reconcileError(env, e, now().toString()));
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
      EnvironmentStatusWriter.keepClocks(env, status);
      announcer.announce(Announcement.of(env, null, status));
      return statusWriter.patchIfChanged(env, status).rescheduleAfter(WAIT_FOR_REFERENCES);
    }
    return finish(env, repository, status, null, c -> c.rescheduleAfter(WAIT_FOR_REFERENCES));
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
}
