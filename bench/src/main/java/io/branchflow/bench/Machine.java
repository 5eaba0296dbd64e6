package io.branchflow.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The machine the figures were taken on: they mean little without it. */
final class Machine {

  private Machine() {}

  static Map<String, Object> facts() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", Runtime.getRuntime().availableProcessors());
    m.put("memTotalBytes", memTotal());
    m.put("cpuModel", cpuModel());
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    // Other work on the machine skews every figure; the load average says whether there was any.
    m.put("loadAverageAtStart", loadAverage());
    return m;
  }

  /** The 1-minute load average. */
  static String loadAverage() {
    return read("/proc/loadavg").split(" ")[0];
  }

  private static long memTotal() {
    for (String line : read("/proc/meminfo").split("\n")) {
      if (line.startsWith("MemTotal:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }

  private static String cpuModel() {
    for (String line : read("/proc/cpuinfo").split("\n")) {
      if (line.startsWith("model name")) {
        return line.substring(line.indexOf(':') + 1).strip();
      }
    }
    return "unknown";
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file));
    } catch (IOException e) {
      return "";
    }
  }
}
