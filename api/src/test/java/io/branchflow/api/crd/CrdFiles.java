package io.branchflow.api.crd;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The CRD files of a directory: {@code crds/} or the released copies the build compares with. */
public final class CrdFiles {

  private CrdFiles() {}

  /** Names of the YAML files in {@code dir}, sorted; none when it does not exist. */
  public static List<String> names(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".yml") || n.endsWith(".yaml"))
          .sorted()
          .toList();
    }
  }

  /** Every CRD in {@code dir}, one a file. */
  public static List<CustomResourceDefinition> read(Path dir) {
    try {
      List<CustomResourceDefinition> crds = new ArrayList<>();
      for (String name : names(dir)) {
        try (InputStream in = Files.newInputStream(dir.resolve(name))) {
          crds.add(Serialization.unmarshal(in, CustomResourceDefinition.class));
        }
      }
      return crds;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CRDs in " + dir, e);
    }
  }
}
