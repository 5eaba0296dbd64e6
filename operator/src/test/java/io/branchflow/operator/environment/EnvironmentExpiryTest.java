package io.branchflow.operator.environment;

import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.v1alpha1.Condition;
import io.branchflow.api.v1alpha1.ConditionStatus;
import io.branchflow.api.v1alpha1.EnvironmentLimits;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentSpec;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentStatus;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.api.v1alpha1.WorkflowRepositorySpec;
import io.branchflow.operator.environment.EnvironmentExpiry.Decision;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** limits.ttl over the status of one environment, pass after pass, without a cluster. */
class EnvironmentExpiryTest {

  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  private static final String NEW_SHA = "fedcba9876543210fedcba9876543210fedcba98";
  private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

  private final WorkflowEnvironment env = environment(SHA);
  private WorkflowRepository repository = repository("72h");

  /** One pass at {@code now}: the status it writes becomes the environment's. */
  private Decision pass(Instant now) {
    WorkflowEnvironmentStatus status = new WorkflowEnvironmentStatus();
    Decision decision = EnvironmentExpiry.apply(env, repository, status, now);
    env.setStatus(status);
    return decision;
  }

  @Test
  void theClockStartsWhenTheCommitIsFirstSeenAndSurvivesOtherEdits() {
    assertThat(pass(T0)).isEqualTo(new Decision(Duration.ofHours(71), null, false));
    assertThat(env.getStatus().getExpiry().getPushedAt()).isEqualTo(T0.toString());
    assertThat(env.getStatus().getExpiry().getExpiresAt()).isEqualTo("2026-12-03T10:00:00Z");
    assertThat(expires().getStatus()).isEqualTo(ConditionStatus.True);
    assertThat(expires().getMessage())
        .startsWith("removed at 2026-12-03T10:00:00Z (limits.ttl 72h after the last push");

    // Edits that are not a push (suspend, overrides, a restarted operator) keep the clock.
    env.getSpec().setSuspend(true);
    env.getMetadata().setGeneration(2L);
    assertThat(pass(T0.plus(Duration.ofHours(5))).wakeUp()).isEqualTo(Duration.ofHours(66));
    assertThat(env.getStatus().getExpiry().getPushedAt()).isEqualTo(T0.toString());
  }

  @Test
  void theWarningIsDecidedOnceAndAPushResetsTheClockAndTheWarning() {
    pass(T0);
    Instant warnAt = T0.plus(Duration.ofHours(71));
    Decision warn = pass(warnAt);
    assertThat(warn.warning())
        .contains("removed at 2026-12-03T10:00:00Z")
        .contains("unless the branch is pushed again");
    assertThat(warn.wakeUp()).isEqualTo(Duration.ofHours(1));
    assertThat(env.getStatus().getExpiry().getWarnedAt()).isEqualTo(warnAt.toString());
    assertThat(expires().getReason()).isEqualTo("Warned");
    assertThat(pass(warnAt.plusSeconds(30)).warning()).isNull();

    env.getSpec().setCommitSha(NEW_SHA);
    Instant pushed = warnAt.plus(Duration.ofMinutes(10));
    assertThat(pass(pushed)).isEqualTo(new Decision(Duration.ofHours(71), null, false));
    assertThat(env.getStatus().getExpiry().getPushedAt()).isEqualTo(pushed.toString());
    assertThat(env.getStatus().getExpiry().getCommitSha()).isEqualTo(NEW_SHA);
    assertThat(env.getStatus().getExpiry().getWarnedAt()).isNull();
    assertThat(expires().getReason()).isEqualTo("Scheduled");
  }

  @Test
  void dueOnlyOnceWarnedAndThenSaysWhyItWent() {
    pass(T0);
    Instant due = T0.plus(Duration.ofHours(72));
    assertThat(pass(due).remove()).isFalse(); // warned first: never removed without notice
    assertThat(EnvironmentExpiry.removalReason(env, repository, due)).isNull();
    Instant later = due.plus(Duration.ofHours(1));
    assertThat(pass(later).remove()).isTrue();
    assertThat(EnvironmentExpiry.removalReason(env, repository, later))
        .isEqualTo("expired after 72h without a push");
  }

  @Test
  void withoutATtlTheLastPushIsStillRecordedAndNothingIsScheduled() {
    repository = repository(null);
    assertThat(pass(T0)).isEqualTo(Decision.NONE);
    assertThat(env.getStatus().getExpiry().getPushedAt()).isEqualTo(T0.toString());
    assertThat(env.getStatus().getExpiry().getExpiresAt()).isNull();
    assertThat(env.getStatus().getConditions()).isNull();

    // Set later, it counts from the push seen back then.
    repository = repository("6h");
    assertThat(pass(T0.plus(Duration.ofHours(1))).wakeUp()).isEqualTo(Duration.ofHours(4));
  }

  @Test
  void aTtlTheOperatorCannotUseIsReportedAndNeverRemovesAnything() {
    repository = repository("99999999999999d");
    assertThat(pass(T0)).isEqualTo(Decision.NONE);
    assertThat(expires().getStatus()).isEqualTo(ConditionStatus.False);
    assertThat(expires().getReason()).isEqualTo("InvalidTtl");
    assertThat(expires().getMessage()).contains("99999999999999d").contains("does not expire");
  }

  @Test
  void aRecordedTimeEditedIntoGarbageRestartsTheClockInsteadOfFailing() {
    pass(T0);
    env.getStatus().getExpiry().setPushedAt("yesterday");
    Instant now = T0.plus(Duration.ofHours(2));
    pass(now);
    assertThat(env.getStatus().getExpiry().getPushedAt()).isEqualTo(now.toString());
  }

  private Condition expires() {
    return env.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals(EnvironmentExpiry.CONDITION))
        .findFirst()
        .orElseThrow();
  }

  static WorkflowEnvironment environment(String sha) {
    WorkflowEnvironment env = new WorkflowEnvironment();
    env.getMetadata().setName("dags-hardy-0123456789");
    env.getMetadata().setNamespace("branchflow-system");
    env.getMetadata().setGeneration(1L);
    WorkflowEnvironmentSpec spec = new WorkflowEnvironmentSpec();
    spec.setRepositoryRef("acme-dags");
    spec.setBranch("feature/hardy");
    spec.setCommitSha(sha);
    env.setSpec(spec);
    return env;
  }

  static WorkflowRepository repository(String ttl) {
    WorkflowRepository repository = new WorkflowRepository();
    repository.getMetadata().setName("acme-dags");
    repository.getMetadata().setNamespace("branchflow-system");
    WorkflowRepositorySpec spec = new WorkflowRepositorySpec();
    spec.setRepository("acme/dags");
    EnvironmentLimits limits = new EnvironmentLimits();
    limits.setTtl(ttl);
    spec.setLimits(limits);
    repository.setSpec(spec);
    return repository;
  }
}
