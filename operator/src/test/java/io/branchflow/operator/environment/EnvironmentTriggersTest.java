package io.branchflow.operator.environment;

import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.branches.BranchEnvironments;
import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Which changes of an environment start a pass (the reconciler is not generation-aware). */
class EnvironmentTriggersTest {

  private final EnvironmentTriggers triggers = new EnvironmentTriggers();

  private static WorkflowEnvironment environment() {
    WorkflowEnvironment env = new WorkflowEnvironment();
    env.getMetadata().setName("dags-hardy");
    env.getMetadata().setGeneration(3L);
    env.getMetadata().setFinalizers(List.of("workflowenvironments.branchflow.io/finalizer"));
    return env;
  }

  private boolean starts(Consumer<WorkflowEnvironment> change) {
    WorkflowEnvironment old = environment();
    WorkflowEnvironment updated = Serialization.clone(old);
    change.accept(updated);
    return triggers.accept(updated, old);
  }

  @Test
  void theReceiversPullRequestNoteStartsAPassAsASpecChangeDoes() {
    assertThat(
            starts(
                e ->
                    e.getMetadata()
                        .setAnnotations(
                            java.util.Map.of(
                                BranchEnvironments.PULL_REQUESTS_CHANGED,
                                "#12 2026-11-30T14:40:00Z"))))
        .isTrue();
    assertThat(starts(e -> e.getMetadata().setGeneration(4L))).isTrue();
    assertThat(starts(e -> e.getMetadata().setDeletionTimestamp("2026-11-30T14:40:00Z"))).isTrue();
    assertThat(starts(e -> e.getMetadata().setFinalizers(List.of()))).isTrue();
  }

  @Test
  void statusWritesAndOtherAnnotationsStartNone() {
    assertThat(
            starts(
                e -> {
                  WorkflowEnvironmentStatus status = new WorkflowEnvironmentStatus();
                  status.setPhase(Phase.Ready);
                  e.setStatus(status);
                  e.getMetadata().setResourceVersion("42");
                }))
        .isFalse();
    assertThat(
            starts(
                e ->
                    e.getMetadata()
                        .setAnnotations(java.util.Map.of("kubectl.kubernetes.io/note", "x"))))
        .isFalse();
  }
}
