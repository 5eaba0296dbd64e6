package io.branchflow.api.unit;

import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.crd.CrdFiles;
import io.branchflow.api.crd.CrdGeneration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CRDs users install (and the chart ships) are the committed files in {@code crds/}; this fails
 * when they no longer match the model. {@code make crds} regenerates them by running this test with
 * {@code -Dbranchflow.crds.update=true}.
 */
class CommittedCrdsTest {

  private static final Path COMMITTED = Path.of("..", "crds");

  @Test
  void committedCrdsMatchTheModel(@TempDir Path generated) throws IOException {
    CrdGeneration.generateInto(generated);
    if (Boolean.getBoolean("branchflow.crds.update")) {
      replaceCommitted(generated);
    }

    List<String> names = CrdFiles.names(generated);
    assertThat(CrdFiles.names(COMMITTED))
        .as("CRD files in crds/ (run `make crds` to regenerate)")
        .containsExactlyElementsOf(names);
    for (String name : names) {
      assertThat(Files.readString(COMMITTED.resolve(name)))
          .as("crds/%s is stale: run `make crds` and commit the result", name)
          .isEqualTo(Files.readString(generated.resolve(name)));
    }
  }

  private static void replaceCommitted(Path generated) throws IOException {
    Files.createDirectories(COMMITTED);
    for (String stale : CrdFiles.names(COMMITTED)) {
      Files.delete(COMMITTED.resolve(stale));
    }
    for (String name : CrdFiles.names(generated)) {
      Files.copy(generated.resolve(name), COMMITTED.resolve(name));
    }
  }
}
