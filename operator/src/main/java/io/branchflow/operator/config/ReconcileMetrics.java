package io.branchflow.operator.config;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * JOSDK's reconcile metrics per controller, not per resource. The extension's default collects
 * meters for every WorkflowEnvironment (timers with histograms, kept a while after deletion): at
 * 1,000 environments rendering {@code /q/metrics} alone ran the operator's 384 MiB heap out of
 * memory (make bench, docs/benchmarks.md). Per-controller counters say the same about the
 * operator's health; per-environment state is in each environment's status.
 */
@Singleton
public class ReconcileMetrics implements MeterBinder {

  private volatile Metrics metrics = Metrics.NOOP;

  @Override
  public void bindTo(MeterRegistry registry) {
    metrics = MicrometerMetrics.withoutPerResourceMetrics(registry);
  }

  /** Replaces the extension's default bean; asked for when JOSDK is configured, after binding. */
  @Produces
  Metrics metrics() {
    return metrics;
  }
}
