package io.branchflow.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.v1alpha1.Condition;
import io.branchflow.api.v1alpha1.ConditionStatus;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConditionsTest {

  private static final String T0 = "2026-01-01T00:00:00Z";
  private static final String T1 = "2026-01-01T00:05:00Z";

  private static final List<Condition> BEFORE =
      new Conditions(null, 1L, T0)
          .set("BranchesListed", true, "Listed", "listed 3 branches")
          .set("ResyncSucceeded", false, "ListingFailed", "no listing")
          .set("Example", true, "SetByHand", "someone else's")
          .build();

  @Test
  void aKeptConditionIsUnchangedWithItsTransitionTime() {
    List<Condition> after = new Conditions(BEFORE, 2L, T1).keep("BranchesListed").build();

    assertThat(after)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo(ConditionStatus.True);
              assertThat(c.getMessage()).isEqualTo("listed 3 branches");
              assertThat(c.getLastTransitionTime()).isEqualTo(T0);
              assertThat(c.getObservedGeneration()).isEqualTo(2L);
            });
  }

  @Test
  void conditionsOfOtherTypesStayAfterOurs() {
    List<Condition> after =
        new Conditions(BEFORE, 2L, T1)
            .set("ResyncSucceeded", true, "Converged", "created 0, deleted 0")
            .buildKeepingOthers(Set.of("BranchesListed", "ResyncSucceeded"));

    assertThat(after).extracting(Condition::getType).containsExactly("ResyncSucceeded", "Example");
    assertThat(after.get(0).getLastTransitionTime()).isEqualTo(T1);
  }

  @Test
  void appendedAfterTheExistingOnes() {
    List<Condition> after =
        new Conditions(BEFORE, 2L, T1)
            .set("Admitted", true, "Admitted", "within limits")
            .appendTo(BEFORE.subList(0, 1));

    assertThat(after).extracting(Condition::getType).containsExactly("BranchesListed", "Admitted");
    assertThat(Conditions.find(after, "Admitted")).isPresent();
    assertThat(Conditions.find(null, "Admitted")).isEmpty();
  }
}
