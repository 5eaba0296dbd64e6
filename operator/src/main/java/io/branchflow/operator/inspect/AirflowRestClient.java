package io.branchflow.operator.inspect;

import com.fasterxml.jackson.databind.JsonNode;
import io.branchflow.operator.desired.Components;
import io.branchflow.operator.desired.SecretObjects;
import io.branchflow.operator.secrets.SecretData;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads an environment's Airflow 3 REST API. It goes through the Kubernetes API server's service
 * proxy, so it works the same from inside the cluster and from a developer's machine, with the
 * operator's own credentials (RBAC: services/proxy), and logs in with the environment's {@code
 * airflow-login}. The token Airflow hands out is kept per namespace and used until Airflow refuses
 * it, so a poll costs one request per endpoint, not a login each time. Nothing read here is logged;
 * the password and token never leave this class.
 */
public class AirflowRestClient {

  /** Why Airflow could not be read; the message is for the status, never carries a secret. */
  public static final class Unavailable extends Exception {
    private final boolean unreachable;

    Unavailable(String message) {
      this(message, false);
    }

    Unavailable(String message, boolean unreachable) {
      super(message);
      this.unreachable = unreachable;
    }

    /**
     * Airflow gave no answer of its own: a timeout, a failed connection, or the API server's proxy
     * unable to reach the pod (HTTP 502, 503, 504). How such an outage shows varies from one
     * request to the next; credentials refused or an odd answer do not.
     */
    public boolean unreachable() {
      return unreachable;
    }
  }

  private static boolean proxyCouldNotReach(int code) {
    return code == 502 || code == 503 || code == 504;
  }

  /** One request waits at most this long: the poller's threads are few and shared. */
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final KubernetesClient client;
  private final Map<String, String> tokens = new ConcurrentHashMap<>();

  public AirflowRestClient(KubernetesClient client) {
    this.client = client;
  }

  /** GET {@code path} (e.g. {@code api/v2/dags?limit=1}) of the Airflow in {@code namespace}. */
  public JsonNode get(String namespace, String path) throws Unavailable {
    String token = tokens.get(namespace);
    if (token == null) {
      token = login(namespace);
    }
    HttpResponse<String> answer = send(request(namespace, path), token);
    if (answer.code() == 401) {
      // Expired, or the environment's Airflow was replaced: log in again once.
      tokens.remove(namespace);
      answer = send(request(namespace, path), login(namespace));
    }
    if (answer.code() / 100 != 2) {
      throw new Unavailable(
          "Airflow's API answered HTTP " + answer.code() + " to GET " + path.split("\\?")[0],
          proxyCouldNotReach(answer.code()));
    }
    try {
      return Serialization.unmarshal(answer.body(), JsonNode.class);
    } catch (RuntimeException e) {
      throw new Unavailable("Airflow's API answered something unexpected: " + rootMessage(e));
    }
  }

  /** Forgets the token of an environment that is gone. */
  public void forget(String namespace) {
    tokens.remove(namespace);
  }

  private String login(String namespace) throws Unavailable {
    Map<String, String> login;
    try {
      login =
          SecretData.decode(
              client.secrets().inNamespace(namespace).withName(SecretObjects.LOGIN_SECRET).get());
    } catch (KubernetesClientException e) {
      throw new Unavailable(
          "could not read Secret " + SecretObjects.LOGIN_SECRET + ": HTTP " + e.getCode());
    }
    if (!login.containsKey("password")) {
      throw new Unavailable("Secret " + SecretObjects.LOGIN_SECRET + " has no password yet");
    }
    HttpResponse<String> answer =
        send(
            request(namespace, "auth/token")
                .post(
                    "application/json",
                    Serialization.asJson(
                        Map.of(
                            "username",
                            login.getOrDefault("username", ""),
                            "password",
                            login.get("password")))),
            null);
    if (answer.code() == 401 || answer.code() == 403) {
      throw new Unavailable(
          "Airflow refused the airflow-login credentials (HTTP " + answer.code() + ")");
    }
    if (answer.code() / 100 != 2) {
      // The API server's proxy answers 503 when it cannot reach the pod, 403 for RBAC.
      throw new Unavailable(
          "Airflow's API could not be reached through the Kubernetes API server (HTTP "
              + answer.code()
              + ")",
          proxyCouldNotReach(answer.code()));
    }
    String token;
    try {
      token = Serialization.unmarshal(answer.body(), JsonNode.class).path("access_token").asText();
    } catch (RuntimeException e) {
      throw new Unavailable("Airflow's login answered something unexpected: " + rootMessage(e));
    }
    tokens.put(namespace, token);
    return token;
  }

  private HttpRequest.Builder request(String namespace, String path) {
    String base = client.getMasterUrl().toString();
    return client
        .getHttpClient()
        .newHttpRequestBuilder()
        .timeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .header("Accept", "application/json")
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

  private HttpResponse<String> send(HttpRequest.Builder request, String token) throws Unavailable {
    if (token != null) {
      // The API server's proxy drops Authorization headers (they are its own credentials);
      // Airflow also takes its token from the UI's cookie.
      request.header("Cookie", "_token=" + token);
    }
    try {
      return client
          .getHttpClient()
          .sendAsync(request.build(), String.class)
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new Unavailable(
          "Airflow's API did not answer within " + TIMEOUT.toSeconds() + " s", true);
    } catch (ExecutionException e) {
      throw new Unavailable("Airflow's API could not be reached: " + rootMessage(e), true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted");
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return Optional.ofNullable(root.getMessage()).orElse(root.getClass().getSimpleName());
  }
}
