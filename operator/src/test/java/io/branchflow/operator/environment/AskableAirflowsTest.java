package io.branchflow.operator.environment;

import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.v1alpha1.Condition;
import io.branchflow.api.v1alpha1.ConditionStatus;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentStatus;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.operator.desired.EnvironmentInputs;
import io.branchflow.operator.e2e.Fixtures;
import io.branchflow.operator.inspect.AirflowTargets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which environments' Airflow the poller asks: ready Airflow 3 only, from the caches. */
class AskableAirflowsTest {

  private static final String NS = "branchflow";

  private WorkflowRepository repository = Fixtures.repository(NS);
  private final AskableAirflows airflows =
      new AskableAirflows(id -> Optional.ofNullable(repository));

  private static WorkflowEnvironment env(ConditionStatus componentsReady) {
    WorkflowEnvironment env = Fixtures.environment(NS, "feature/hardy");
    if (componentsReady != null) {
      Condition ready = new Condition();
      ready.setType(EnvironmentConditions.COMPONENTS_READY);
      ready.setStatus(componentsReady);
      WorkflowEnvironmentStatus status = new WorkflowEnvironmentStatus();
      status.setConditions(List.of(ready));
      env.setStatus(status);
    }
    return env;
  }

  @Test
  void aReadyAirflow3IsAskedInItsNamespace() {
    WorkflowEnvironment env = env(ConditionStatus.True);
    assertThat(airflows.worthPolling(env)).isTrue();
    assertThat(airflows.toAsk(env))
        .contains(new AirflowTargets.Target(EnvironmentInputs.namespaceOf(env), "dags"));

    // limits.idleAfter: what happens inside is asked too.
    repository.getSpec().setLimits(new io.branchflow.api.v1alpha1.EnvironmentLimits());
    repository.getSpec().getLimits().setIdleAfter("2h");
    assertThat(airflows.toAsk(env))
        .contains(new AirflowTargets.Target(EnvironmentInputs.namespaceOf(env), "dags", true));
  }

  @Test
  void notReadySuspendedOrGoingAwayIsNotAsked() {
    assertThat(airflows.toAsk(env(null))).isEmpty();
    assertThat(airflows.worthPolling(env(ConditionStatus.False))).isFalse();
    assertThat(airflows.toAsk(env(ConditionStatus.False))).isEmpty();
    WorkflowEnvironment deleting = env(ConditionStatus.True);
    deleting.getMetadata().setDeletionTimestamp("2026-11-30T10:00:00Z");
    assertThat(airflows.worthPolling(deleting)).isFalse();
  }

  @Test
  void airflow2OrARepositoryNotCachedYetIsNotAskedButStaysPolled() {
    repository.getSpec().getTemplate().setAirflowMajorVersion(2);
    WorkflowEnvironment env = env(ConditionStatus.True);
    assertThat(airflows.toAsk(env)).isEmpty();
    repository = null;
    assertThat(airflows.toAsk(env)).isEmpty();
    assertThat(airflows.worthPolling(env)).as("asked again once the cache has it").isTrue();
  }
}
