package io.branchflow.operator.status;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Whether a pass that threw should say so in the status now. A failure the retry a couple of
 * seconds later will most likely not meet again (the API server closed the connection, did not
 * answer in time, or said it is overloaded) is left out of the status the first time: writing
 * {@code ReconcileError} and then clearing it is two status writes, two watch events for every
 * client and a flicker in {@code kubectl get}, for nothing anyone can act on. The same failure on
 * the retry, and every other failure at once, is written as before.
 */
public final class PassFailure {

  /** The API server answered, but only to say it cannot serve now. */
  private static final Set<Integer> OVERLOADED = Set.of(429, 500, 502, 503, 504);

  private PassFailure() {}

  /**
   * Whether {@code updateErrorStatus} should write {@code e} into the status; {@code retry} is the
   * context's: absent or attempt 0 on a first failure.
   */
  public static boolean worthShowing(Optional<RetryInfo> retry, Exception e) {
    return retry.map(RetryInfo::getAttemptCount).orElse(0) > 0 || !transientApiError(e);
  }

  /**
   * The API server closed the connection, timed out, or answered 429/5xx: nothing about the
   * environment, its repository or its Secrets.
   */
  static boolean transientApiError(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() > 0) {
        return OVERLOADED.contains(k.getCode());
      }
      if (t instanceof IOException
          || t instanceof TimeoutException
          // What fabric8's Vert.x client reports when the API server closes the connection.
          || t instanceof io.vertx.core.http.HttpClosedException) {
        return true;
      }
    }
    return false;
  }
}
