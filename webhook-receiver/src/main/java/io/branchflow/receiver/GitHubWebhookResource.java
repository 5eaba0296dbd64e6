package io.branchflow.receiver;

import com.fasterxml.jackson.databind.JsonNode;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * {@code POST /webhooks/github}. Checks run cheapest first and each refusal has its own status: 413
 * too large, 415 not JSON, 401 unsigned or signed by no registered secret (before any parsing), 400
 * malformed, 404 unknown repository, 401 signed by another repository's secret, 400 wrong shape;
 * only then does anything change. See docs/events-in.md.
 */
@Path("/webhooks/github")
public class GitHubWebhookResource {

  private static final Logger LOG = Logger.getLogger(GitHubWebhookResource.class);

  private final RepositoryDirectory repositories;
  private final DeliveryHandler handler;
  private final DeliveryMetrics metrics;
  private final DeliveryParser parser = new DeliveryParser();
  private final long maxBodyBytes;

  GitHubWebhookResource(
      RepositoryDirectory repositories,
      DeliveryHandler handler,
      DeliveryMetrics metrics,
      @ConfigProperty(name = "branchflow.webhook.max-body-bytes") long maxBodyBytes) {
    this.repositories = repositories;
    this.handler = handler;
    this.metrics = metrics;
    this.maxBodyBytes = maxBodyBytes;
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  public Response receive(
      byte[] body,
      @HeaderParam("Content-Type") String contentType,
      @HeaderParam("X-GitHub-Event") String event,
      @HeaderParam("X-GitHub-Delivery") String deliveryId,
      @HeaderParam("X-Hub-Signature-256") String signature) {
    String id = sanitize(deliveryId);
    String eventName = sanitize(event);
    try {
      Response response = process(body, contentType, event, id, signature);
      metrics.count(eventName, response.getStatus());
      return response;
    } catch (Rejection r) {
      LOG.infof("delivery %s (%s) refused with %d: %s", id, eventName, r.status(), r.getMessage());
      metrics.count(eventName, r.status());
      return json(r.status(), Map.of("error", r.getMessage()));
    } catch (KubernetesClientException e) {
      // The cluster, not the delivery, is at fault: GitHub shows the failure; redeliver later.
      LOG.warnf("delivery %s (%s): Kubernetes API error %d", id, eventName, e.getCode());
      metrics.count(eventName, 503);
      return json(503, Map.of("error", "cluster unavailable; redeliver later"));
    }
  }

  private Response process(
      byte[] body, String contentType, String event, String id, String signature) {
    if (body == null) {
      body = new byte[0];
    }
    if (body.length > maxBodyBytes) {
      throw new Rejection(413, "body larger than " + maxBodyBytes + " bytes");
    }
    if (!isJson(contentType)) {
      throw new Rejection(
          415, "Content-Type must be application/json (set it in the webhook's settings)");
    }
    if (signature == null || signature.isBlank()) {
      throw new Rejection(401, "X-Hub-Signature-256 is missing; set a secret on the webhook");
    }
    // The signature before the body is parsed: whoever cannot sign reaches no JSON parser. It is
    // checked against every registered repository's secret (repositories are few, HMAC is cheap),
    // so the body need not be read to learn whose secret to use.
    List<WorkflowRepository> signers = repositories.signedBy(body, signature);
    if (signers.isEmpty()) {
      throw new Rejection(401, "signature does not match the webhook secret of any repository");
    }
    JsonNode root = parser.read(body);
    String fullName = parser.repository(root);
    List<WorkflowRepository> named = repositories.find(fullName);
    if (named.isEmpty()) {
      throw new Rejection(404, "no WorkflowRepository for " + fullName);
    }
    // By name: the informer may have replaced an object (a status write) since signedBy.
    java.util.Set<String> signerNames =
        signers.stream()
            .map(r -> r.getMetadata().getName())
            .collect(java.util.stream.Collectors.toSet());
    List<WorkflowRepository> verified =
        named.stream().filter(r -> signerNames.contains(r.getMetadata().getName())).toList();
    if (verified.isEmpty()) {
      // Signed with the secret of another repository: not this one's delivery.
      throw new Rejection(401, "signature does not match the webhook secret of " + fullName);
    }
    Delivery delivery = parser.parse(event, root);
    return switch (delivery.kind()) {
      case PING -> json(200, Map.of("status", "pong"));
      case IGNORED -> {
        if (delivery.ignoredBecause() != null) {
          LOG.infof(
              "delivery %s (%s) ignored: %s", id, delivery.event(), delivery.ignoredBecause());
          yield json(202, Map.of("status", "ignored: " + delivery.ignoredBecause()));
        }
        yield json(202, Map.of("status", "ignored: no branch change"));
      }
      case PULL_REQUEST_OPENED -> {
        List<DeliveryHandler.Result> results = handler.handle(delivery, verified, id);
        boolean noted =
            results.stream()
                .anyMatch(r -> DeliveryHandler.PULL_REQUEST_NOTED.contains(r.outcome()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(
            "status",
            noted
                ? "applied: the operator comments on the branch's pull requests"
                : "ignored: the branch has no environment");
        out.put("results", results);
        yield json(noted ? 200 : 202, out);
      }
      default -> {
        List<DeliveryHandler.Result> results = handler.handle(delivery, verified, id);
        boolean acted = results.stream().anyMatch(r -> r.environment() != null);
        Map<String, Object> out = new LinkedHashMap<>();
        if (delivery.kind() == Delivery.Kind.BRANCH_DELETED && acted) {
          // Accepted, not done: the resync confirms with the Git host before anything is deleted.
          out.put("status", "accepted: deletion left to the resync, which confirms it with git");
          out.put("results", results);
          yield json(202, out);
        }
        out.put("status", acted ? "applied" : "ignored: branch does not match the pattern");
        out.put("results", results);
        yield json(acted ? 200 : 202, out);
      }
    };
  }

  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
    return type.equals("application/json");
  }

  /** Header values end up in logs and metric tags: keep them short and printable. */
  private static String sanitize(String value) {
    return Optional.ofNullable(value)
        .map(v -> v.replaceAll("[^A-Za-z0-9_.-]", "?"))
        .map(v -> v.length() > 64 ? v.substring(0, 64) : v)
        .filter(v -> !v.isEmpty())
        .orElse("-");
  }

  private static Response json(int status, Object entity) {
    return Response.status(status).type(MediaType.APPLICATION_JSON).entity(entity).build();
  }
}
