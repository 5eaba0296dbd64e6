package io.branchflow.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator or the receiver, started from its packaged {@code quarkus-run.jar} as its own
 * process, so its memory and CPU are its alone: RSS from {@code /proc/<pid>/status}, CPU from
 * {@code /proc/<pid>/stat}, heap from its Prometheus endpoint.
 */
final class ManagedProcess implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private static final long CLK_TCK = clockTicks();

  final String name;
  final int port;
  final Path log;
  private final Process process;

  private ManagedProcess(String name, int port, Path log, Process process) {
    this.name = name;
    this.port = port;
    this.log = log;
    this.process = process;
  }

  static ManagedProcess start(
      String name, Path jar, List<String> jvmOptions, Map<String, String> env, int port, Path log) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-Dquarkus.profile=local");
    // The local profile logs io.branchflow at DEBUG; a benchmark measures what production logs.
    command.add("-Dquarkus.log.category.\"io.branchflow\".level=INFO");
    command.add("-jar");
    command.add(jar.toString());
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    try {
      Process process = builder.start();
      ManagedProcess started = new ManagedProcess(name, port, log, process);
      Runtime.getRuntime().addShutdownHook(new Thread(started::close));
      return started;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name, e);
    }
  }

  long pid() {
    return process.pid();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  /** Polls /q/health/ready with a deadline; fails at once if the process exits. */
  void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited; log: " + log);
      }
      try {
        if (get("/q/health/ready").statusCode() == 200) {
          return;
        }
      } catch (RuntimeException notYet) {
        // not listening yet
      }
      pause(200);
    }
    throw new IllegalStateException(name + " not ready after " + timeout + "; log: " + log);
  }

  HttpResponse<String> get(String path) {
    try {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Resident set size (VmRSS). */
  long rssBytes() {
    return statusKib("VmRSS") * 1024;
  }

  /** Peak resident set size so far (VmHWM): what a container's memory limit is measured against. */
  long peakRssBytes() {
    return statusKib("VmHWM") * 1024;
  }

  /** A "Field: N kB" line of /proc/<pid>/status. */
  private long statusKib(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", "" + pid(), "status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("no " + field + " for " + name);
  }

  /**
   * Reconcile passes of WorkflowEnvironments the operator finished so far (JOSDK's counter on
   * /q/metrics), or -1 when it does not report them.
   */
  long environmentPasses() {
    double sum = 0;
    boolean found = false;
    for (String line : get("/q/metrics").body().split("\n")) {
      if (line.startsWith("operator_sdk_reconciliations_success_total")
          && line.toLowerCase(java.util.Locale.ROOT).contains("workflowenvironment")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        found = true;
      }
    }
    return found ? (long) sum : -1;
  }

  /** User + system CPU seconds the process has used so far. */
  double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc", "" + pid(), "stat"));
      // Fields after the command name (which may hold spaces): state is field 3, utime 14.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLK_TCK;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sum of jvm_memory_used_bytes{area="heap"} over the heap pools, from /q/metrics. */
  long heapUsedBytes() {
    double sum = 0;
    for (String line : get("/q/metrics").body().split("\n")) {
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return (long) sum;
  }

  /** A full GC through jcmd, so the heap figure after it is the live set, not garbage. */
  void gc() {
    Commands.run(Duration.ofSeconds(30), "jcmd", "" + pid(), "GC.run");
  }

  /**
   * RSS, heap used, and heap used right after a full GC. A process too busy to answer (a JVM out of
   * heap answers /q/metrics late or not at all) is recorded as such, not fatal.
   */
  Map<String, Object> memory() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rssBytes", rssBytes());
    try {
      m.put("heapUsedBytes", heapUsedBytes());
      gc();
      m.put("heapUsedAfterGcBytes", heapUsedBytes());
    } catch (RuntimeException e) {
      m.put("heapError", e.toString());
    }
    m.put("rssAfterGcBytes", rssBytes());
    m.put("peakRssBytes", peakRssBytes());
    m.put("cpuSeconds", Stats.round(cpuSeconds()));
    m.put("outOfMemoryErrorsInLog", outOfMemoryErrors());
    return m;
  }

  /**
   * The live heap by class (jcmd GC.class_histogram, after a full GC): the whole histogram goes to
   * {@code file}, the {@code top} largest classes into the figures, so a memory figure can be read
   * as what holds it.
   */
  List<Map<String, Object>> heapHistogram(Path file, int top) {
    List<Map<String, Object>> rows = new ArrayList<>();
    try {
      String text = Commands.run(Duration.ofSeconds(60), "jcmd", "" + pid(), "GC.class_histogram");
      Files.writeString(file, text);
      // " num:  #instances  #bytes  class name (module)"
      for (String line : text.split("\n")) {
        String[] f = line.trim().split("\\s+");
        if (f.length >= 4 && f[0].endsWith(":") && rows.size() < top) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("class", f[3]);
          row.put("instances", Long.parseLong(f[1]));
          row.put("bytes", Long.parseLong(f[2]));
          rows.add(row);
        }
      }
    } catch (RuntimeException | IOException e) {
      rows.add(Map.of("error", e.toString()));
    }
    return rows;
  }

  /** How many times the process logged java.lang.OutOfMemoryError so far. */
  long outOfMemoryErrors() {
    try (var lines = Files.lines(log, java.nio.charset.StandardCharsets.ISO_8859_1)) {
      return lines.filter(l -> l.contains("java.lang.OutOfMemoryError")).count();
    } catch (IOException | java.io.UncheckedIOException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static long clockTicks() {
    try {
      return Long.parseLong(Commands.run(Duration.ofSeconds(5), "getconf", "CLK_TCK").strip());
    } catch (RuntimeException e) {
      return 100;
    }
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
