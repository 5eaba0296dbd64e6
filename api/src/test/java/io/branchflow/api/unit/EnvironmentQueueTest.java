package io.branchflow.api.unit;

import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.branches.EnvironmentQueue;
import io.branchflow.api.branches.EnvironmentQueue.Admitted;
import io.branchflow.api.branches.EnvironmentQueue.Member;
import io.branchflow.api.branches.EnvironmentQueue.Queued;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvironmentQueueTest {

  private static Member waiting(String name, String createdAt) {
    return new Member(name, createdAt, false);
  }

  private static Member provisioned(String name, String createdAt) {
    return new Member(name, createdAt, true);
  }

  @Test
  void theFirstComeAreAdmittedAndTheRestWaitInOrder() {
    List<Member> members =
        List.of(
            waiting("c", "2026-11-30T10:00:03Z"),
            waiting("a", "2026-11-30T10:00:01Z"),
            waiting("b", "2026-11-30T10:00:02Z"),
            waiting("d", "2026-11-30T10:00:04Z"));
    assertThat(EnvironmentQueue.decide("a", members, 2)).isInstanceOf(Admitted.class);
    assertThat(EnvironmentQueue.decide("b", members, 2)).isInstanceOf(Admitted.class);
    assertThat(EnvironmentQueue.decide("c", members, 2)).isEqualTo(new Queued(2, 2, 1));
    assertThat(EnvironmentQueue.decide("d", members, 2)).isEqualTo(new Queued(2, 2, 2));
  }

  @Test
  void aProvisionedEnvironmentKeepsItsSlotWhateverItsAge() {
    // "old" waited (for example its repository Secret was missing) while "new" was provisioned.
    List<Member> members =
        List.of(waiting("old", "2026-11-30T10:00:00Z"), provisioned("new", "2026-11-30T11:00:00Z"));
    assertThat(EnvironmentQueue.decide("new", members, 1)).isEqualTo(new Admitted(1, 1));
    assertThat(EnvironmentQueue.decide("old", members, 1)).isEqualTo(new Queued(1, 1, 1));
  }

  @Test
  void loweringTheLimitKeepsWhatRunsAndSaysItIsOverTheLimit() {
    List<Member> members =
        List.of(
            provisioned("a", "2026-11-30T10:00:01Z"),
            provisioned("b", "2026-11-30T10:00:02Z"),
            provisioned("c", "2026-11-30T10:00:03Z"),
            waiting("d", "2026-11-30T10:00:04Z"));
    Admitted kept = (Admitted) EnvironmentQueue.decide("c", members, 2);
    assertThat(kept.overLimit()).isTrue();
    assertThat(EnvironmentQueue.decide("d", members, 2)).isEqualTo(new Queued(3, 2, 2));
  }

  @Test
  void sameSecondIsSettledByNameAndABranchNotCreatedYetComesLast() {
    List<Member> members =
        List.of(waiting("b", "2026-11-30T10:00:00Z"), waiting("a", "2026-11-30T10:00:00Z"));
    assertThat(EnvironmentQueue.decide("a", members, 1)).isInstanceOf(Admitted.class);
    assertThat(EnvironmentQueue.decide("b", members, 1)).isEqualTo(new Queued(1, 1, 1));
    assertThat(EnvironmentQueue.decide("new", members, 1)).isEqualTo(new Queued(1, 1, 2));
    assertThat(new Queued(2, 2, 3).describe("acme/dags"))
        .startsWith("waiting: 2 of 2 environments of repository acme/dags exist; position 3");
  }
}
