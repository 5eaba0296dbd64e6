package io.branchflow.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Nearest-rank percentiles of a sample of durations in milliseconds. */
record Stats(int count, double p50, double p95, double p99, double max, double mean) {

  static Stats of(List<Double> values) {
    if (values.isEmpty()) {
      return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    double sum = 0;
    for (double v : sorted) {
      sum += v;
    }
    return new Stats(
        sorted.size(),
        rank(sorted, 50),
        rank(sorted, 95),
        rank(sorted, 99),
        sorted.get(sorted.size() - 1),
        sum / sorted.size());
  }

  private static double rank(List<Double> sorted, int percentile) {
    int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", count);
    m.put("p50", round(p50));
    m.put("p95", round(p95));
    m.put("p99", round(p99));
    m.put("max", round(max));
    m.put("mean", round(mean));
    return m;
  }

  static double round(double v) {
    return Double.isNaN(v) ? Double.NaN : Math.round(v * 100) / 100.0;
  }
}
