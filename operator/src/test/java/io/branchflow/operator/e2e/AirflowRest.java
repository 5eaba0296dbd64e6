package io.branchflow.operator.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A DAG author's view of an environment's Airflow 3: its REST API, logged in with the environment's
 * airflow-login. Reached through the Kubernetes API server's service proxy, so it works from
 * wherever the tests run; the proxy drops Authorization headers, so the token travels in Airflow's
 * UI cookie.
 */
final class AirflowRest {

  /** HTTP status and body of one call. */
  record Answer(int status, String body) {
    JsonNode json() {
      return Serialization.unmarshal(body, JsonNode.class);
    }
  }

  private final KubernetesClient client;
  private final String base;
  private String token;

  AirflowRest(KubernetesClient client, String namespace) {
    this.client = client;
    String master = client.getMasterUrl().toString();
    this.base =
        master
            + (master.endsWith("/") ? "" : "/")
            + "api/v1/namespaces/"
            + namespace
            + "/services/http:airflow-ui:http/proxy/";
  }

  /** POST /auth/token; keeps the token for later calls. */
  Answer login(String username, String password) {
    Answer answer =
        call(
            "POST",
            "auth/token",
            Serialization.asJson(Map.of("username", username, "password", password)));
    if (answer.status() / 100 == 2) {
      token = answer.json().path("access_token").asText();
    }
    return answer;
  }

  Answer health() {
    return call("GET", "api/v2/monitor/health", null);
  }

  /** The status of the DAG list, for "closed without a login". */
  int dagIdsStatus() {
    return call("GET", "api/v2/dags?limit=1", null).status();
  }

  List<String> dagIds() {
    List<String> ids = new ArrayList<>();
    ok(call("GET", "api/v2/dags?limit=1000", null))
        .json()
        .path("dags")
        .forEach(d -> ids.add(d.path("dag_id").asText()));
    return ids;
  }

  /** Unpauses the DAG and starts a run; returns the run id. */
  String trigger(String dagId) {
    ok(call("PATCH", "api/v2/dags/" + dagId, "{\"is_paused\": false}"));
    return ok(call("POST", "api/v2/dags/" + dagId + "/dagRuns", "{\"logical_date\": null}"))
        .json()
        .path("dag_run_id")
        .asText();
  }

  /** The newest {@code limit} entries of Airflow's event log, newest first. */
  JsonNode eventLog(int limit) {
    return ok(call("GET", "api/v2/eventLogs?order_by=-when&limit=" + limit, null))
        .json()
        .path("event_logs");
  }

  String runState(String dagId, String runId) {
    return ok(call("GET", "api/v2/dags/" + dagId + "/dagRuns/" + encode(runId), null))
        .json()
        .path("state")
        .asText();
  }

  /** The task's log (first try) as the UI shows it: one line per event. */
  String taskLog(String dagId, String runId, String taskId) {
    JsonNode content =
        ok(call(
                "GET",
                "api/v2/dags/"
                    + dagId
                    + "/dagRuns/"
                    + encode(runId)
                    + "/taskInstances/"
                    + taskId
                    + "/logs/1?full_content=true",
                null))
            .json()
            .path("content");
    StringBuilder text = new StringBuilder();
    content.forEach(
        line ->
            text.append(line.isTextual() ? line.asText() : line.path("event").asText())
                .append('\n'));
    return text.toString();
  }

  private Answer call(String method, String path, String json) {
    HttpRequest.Builder request =
        client
            .getHttpClient()
            .newHttpRequestBuilder()
            .uri(base + path)
            .timeout(30, TimeUnit.SECONDS);
    if (json != null) {
      request.method(method, "application/json", json);
    } else if (!"GET".equals(method)) {
      request.method(method, "application/json", "");
    }
    request.header("Accept", "application/json");
    if (token != null) {
      request.header("Cookie", "_token=" + token);
    }
    try {
      HttpResponse<String> response =
          client.getHttpClient().sendAsync(request.build(), String.class).get(60, TimeUnit.SECONDS);
      return new Answer(response.code(), response.body());
    } catch (Exception e) {
      throw new IllegalStateException(method + " " + path + " failed: " + e, e);
    }
  }

  private static Answer ok(Answer answer) {
    if (answer.status() / 100 != 2) {
      throw new IllegalStateException(
          "Airflow answered HTTP " + answer.status() + ": " + answer.body());
    }
    return answer;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
