package io.branchflow.operator.environment;

import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.operator.environment.ExpirySchedule.Remove;
import io.branchflow.operator.environment.ExpirySchedule.Wait;
import io.branchflow.operator.environment.ExpirySchedule.Warn;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExpiryScheduleTest {

  private static final Instant PUSHED = Instant.parse("2026-11-30T10:00:00Z");
  private final ExpirySchedule ttl72h = ExpirySchedule.parse("72h");

  @Test
  void warnsAnHourBeforeAndRemovesAtTheTtlAfterThePush() {
    Instant warnAt = Instant.parse("2026-12-03T09:00:00Z");
    Instant due = Instant.parse("2026-12-03T10:00:00Z");

    assertThat(ttl72h.next(PUSHED, null, PUSHED)).isEqualTo(new Wait(Duration.ofHours(71)));
    assertThat(ttl72h.next(PUSHED, null, warnAt.minusSeconds(1)))
        .isEqualTo(new Wait(Duration.ofSeconds(1)));
    assertThat(ttl72h.next(PUSHED, null, warnAt)).isEqualTo(new Warn(due));
    assertThat(ttl72h.next(PUSHED, warnAt, warnAt)).isEqualTo(new Wait(Duration.ofHours(1)));
    assertThat(ttl72h.next(PUSHED, warnAt, due.minusSeconds(1)))
        .isEqualTo(new Wait(Duration.ofSeconds(1)));
    assertThat(ttl72h.next(PUSHED, warnAt, due)).isEqualTo(new Remove());
  }

  @Test
  void aTtlUnderTwoHoursWarnsAtHalfOfIt() {
    ExpirySchedule ttl = ExpirySchedule.parse("1h30m");
    assertThat(ttl.lead()).isEqualTo(Duration.ofMinutes(45));
    assertThat(ttl.warnAt(PUSHED)).isEqualTo(PUSHED.plus(Duration.ofMinutes(45)));
    assertThat(ExpirySchedule.parse("2h").lead()).isEqualTo(Duration.ofHours(1));
    assertThat(ExpirySchedule.parse("40s").lead()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void aWarningThatCameLateStillGivesTheWholeLeadBeforeTheRemoval() {
    // The operator was down at the warning time, or the TTL was set on an old environment.
    Instant late = PUSHED.plus(Duration.ofDays(10));
    assertThat(ttl72h.next(PUSHED, null, late)).isEqualTo(new Warn(late.plus(Duration.ofHours(1))));
    assertThat(ttl72h.next(PUSHED, late, late.plus(Duration.ofMinutes(59))))
        .isEqualTo(new Wait(Duration.ofMinutes(1)));
    assertThat(ttl72h.next(PUSHED, late, late.plus(Duration.ofHours(1)))).isEqualTo(new Remove());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0h", "0s0m", "72", "PT72H", "", "99999999999999d", "3651d"})
  void whatIsNotAUsableDurationIsRefused(String ttl) {
    assertThat(ExpirySchedule.parse(ttl)).isNull();
  }

  @Test
  void durationsAsTheCrdSpellsThem() {
    assertThat(ExpirySchedule.parse("7d").ttl()).isEqualTo(Duration.ofDays(7));
    assertThat(ExpirySchedule.parse("1h30m").ttl()).isEqualTo(Duration.ofMinutes(90));
    assertThat(ExpirySchedule.parse("0h90s").ttl()).isEqualTo(Duration.ofSeconds(90));
  }
}
