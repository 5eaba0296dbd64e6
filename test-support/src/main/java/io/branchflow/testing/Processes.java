package io.branchflow.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a command line tool (kubectl, helm) to completion and returns what it printed. */
public final class Processes {

  private Processes() {}

  /**
   * Runs {@code command}; returns its standard output, or throws {@link ProcessFailedException}
   * carrying standard error when it exits non-zero.
   */
  public static String run(List<String> command, Duration timeout) {
    String name = fileName(command.get(0));
    try {
      Process process = new ProcessBuilder(command).start();
      process.getOutputStream().close();
      // Read stderr on its own thread: a full pipe would otherwise block the tool.
      CompletableFuture<String> stderr = new CompletableFuture<>();
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
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(name + " " + args(command) + " hung");
      }
      drain.join();
      if (process.exitValue() != 0) {
        throw new ProcessFailedException(
            name + " " + args(command), process.exitValue(), stderr.join());
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + name, e);
    }
  }

  private static String fileName(String binary) {
    return java.nio.file.Path.of(binary).getFileName().toString();
  }

  private static String args(List<String> command) {
    return String.join(" ", command.subList(1, command.size()));
  }

  /** The tool exited non-zero; carries what it printed on stderr. */
  public static final class ProcessFailedException extends RuntimeException {
    private final String stderr;

    ProcessFailedException(String commandLine, int exitCode, String stderr) {
      super(commandLine + " exited " + exitCode + ": " + stderr.strip());
      this.stderr = stderr;
    }

    public String stderr() {
      return stderr;
    }
  }
}
