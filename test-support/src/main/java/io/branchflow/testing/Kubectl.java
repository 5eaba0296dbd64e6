package io.branchflow.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real kubectl binary, pointed at a test cluster: what users see is what tests check. */
public final class Kubectl {

  private final Path binary;
  private final Path kubeconfig;

  Kubectl(Path binary, Path kubeconfig) {
    this.binary = binary;
    this.kubeconfig = kubeconfig;
  }

  /** Runs kubectl with the given arguments and returns its standard output. */
  public String run(String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.add("--kubeconfig=" + kubeconfig);
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command).start();
      process.getOutputStream().close();
      // Read stderr on its own thread: a full pipe would otherwise block kubectl.
      var stderr = new java.util.concurrent.CompletableFuture<String>();
      Thread drain =
          new Thread(
              () -> {
                try {
                  stderr.complete(
                      new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                  stderr.complete("");
                }
              });
      drain.start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("kubectl " + String.join(" ", args) + " hung");
      }
      drain.join();
      if (process.exitValue() != 0) {
        throw new KubectlException(String.join(" ", args), process.exitValue(), stderr.join());
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + binary, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running kubectl", e);
    }
  }

  /** kubectl exited non-zero; carries what it printed on stderr. */
  public static final class KubectlException extends RuntimeException {
    private final String stderr;

    KubectlException(String args, int exitCode, String stderr) {
      super("kubectl " + args + " exited " + exitCode + ": " + stderr.strip());
      this.stderr = stderr;
    }

    public String stderr() {
      return stderr;
    }
  }
}
