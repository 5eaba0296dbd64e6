package io.branchflow.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.vertx.core.http.HttpClosedException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which failed passes reach the status at once, and which only when the retry fails too. */
class PassFailureTest {

  private static final Optional<RetryInfo> FIRST = Optional.empty();

  private static Optional<RetryInfo> attempt(int n) {
    return Optional.of(
        new RetryInfo() {
          @Override
          public int getAttemptCount() {
            return n;
          }

          @Override
          public boolean isLastAttempt() {
            return false;
          }
        });
  }

  /** As JOSDK hands it over when the API server closed the connection mid-pass (make bench). */
  private static Exception connectionClosed() {
    return new OperatorException(
        new KubernetesClientException(
            "Connection was closed", new HttpClosedException("Connection was closed")));
  }

  private static Exception answered(int code) {
    return new KubernetesClientException("the server said " + code, code, null);
  }

  @Test
  void aClosedConnectionOrAnOverloadedApiServerIsShownOnlyWhenTheRetryMeetsItToo() {
    assertThat(PassFailure.worthShowing(FIRST, connectionClosed())).isFalse();
    assertThat(PassFailure.worthShowing(attempt(0), connectionClosed())).isFalse();
    assertThat(PassFailure.worthShowing(FIRST, answered(503))).isFalse();
    assertThat(PassFailure.worthShowing(FIRST, answered(429))).isFalse();
    assertThat(PassFailure.worthShowing(attempt(1), connectionClosed())).isTrue();
    assertThat(PassFailure.worthShowing(attempt(1), answered(503))).isTrue();
  }

  @Test
  void everyOtherFailureIsShownAtOnce() {
    assertThat(PassFailure.worthShowing(FIRST, answered(403)))
        .as("RBAC: someone must act")
        .isTrue();
    assertThat(PassFailure.worthShowing(FIRST, answered(422))).isTrue();
    assertThat(PassFailure.worthShowing(FIRST, new IllegalStateException("a bug"))).isTrue();
    assertThat(
            PassFailure.worthShowing(
                FIRST,
                new KubernetesClientException(
                    "forbidden", 403, null) /* whatever its cause says */))
        .isTrue();
  }
}
