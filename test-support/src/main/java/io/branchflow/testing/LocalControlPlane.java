package io.branchflow.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private etcd + kube-apiserver + controller-manager + scheduler + kwok, started through {@code
 * hack/local-cluster.sh} in a state directory of its own, so that a test run never disturbs a
 * cluster a developer started with {@code make cluster-up}.
 */
final class LocalControlPlane {

  private static final long START_TIMEOUT_MINUTES = 60; // the first run builds from source

  private final Path script;
  private final Path stateDir;

  private LocalControlPlane(Path script, Path stateDir) {
    this.script = script;
    this.stateDir = stateDir;
  }

  static LocalControlPlane start(Path repositoryRoot) {
    try {
      Path stateDir = Files.createTempDirectory("branchflow-test-cluster-");
      LocalControlPlane plane =
          new LocalControlPlane(repositoryRoot.resolve("hack/local-cluster.sh"), stateDir);
      plane.run("up", START_TIMEOUT_MINUTES);
      return plane;
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a state directory for the test cluster", e);
    }
  }

  Path kubeconfig() {
    return stateDir.resolve("kubeconfig");
  }

  Path kubectl() {
    return Path.of(run("kubectl-path", 1).strip());
  }

  /** Stops every process and removes the state (certificates, etcd data, logs). */
  void stop() {
    run("down", 2);
    try (var paths = Files.walk(stateDir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Only temporary files are left behind; the processes are already stopped.
    }
  }

  private String run(String verb, long timeoutMinutes) {
    List<String> command = new ArrayList<>(List.of("bash", script.toString(), verb));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("BRANCHFLOW_CLUSTER_DIR", stateDir.toString());
    // The script's progress (build steps, health waits) goes to the test output as it happens.
    builder.redirectError(ProcessBuilder.Redirect.INHERIT);
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(script + " " + verb + " did not finish in time");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            script + " " + verb + " failed with exit code " + process.exitValue());
      }
      return new String(out);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + script + " " + verb, e);
    }
  }
}
