package io.branchflow.api.unit;

import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.crd.CrdCompatibility;
import io.branchflow.api.crd.CrdFiles;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Users upgrade the chart over CRDs and objects of an earlier release: the committed CRDs must
 * accept, and keep, what every released one did. {@code released-crds/<chart version>/} holds the
 * CRDs as each release shipped them; {@code make crd-baseline} adds the current ones at a release.
 * A break made on purpose (say with a new API version, in the release notes) is listed, finding by
 * finding, in that release's {@code accepted-breaks.txt}, with the reason in a comment above it.
 */
class ReleasedCrdsCompatibilityTest {

  private static final Path RELEASED = Path.of("src", "test", "resources", "released-crds");
  private static final Path COMMITTED = Path.of("..", "crds");

  @Test
  void committedCrdsAcceptWhatEveryReleasedOneDid() throws IOException {
    List<Path> releases = releases();
    assertThat(releases)
        .as("released CRDs in api/%s (`make crd-baseline` keeps them at a release)", RELEASED)
        .isNotEmpty();
    List<CustomResourceDefinition> committed = CrdFiles.read(COMMITTED);

    List<String> problems = new ArrayList<>();
    for (Path release : releases) {
      List<String> findings = CrdCompatibility.breakingChanges(CrdFiles.read(release), committed);
      List<String> accepted = acceptedBreaks(release);
      String since = "since " + release.getFileName() + ": ";
      findings.stream().filter(f -> !accepted.contains(f)).forEach(f -> problems.add(since + f));
      accepted.stream()
          .filter(a -> !findings.contains(a))
          .forEach(
              a -> problems.add(since + "accepted-breaks.txt lists what no longer breaks: " + a));
    }
    assertThat(problems)
        .as(
            "crds/ must stay compatible with the released CRDs in api/%s (docs/operating.md,"
                + " Upgrades)",
            RELEASED)
        .isEmpty();
  }

  private static List<Path> releases() throws IOException {
    try (Stream<Path> dirs = Files.list(RELEASED)) {
      return dirs.filter(Files::isDirectory).sorted().toList();
    }
  }

  /** Lines of the release's accepted-breaks.txt that are not comments. */
  private static List<String> acceptedBreaks(Path release) throws IOException {
    Path file = release.resolve("accepted-breaks.txt");
    if (!Files.exists(file)) {
      return List.of();
    }
    return Files.readAllLines(file).stream()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .toList();
  }
}
