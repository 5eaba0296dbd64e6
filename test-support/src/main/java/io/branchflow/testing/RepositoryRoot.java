package io.branchflow.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the checkout's top directory, where {@code hack/} and {@code crds/} live. */
public final class RepositoryRoot {

  private RepositoryRoot() {}

  public static Path find() {
    // Maven runs each module's tests with the module as working directory; IDEs may not.
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("hack/local-cluster.sh"))) {
        return d;
      }
    }
    throw new IllegalStateException(
        "cannot find the Branchflow checkout (a directory holding hack/local-cluster.sh) above "
            + dir);
  }
}
