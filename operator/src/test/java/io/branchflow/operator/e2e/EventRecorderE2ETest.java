package io.branchflow.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.operator.events.EventRecorder;
import io.branchflow.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Events as {@code kubectl describe} shows them: a once-per-push warning stays one Event when two
 * passes decide it (JOSDK may start the second before the informer has the first one's status).
 */
class EventRecorderE2ETest {

  private static final String ENV = "dags-offline";

  private final KubernetesClient client = TestCluster.shared().client();
  private final EventRecorder recorder = new EventRecorder(client);
  private String ns;

  @BeforeEach
  void namespace() {
    ns = Fixtures.branchflowNamespace(client, "events");
  }

  @AfterEach
  void removeNamespace() {
    client.namespaces().withName(ns).delete();
  }

  @Test
  void aWarningRecordedOncePerKeyIsOneEventHoweverManyPassesDecideIt() {
    warnOnce("removed at 2026-12-09T17:00:02Z", "expiry-warning-a");
    warnOnce("removed at 2026-12-09T17:00:02Z", "expiry-warning-a");
    warnOnce("removed at 2026-12-12T09:00:00Z", "expiry-warning-b"); // the next push's
    recorder.record(WorkflowEnvironment.class, ns, ENV, "uid-1", false, "Ready", "ready");
    recorder.record(WorkflowEnvironment.class, ns, ENV, "uid-1", false, "Ready", "ready");

    assertThat(messages("ExpiryWarning"))
        .containsExactlyInAnyOrder(
            "removed at 2026-12-09T17:00:02Z", "removed at 2026-12-12T09:00:00Z");
    assertThat(messages("Ready")).as("other Events are each recorded").hasSize(2);
  }

  private void warnOnce(String message, String key) {
    WorkflowEnvironment env = new WorkflowEnvironment();
    env.setMetadata(
        new ObjectMetaBuilder().withNamespace(ns).withName(ENV).withUid("uid-1").build());
    recorder.recordOnce(env, true, "ExpiryWarning", message, key);
  }

  private List<String> messages(String reason) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .map(Event::getMessage)
        .toList();
  }
}
