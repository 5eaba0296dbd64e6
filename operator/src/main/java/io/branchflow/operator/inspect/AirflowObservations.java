package io.branchflow.operator.inspect;

import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingConfigurationBuilder;
import io.javaoperatorsdk.operator.processing.event.source.polling.PerResourcePollingEventSource;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * JOSDK's per-resource poller around {@link AirflowInspector}, registered beside the informers: it
 * polls an environment once its Airflow can be asked, and a changed {@link AirflowObservation}
 * wakes the environment's reconcile, which reads it with {@code
 * context.getSecondaryResource(AirflowObservation.class)}.
 *
 * <p>Two changes to JOSDK's behaviour. Its {@code getSecondaryResources} asks the fetcher itself,
 * inside the reconcile, when no poll has run yet: here a reconcile only ever reads what a poll
 * left, so no reconcile waits on an Airflow. And it registers an environment on the informer's add
 * event, which comes before this source is started (the controller's informer starts first); a poll
 * that fires before the start is dropped and never scheduled again, so environments seen before the
 * start are registered at the start instead (what makes a restarted operator poll the environments
 * that were already running).
 */
public final class AirflowObservations
    extends PerResourcePollingEventSource<AirflowObservation, WorkflowEnvironment> {

  public static final String NAME = "airflow";

  /** Few: a poll mostly waits on the network, and at most {@link AirflowRestClient#TIMEOUT}. */
  static final int THREADS = 2;

  private final AirflowInspector inspector;
  private final IndexerResourceCache<WorkflowEnvironment> environments;

  AirflowObservations(EventSourceContext<WorkflowEnvironment> context, AirflowInspector inspector) {
    super(
        AirflowObservation.class,
        context,
        new PerResourcePollingConfigurationBuilder<AirflowObservation, WorkflowEnvironment>(
                inspector, InspectionSchedule.STEADY)
            .withName(NAME)
            .withRegisterPredicate(inspector::worthPolling)
            .withExecutorService(Executors.newScheduledThreadPool(THREADS, threads()))
            .build());
    this.inspector = inspector;
    this.environments = context.getPrimaryCache();
  }

  public static AirflowObservations create(
      EventSourceContext<WorkflowEnvironment> context, AirflowTargets targets) {
    return create(context, targets, new AirflowRestClient(context.getClient()));
  }

  /** Asking through {@code airflow}: a test's stand-in where no Airflow runs (kwok). */
  public static AirflowObservations create(
      EventSourceContext<WorkflowEnvironment> context,
      AirflowTargets targets,
      AirflowRestClient airflow) {
    return new AirflowObservations(context, new AirflowInspector(airflow, targets));
  }

  /** What the last poll left; never a request (see the class comment). */
  @Override
  public Set<AirflowObservation> getSecondaryResources(WorkflowEnvironment primary) {
    return getSecondaryResources(ResourceID.fromResource(primary));
  }

  // Synchronized: JOSDK's registration is safe only when one thread at a time does it.
  @Override
  public synchronized void start() {
    super.start();
    environments.list().forEach(super::onResourceCreated);
  }

  @Override
  public synchronized void onResourceCreated(WorkflowEnvironment resource) {
    if (isRunning()) {
      super.onResourceCreated(resource);
    }
  }

  @Override
  public synchronized void onResourceUpdated(
      WorkflowEnvironment newResource, WorkflowEnvironment oldResource) {
    if (isRunning()) {
      super.onResourceUpdated(newResource, oldResource);
    }
  }

  @Override
  public void onResourceDeleted(WorkflowEnvironment resource) {
    super.onResourceDeleted(resource);
    inspector.forget(resource);
  }

  private static ThreadFactory threads() {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "branchflow-airflow-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
