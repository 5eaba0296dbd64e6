package io.branchflow.operator.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The poller as JOSDK drives it: what wakes a reconcile, and what a reconcile may wait on. */
class AirflowObservationsTest {

  private static final String PUSHED = "0123456789abcdef0123456789abcdef01234567";

  private final WorkflowEnvironment env = FakeAirflow.environment(PUSHED);
  private final FakeAirflow airflow = new FakeAirflow(PUSHED);
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final AirflowObservations source =
      new AirflowObservations(
          new EventSourceContext<>(new OneEnvironment(env), null, null, WorkflowEnvironment.class),
          new AirflowInspector(
              airflow, e -> Optional.of(new AirflowTargets.Target("bf-dags-hardy", "dags"))));

  @AfterEach
  void stop() {
    source.stop();
  }

  @Test
  void aReconcileReadsOnlyWhatAPollLeftAndNeverWaitsOnAirflow() {
    assertThat(source.getSecondaryResources(env)).isEmpty();
    assertThat(airflow.asked).isEmpty();
  }

  @Test
  void anEnvironmentCachedBeforeTheStartIsPolledAndWhatChangesWakesItsReconcile() {
    source.setEventHandler(events::add);
    source.start(); // a restarted operator: the informer's add events came before

    await("a poll's observation").atMost(Duration.ofSeconds(20)).until(() -> !events.isEmpty());
    assertThat(events.get(0).getRelatedCustomResourceID()).isEqualTo(ResourceID.fromResource(env));
    assertThat(source.getSecondaryResources(env))
        .containsExactly(new AirflowObservation(PUSHED, null, null, FailedTasks.NONE, null));
  }

  /** The controller's cache holding one environment. */
  private record OneEnvironment(WorkflowEnvironment env)
      implements IndexerResourceCache<WorkflowEnvironment> {

    @Override
    public Optional<WorkflowEnvironment> get(ResourceID id) {
      return ResourceID.fromResource(env).equals(id) ? Optional.of(env) : Optional.empty();
    }

    @Override
    public Stream<ResourceID> keys() {
      return Stream.of(ResourceID.fromResource(env));
    }

    @Override
    public Stream<WorkflowEnvironment> list(Predicate<WorkflowEnvironment> predicate) {
      return Stream.of(env).filter(predicate);
    }

    @Override
    public Stream<WorkflowEnvironment> list(
        String namespace, Predicate<WorkflowEnvironment> predicate) {
      return list(predicate).filter(e -> namespace.equals(e.getMetadata().getNamespace()));
    }

    @Override
    public List<WorkflowEnvironment> byIndex(String indexName, String indexKey) {
      return List.of();
    }

    @Override
    public void addIndexers(Map<String, Function<WorkflowEnvironment, List<String>>> indexers) {}
  }
}
