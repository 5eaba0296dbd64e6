package io.branchflow.operator.repository;

import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.v1alpha1.ResyncPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ResyncPoliciesTest {

  @Test
  void parsesTheCrdDurations() {
    assertThat(ResyncPolicies.parse("2s")).isEqualTo(Duration.ofSeconds(2));
    assertThat(ResyncPolicies.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(ResyncPolicies.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(ResyncPolicies.parse("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(ResyncPolicies.parse("5")).isNull();
    assertThat(ResyncPolicies.parse("PT5M")).isNull();
  }

  @Test
  void defaultsWhenAbsentAndNeverSpins() {
    assertThat(ResyncPolicies.of(null)).isEqualTo(new ResyncPolicies(Duration.ofMinutes(5), 50));
    ResyncPolicy zero = new ResyncPolicy();
    zero.setPeriod("0s");
    assertThat(ResyncPolicies.of(zero).period()).isEqualTo(Duration.ofSeconds(1));
  }
}
