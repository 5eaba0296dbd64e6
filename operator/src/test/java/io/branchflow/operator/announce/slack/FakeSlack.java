package io.branchflow.operator.announce.slack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.branchflow.operator.announce.FakeApi;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * WireMock answering like Slack's Web API: {@code chat.postMessage} (a new {@code ts} per message)
 * and {@code chat.update}, HTTP 200 with {@code ok: true}; or, on demand, an error.
 */
public final class FakeSlack extends FakeApi {

  public static final String CHANNEL_ID = "C0123ABCDEF";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One call as the operator made it: the form fields, attachments parsed. */
  public record Call(String method, Map<String, String> form) {
    public String channel() {
      return form.get("channel");
    }

    public String ts() {
      return form.get("ts");
    }

    public String threadTs() {
      return form.get("thread_ts");
    }

    public String text() {
      return form.get("text");
    }

    public JsonNode attachment() {
      try {
        return JSON.readTree(form.get("attachments")).get(0);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new UncheckedIOException(e);
      }
    }

    public String color() {
      return attachment().get("color").asText();
    }

    /** Every text in the attachment's blocks, joined: for "shows X" checks. */
    public String blocksText() {
      return attachment().get("blocks").toString();
    }

    /** The URL of the button with {@code action_id}, or null. */
    public String buttonUrl(String actionId) {
      for (JsonNode block : attachment().get("blocks")) {
        for (JsonNode element : block.path("elements")) {
          if (actionId.equals(element.path("action_id").asText())) {
            return element.path("url").asText();
          }
        }
      }
      return null;
    }
  }

  private final Messages messages;

  public FakeSlack() {
    this(new Messages());
  }

  private FakeSlack(Messages messages) {
    super(options().extensions(messages));
    this.messages = messages;
    for (String method : List.of("chat.postMessage", "chat.update")) {
      server.stubFor(
          post(urlPathEqualTo("/api/" + method))
              .atPriority(5)
              .willReturn(aResponse().withTransformers(Messages.NAME)));
    }
  }

  /** The Web API prefix the Slack client is configured with. */
  public String apiUrl() {
    return url() + "/api/";
  }

  /** Calls Slack accepted (ok: true), oldest first; failed ones are only in the journal. */
  public List<Call> calls() {
    synchronized (messages.accepted) {
      return List.copyOf(messages.accepted);
    }
  }

  /** Accepted top-level posts (not thread replies), oldest first: the n-th got {@link #ts}(n). */
  public List<Call> posts() {
    return calls().stream()
        .filter(c -> c.method().equals("chat.postMessage") && c.threadTs() == null)
        .toList();
  }

  public List<Call> updates(String ts) {
    return calls().stream()
        .filter(c -> c.method().equals("chat.update") && ts.equals(c.ts()))
        .toList();
  }

  public List<Call> replies(String ts) {
    return calls().stream()
        .filter(c -> c.method().equals("chat.postMessage") && ts.equals(c.threadTs()))
        .toList();
  }

  /** The ts Slack gave the {@code n}th top-level post (1-based), as the fake numbers them. */
  public static String ts(int n) {
    return "1700000000.%06d".formatted(n);
  }

  private static Call call(LoggedRequest r) {
    Map<String, String> form = new LinkedHashMap<>();
    for (String pair : r.getBodyAsString().split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      String[] kv = pair.split("=", 2);
      form.put(
          URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
          kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    return new Call(r.getUrl().replaceAll("^/api/|[?].*$", ""), form);
  }

  private static final class Messages implements ResponseDefinitionTransformerV2 {
    static final String NAME = "slack-messages";
    private final AtomicInteger posted = new AtomicInteger();
    final List<Call> accepted = new java.util.ArrayList<>();

    @Override
    public ResponseDefinition transform(ServeEvent event) {
      Call call = call(event.getRequest());
      synchronized (accepted) {
        accepted.add(call);
      }
      String ts;
      if (call.method().equals("chat.update")) {
        ts = call.ts();
      } else {
        ts = call.threadTs() == null ? ts(posted.incrementAndGet()) : "1700000999.000001";
      }
      String body =
          """
          {"ok": true, "channel": "%s", "ts": "%s",
           "message": {"type": "message", "subtype": "bot_message", "text": "", "ts": "%s",
                       "bot_id": "B0123456"}}
          """
              .formatted(CHANNEL_ID, ts, ts);
      return aResponse()
          .withStatus(200)
          .withHeader("Content-Type", "application/json; charset=utf-8")
          .withBody(body)
          .build();
    }

    @Override
    public String getName() {
      return NAME;
    }

    @Override
    public boolean applyGlobally() {
      return false;
    }
  }
}
