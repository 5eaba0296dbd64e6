package io.branchflow.receiver;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;

/** {@code branchflow_webhook_deliveries_total{event, status}} on {@code /q/metrics}. */
@ApplicationScoped
public class DeliveryMetrics {

  /** Events GitHub sends that are worth a tag of their own; others count as "other". */
  private static final Set<String> KNOWN =
      Set.of("ping", "push", "create", "delete", "pull_request");

  private final MeterRegistry registry;

  DeliveryMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void count(String event, int status) {
    Counter.builder("branchflow.webhook.deliveries")
        .description("GitHub webhook deliveries by event and HTTP status answered")
        .tag("event", KNOWN.contains(event) ? event : "other")
        .tag("status", Integer.toString(status))
        .register(registry)
        .increment();
  }
}
