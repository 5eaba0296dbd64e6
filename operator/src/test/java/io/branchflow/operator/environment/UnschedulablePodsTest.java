package io.branchflow.operator.environment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which pods the status reports as unschedulable, in the scheduler's words. */
class UnschedulablePodsTest {

  private static final String SCHEDULER_SAYS =
      "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption:"
          + " 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";

  @Test
  void pendingPodTheSchedulerCannotPlaceIsReportedWithItsMessage() {
    assertThat(EnvironmentProvisioner.unschedulable(List.of(unschedulable("postgres-0"))))
        .containsExactly("pod postgres-0: " + SCHEDULER_SAYS);
  }

  @Test
  void scheduledRunningAndStillSchedulingPodsAreNot() {
    Pod running =
        new PodBuilder()
            .withNewMetadata()
            .withName("airflow-scheduler-1")
            .endMetadata()
            .withNewStatus()
            .withPhase("Running")
            .addNewCondition()
            .withType("PodScheduled")
            .withStatus("True")
            .endCondition()
            .endStatus()
            .build();
    Pod justCreated =
        new PodBuilder()
            .withNewMetadata()
            .withName("airflow-scheduler-2")
            .endMetadata()
            .withNewStatus()
            .withPhase("Pending")
            .endStatus()
            .build();
    Pod gated = unschedulable("airflow-scheduler-3");
    gated.getStatus().getConditions().get(0).setReason("SchedulingGated");
    Pod deleting = unschedulable("airflow-scheduler-4");
    deleting.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
    Pod noStatus = new PodBuilder().withNewMetadata().withName("x").endMetadata().build();

    assertThat(
            EnvironmentProvisioner.unschedulable(
                List.of(running, justCreated, gated, deleting, noStatus)))
        .isEmpty();
  }

  @Test
  void podsAreListedInNameOrder() {
    assertThat(
            EnvironmentProvisioner.unschedulable(
                List.of(unschedulable("postgres-0"), unschedulable("airflow-migrate-1-abc"))))
        .extracting(s -> s.substring(0, s.indexOf(':')))
        .containsExactly("pod airflow-migrate-1-abc", "pod postgres-0");
  }

  private static Pod unschedulable(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewStatus()
        .withPhase("Pending")
        .addNewCondition()
        .withType("PodScheduled")
        .withStatus("False")
        .withReason("Unschedulable")
        .withMessage(SCHEDULER_SAYS)
        .endCondition()
        .endStatus()
        .build();
  }
}
