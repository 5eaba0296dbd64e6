package io.branchflow.operator.environment;

import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.operator.testing.ManualClock;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * When a pass sends an object again: whenever what we want or what is there differs from what we
 * applied (drift is still undone), never when both are as we left them.
 */
class AppliedObjectsTest {

  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-30T00:00:00Z"));
  private final AppliedObjects applied = new AppliedObjects(new KubernetesSerialization(), clock);

  @Test
  void aWatchedObjectAsWeAppliedItIsNotSentAgainEvenWhenItsStatusMoved() {
    Deployment desired = scheduler("apache/airflow:3.3.2");
    applied.record(desired, server(desired, "u1", 1L, "100"));

    assertThat(applied.upToDate(desired, server(desired, "u1", 1L, "100"))).isTrue();
    // The deployment controller wrote status: new resourceVersion, same generation.
    assertThat(applied.upToDate(desired, server(desired, "u1", 1L, "131"))).isTrue();
  }

  @Test
  void aWatchedObjectIsSentAgainWhenWantedDifferentEditedDeletedOrStrippedOfOurLabels() {
    Deployment desired = scheduler("apache/airflow:3.3.2");
    applied.record(desired, server(desired, "u1", 1L, "100"));

    assertThat(
            applied.upToDate(scheduler("apache/airflow:3.3.3"), server(desired, "u1", 1L, "100")))
        .as("desired state changed")
        .isFalse();
    assertThat(applied.upToDate(desired, server(desired, "u1", 2L, "140")))
        .as("someone edited the spec (generation bumped)")
        .isFalse();
    assertThat(applied.upToDate(desired, null)).as("deleted").isFalse();
    assertThat(applied.upToDate(desired, server(desired, "u2", 1L, "200")))
        .as("deleted and made again by someone else")
        .isFalse();
    Deployment relabelled = server(desired, "u1", 1L, "150");
    relabelled.getMetadata().setLabels(Map.of("app.kubernetes.io/component", "other"));
    assertThat(applied.upToDate(desired, relabelled)).as("our label changed").isFalse();
  }

  @Test
  void withoutGenerationsAnyChangeOfResourceVersionIsDrift() {
    ConfigMap desired = config("a");
    applied.record(desired, server(desired, "u1", null, "7"));

    assertThat(applied.upToDate(desired, server(desired, "u1", null, "7"))).isTrue();
    assertThat(applied.upToDate(desired, server(desired, "u1", null, "8"))).isFalse();
  }

  @Test
  void anUnwatchedObjectIsTrustedForTheReapplyIntervalOnlyAndOnlyAsApplied() {
    ConfigMap desired = config("a");
    assertThat(applied.recentlyApplied(desired)).as("never applied by this process").isFalse();

    applied.record(desired, server(desired, "u1", null, "7"));
    assertThat(applied.recentlyApplied(desired)).isTrue();
    assertThat(applied.recentlyApplied(config("b"))).as("wanted differently").isFalse();

    clock.advance(AppliedObjects.UNWATCHED_REAPPLY);
    assertThat(applied.recentlyApplied(desired)).as("interval over: applied again").isFalse();
  }

  @Test
  void whatWeDeletedOrWhoseNamespaceIsGoingIsAppliedAgainWhenWanted() {
    ConfigMap desired = config("a");
    applied.record(desired, server(desired, "u1", null, "7"));
    applied.forget("bf-x", "ConfigMap", "airflow-config");
    assertThat(applied.recentlyApplied(desired)).isFalse();

    applied.record(desired, server(desired, "u1", null, "7"));
    applied.forgetNamespace("bf-x");
    assertThat(applied.recentlyApplied(desired)).isFalse();
    assertThat(applied.size()).isZero();
  }

  private static Deployment scheduler(String image) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName("airflow-scheduler")
        .withNamespace("bf-x")
        .addToLabels("app.kubernetes.io/component", "scheduler")
        .endMetadata()
        .withNewSpec()
        .withReplicas(1)
        .withNewTemplate()
        .withNewSpec()
        .addNewContainer()
        .withName("scheduler")
        .withImage(image)
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static ConfigMap config(String value) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName("airflow-config")
        .withNamespace("bf-x")
        .endMetadata()
        .withData(Map.of("key", value))
        .build();
  }

  /** What the API server answers or an informer holds: the object with the server's fields. */
  private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T server(
      T desired, String uid, Long generation, String resourceVersion) {
    T copy = new KubernetesSerialization().clone(desired);
    copy.getMetadata().setUid(uid);
    copy.getMetadata().setGeneration(generation);
    copy.getMetadata().setResourceVersion(resourceVersion);
    return copy;
  }
}
