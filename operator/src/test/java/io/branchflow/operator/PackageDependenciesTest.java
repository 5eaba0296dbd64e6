package io.branchflow.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The operator's packages depend on each other one way only (announce on environment's types or the
 * other way round, never both), so each can be read, tested and changed on its own. Read from the
 * sources: a reference by import or by full name counts.
 */
class PackageDependenciesTest {

  private static final Path SOURCES = Path.of("src/main/java/io/branchflow/operator");
  private static final Pattern REFERENCE = Pattern.compile("io\\.branchflow\\.operator\\.(\\w+)");

  @Test
  void noTwoPackagesDependOnEachOther() {
    Map<String, Set<String>> uses = uses();
    List<String> both = new ArrayList<>();
    uses.forEach(
        (from, targets) ->
            targets.stream()
                .filter(to -> from.compareTo(to) < 0)
                .filter(to -> uses.getOrDefault(to, Set.of()).contains(from))
                .forEach(to -> both.add(from + " <-> " + to)));

    assertThat(uses).containsKeys("announce", "environment", "repository", "desired");
    assertThat(both).isEmpty();
  }

  /** Top-level package (announce.github counts as announce) -> the others it refers to. */
  private static Map<String, Set<String>> uses() {
    Map<String, Set<String>> uses = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      files
          .filter(f -> f.toString().endsWith(".java"))
          .filter(f -> f.getParent() != null && !f.getParent().equals(SOURCES))
          .forEach(
              f -> {
                String from = SOURCES.relativize(f).getName(0).toString();
                Set<String> targets = uses.computeIfAbsent(from, p -> new TreeSet<>());
                Matcher m = REFERENCE.matcher(read(f));
                while (m.find()) {
                  if (!m.group(1).equals(from)) {
                    targets.add(m.group(1));
                  }
                }
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return uses;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
