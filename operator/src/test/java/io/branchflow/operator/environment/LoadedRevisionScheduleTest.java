package io.branchflow.operator.environment;

import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.operator.environment.AirflowApi.LoadedRevision;
import io.branchflow.operator.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoadedRevisionScheduleTest {

  private static final String ENV = "branchflow/dags-hardy";
  private static final String PUSHED = "0123456789abcdef0123456789abcdef01234567";
  private static final String OLDER = "fedcba9876543210fedcba9876543210fedcba98";

  private final ManualClock clock = new ManualClock(Instant.parse("2026-11-29T10:00:00Z"));
  private final LoadedRevisionSchedule schedule = new LoadedRevisionSchedule(clock);

  @Test
  void anEnvironmentThatLoadedItsLastPushIsNotAskedAgainUntilTheNextPush() {
    assertThat(schedule.due(ENV, PUSHED)).isTrue();
    assertThat(schedule.answered(ENV, PUSHED, LoadedRevision.of(PUSHED))).isNull();

    clock.advance(Duration.ofHours(1));
    assertThat(schedule.due(ENV, PUSHED)).isFalse();
    assertThat(schedule.dueIn(ENV, PUSHED)).isNull();
    assertThat(schedule.due(ENV, "a-new-push")).isTrue();
    // Passes in between report the last answer, whatever their cached status says.
    assertThat(schedule.lastAnswer(ENV, PUSHED).sha()).isEqualTo(PUSHED);
    assertThat(schedule.lastAnswer(ENV, "a-new-push")).isNull();
  }

  @Test
  void anEnvironmentCatchingUpIsAskedAgainSoon() {
    assertThat(schedule.answered(ENV, PUSHED, LoadedRevision.of(OLDER)))
        .isEqualTo(LoadedRevisionSchedule.CATCHING_UP);
    assertThat(schedule.due(ENV, PUSHED)).isFalse();
    assertThat(schedule.dueIn(ENV, PUSHED)).isEqualTo(LoadedRevisionSchedule.CATCHING_UP);

    clock.advance(LoadedRevisionSchedule.CATCHING_UP);
    assertThat(schedule.due(ENV, PUSHED)).isTrue();
  }

  @Test
  void anAirflowThatDoesNotAnswerIsAskedEverMoreRarely() {
    LoadedRevision none = LoadedRevision.unknown("not reachable");
    Duration first = schedule.answered(ENV, PUSHED, none);
    Duration second = schedule.answered(ENV, PUSHED, none);
    for (int i = 0; i < 10; i++) {
      schedule.answered(ENV, PUSHED, none);
    }

    assertThat(first).isEqualTo(LoadedRevisionSchedule.FIRST_RETRY);
    assertThat(second).isEqualTo(first.multipliedBy(2));
    assertThat(schedule.answered(ENV, PUSHED, none)).isEqualTo(LoadedRevisionSchedule.LAST_RETRY);
    assertThat(schedule.due(ENV, PUSHED)).isFalse();
    clock.advance(LoadedRevisionSchedule.LAST_RETRY);
    assertThat(schedule.due(ENV, PUSHED)).isTrue();
  }
}
