package io.branchflow.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Requests the API server has answered, from its own counter {@code apiserver_request_total} on
 * {@code /metrics}, by verb and resource. The difference of two snapshots is what every client did
 * in between: counted where nothing can hide from it, without instrumenting the operator.
 *
 * <p>Watches are left out: a watch is counted when it ends, which says nothing about the work in
 * the window it happens to end in.
 */
final class ApiServerRequests {

  private static final Pattern SAMPLE =
      Pattern.compile("^apiserver_request_total\\{([^}]*)}\\s+(\\S+)$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private final KubernetesClient client;

  ApiServerRequests(KubernetesClient client) {
    this.client = client;
  }

  /** Requests answered so far, by "VERB resource[/subresource]"; empty if /metrics is refused. */
  Map<String, Long> snapshot() {
    String text;
    try {
      text = client.raw("/metrics");
    } catch (RuntimeException e) {
      return Map.of();
    }
    Map<String, Long> counts = new TreeMap<>();
    if (text == null) {
      return counts;
    }
    for (String line : text.split("\n")) {
      Matcher sample = SAMPLE.matcher(line);
      if (!sample.matches()) {
        continue;
      }
      Map<String, String> labels = new LinkedHashMap<>();
      Matcher label = LABEL.matcher(sample.group(1));
      while (label.find()) {
        labels.put(label.group(1), label.group(2));
      }
      String verb = labels.getOrDefault("verb", "");
      if (verb.equals("WATCH")
          || verb.equals("CONNECT")
          || labels.containsKey("dry_run") && !labels.get("dry_run").isEmpty()) {
        continue;
      }
      String sub = labels.getOrDefault("subresource", "");
      String key =
          verb + " " + labels.getOrDefault("resource", "") + (sub.isEmpty() ? "" : "/" + sub);
      counts.merge(key, (long) Double.parseDouble(sample.group(2)), Long::sum);
    }
    return counts;
  }

  /** What was answered between two snapshots, the keys with none left out. */
  static Map<String, Long> between(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> diff = new TreeMap<>();
    after.forEach(
        (key, count) -> {
          long d = count - before.getOrDefault(key, 0L);
          if (d > 0) {
            diff.put(key, d);
          }
        });
    return diff;
  }

  /** The part of {@code requests} on the given resources (with or without a subresource). */
  static Map<String, Long> on(Map<String, Long> requests, Set<String> resources) {
    Map<String, Long> out = new TreeMap<>();
    requests.forEach(
        (key, count) -> {
          String resource = key.substring(key.indexOf(' ') + 1).split("/")[0];
          if (resources.contains(resource)) {
            out.put(key, count);
          }
        });
    return out;
  }

  static long total(Map<String, Long> requests) {
    return requests.values().stream().mapToLong(Long::longValue).sum();
  }
}
