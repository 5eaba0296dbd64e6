package io.branchflow.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The real kubectl binary, pointed at a test cluster: what users see is what tests check. */
public final class Kubectl {

  private final Path binary;
  private final Path kubeconfig;

  Kubectl(Path binary, Path kubeconfig) {
    this.binary = binary;
    this.kubeconfig = kubeconfig;
  }

  /**
   * Runs kubectl with the given arguments and returns its standard output; throws {@link
   * Processes.ProcessFailedException} with its standard error when it fails.
   */
  public String run(String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.add("--kubeconfig=" + kubeconfig);
    command.addAll(List.of(args));
    return Processes.run(command, Duration.ofMinutes(2));
  }
}
