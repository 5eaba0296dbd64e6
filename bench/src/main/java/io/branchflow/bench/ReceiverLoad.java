package io.branchflow.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed GitHub {@code push} deliveries, each for a new branch, posted to the receiver over
 * loopback by this (separate) JVM. The receiver answers only after it has written the
 * WorkflowEnvironment, so request-to-answer is request-to-WorkflowEnvironment-written.
 */
final class ReceiverLoad {

  private final URI endpoint;
  private final String secret;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  ReceiverLoad(URI endpoint, String secret) {
    this.endpoint = endpoint;
    this.secret = secret;
  }

  record Delivery(String id, byte[] body, String signature) {}

  /** Bodies and signatures are made before the clock starts: only the receiver is timed. */
  List<Delivery> deliveries(String prefix, int count) {
    List<Delivery> out = new ArrayList<>(count);
    long pushedAt = Instant.now().getEpochSecond();
    for (int i = 0; i < count; i++) {
      String branch = "feature/" + prefix + "-" + i;
      String sha =
          HexFormat.of().formatHex(UUID.randomUUID().toString().getBytes()).substring(0, 40);
      String body =
          "{\"ref\":\"refs/heads/"
              + branch
              + "\",\"before\":\"0000000000000000000000000000000000000000\",\"after\":\""
              + sha
              + "\",\"created\":true,\"deleted\":false,\"forced\":false,"
              + "\"repository\":{\"id\":123456,\"name\":\"dags\",\"full_name\":\""
              + BenchFixtures.REPOSITORY
              + "\",\"private\":false,\"pushed_at\":"
              + pushedAt
              + "},\"pusher\":{\"name\":\"hardy\",\"email\":\"hardy@example.com\"},"
              + "\"sender\":{\"login\":\"hardy\"},"
              + "\"head_commit\":{\"id\":\""
              + sha
              + "\",\"message\":\"bench\"}}";
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      out.add(new Delivery(UUID.randomUUID().toString(), bytes, sign(bytes)));
    }
    return out;
  }

  /** Sends every delivery with {@code concurrency} clients in flight; returns the figures. */
  Map<String, Object> run(List<Delivery> deliveries, int concurrency) {
    List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
    Map<String, AtomicInteger> outcomes = new java.util.concurrent.ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    long start = System.nanoTime();
    for (int t = 0; t < concurrency; t++) {
      pool.submit(
          () -> {
            int i;
            while ((i = next.getAndIncrement()) < deliveries.size()) {
              Delivery d = deliveries.get(i);
              long t0 = System.nanoTime();
              String outcome;
              try {
                HttpResponse<String> response = post(d);
                outcome = response.statusCode() + " " + outcomeOf(response.body());
              } catch (IOException | RuntimeException e) {
                outcome = "error " + e.getClass().getSimpleName();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
              }
              latencies.add((System.nanoTime() - t0) / 1e6);
              outcomes.computeIfAbsent(outcome, k -> new AtomicInteger()).incrementAndGet();
            }
          });
    }
    pool.shutdown();
    try {
      if (!pool.awaitTermination(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException("receiver load did not finish in 10 minutes");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("concurrency", concurrency);
    m.put("deliveries", deliveries.size());
    m.put("seconds", Stats.round(seconds));
    m.put("deliveriesPerSecond", Stats.round(deliveries.size() / seconds));
    m.put("latencyMs", Stats.of(latencies).json());
    Map<String, Integer> counted = new java.util.TreeMap<>();
    outcomes.forEach((k, v) -> counted.put(k, v.get()));
    m.put("outcomes", counted);
    return m;
  }

  private HttpResponse<String> post(Delivery d) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("X-GitHub-Event", "push")
            .header("X-GitHub-Delivery", d.id())
            .header("User-Agent", "GitHub-Hookshot/bench")
            .header("X-Hub-Signature-256", d.signature())
            .POST(HttpRequest.BodyPublishers.ofByteArray(d.body()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String outcomeOf(String body) {
    int i = body.indexOf("\"outcome\":\"");
    if (i < 0) {
      return body.length() > 60 ? body.substring(0, 60) : body;
    }
    int start = i + "\"outcome\":\"".length();
    return body.substring(start, body.indexOf('"', start));
  }

  private String sign(byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }
}
