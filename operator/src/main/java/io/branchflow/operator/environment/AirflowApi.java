package io.branchflow.operator.environment;

import com.fasterxml.jackson.databind.JsonNode;
import io.branchflow.operator.desired.Components;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks an environment's Airflow 3 which commit of the branch it has loaded. It goes through the
 * Kubernetes API server's service proxy, so it works the same from inside the cluster and from a
 * developer's machine, with the operator's own credentials (RBAC: services/proxy), and logs in with
 * the environment's {@code airflow-login}. Nothing read here is logged or kept but the commit.
 */
class AirflowApi {

  /** What Airflow reported: the loaded commit, or why it could not be learnt. */
  record LoadedRevision(String sha, String problem) {
    static LoadedRevision of(String sha) {
      return new LoadedRevision(sha, null);
    }

    static LoadedRevision unknown(String problem) {
      return new LoadedRevision(null, problem);
    }
  }

  // Short: a reconcile waits for it, and an Airflow that does not answer this fast is asked again
  // later (LoadedRevisionSchedule), not waited for.
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private final KubernetesClient client;

  AirflowApi(KubernetesClient client) {
    this.client = client;
  }

  /**
   * The bundle version of the DAG parsed last: the commit whose DAGs the DAG processor has loaded.
   * Airflow re-parses every file of the bundle when it moves to a new commit, so the newest parse
   * carries the newest commit.
   */
  LoadedRevision loadedRevision(String namespace, String username, String password) {
    try {
      HttpResponse<String> login =
          send(
              request(namespace, "auth/token")
                  .post(
                      "application/json",
                      Serialization.asJson(Map.of("username", username, "password", password))));
      if (login.code() == 401 || login.code() == 403) {
        return LoadedRevision.unknown(
            "Airflow refused the airflow-login credentials (HTTP " + login.code() + ")");
      }
      if (login.code() / 100 != 2) {
        // The API server's proxy answers 503 when it cannot reach the pod, 403 for RBAC.
        return LoadedRevision.unknown(
            "Airflow's API could not be reached through the Kubernetes API server (HTTP "
                + login.code()
                + ")");
      }
      String token =
          Serialization.unmarshal(login.body(), JsonNode.class).path("access_token").asText();
      HttpResponse<String> dags =
          send(
              request(namespace, "api/v2/dags?limit=1000")
                  // The API server's proxy drops Authorization headers (they are its own
                  // credentials); Airflow also takes its token from the UI's cookie.
                  .header("Cookie", "_token=" + token));
      if (dags.code() / 100 != 2) {
        return LoadedRevision.unknown("Airflow's DAG list answered HTTP " + dags.code());
      }
      return newestParse(Serialization.unmarshal(dags.body(), JsonNode.class));
    } catch (TimeoutException e) {
      return LoadedRevision.unknown(
          "Airflow's API did not answer within " + TIMEOUT.toSeconds() + " s");
    } catch (ExecutionException e) {
      return LoadedRevision.unknown("Airflow's API could not be reached: " + rootMessage(e));
    } catch (RuntimeException e) {
      return LoadedRevision.unknown(
          "Airflow's API answered something unexpected: " + rootMessage(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return LoadedRevision.unknown("interrupted");
    }
  }

  static LoadedRevision newestParse(JsonNode dags) {
    String newest = null;
    String sha = null;
    for (JsonNode dag : dags.path("dags")) {
      String parsed = dag.path("last_parsed_time").asText(null);
      String version = dag.path("bundle_version").asText(null);
      if (parsed != null && version != null && (newest == null || parsed.compareTo(newest) > 0)) {
        newest = parsed;
        sha = version;
      }
    }
    return sha == null
        ? LoadedRevision.unknown("Airflow has not loaded any DAG of the branch yet")
        : LoadedRevision.of(sha);
  }

  private HttpRequest.Builder request(String namespace, String path) {
    String base = client.getMasterUrl().toString();
    return client
        .getHttpClient()
        .newHttpRequestBuilder()
        .timeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .uri(
            base
                + (base.endsWith("/") ? "" : "/")
                + "api/v1/namespaces/"
                + namespace
                + "/services/http:"
                + Components.UI_SERVICE
                + ":http/proxy/"
                + path);
  }

  private HttpResponse<String> send(HttpRequest.Builder request)
      throws InterruptedException, ExecutionException, TimeoutException {
    return client
        .getHttpClient()
        .sendAsync(request.build(), String.class)
        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return Optional.ofNullable(root.getMessage()).orElse(root.getClass().getSimpleName());
  }
}
