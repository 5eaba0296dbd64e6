package io.branchflow.api.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.branchflow.api.naming.EnvironmentName;
import io.branchflow.api.naming.EnvironmentNames;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EnvironmentNamesTest {

  private static final int GENERATED = 12_000;

  @Test
  void readableNameForAnOrdinaryFeatureBranch() {
    EnvironmentName name = EnvironmentNames.of("socar/dags", "feature/hardy");

    assertThat(name.name()).matches("dags-hardy-[0-9a-f]{10}");
    assertThat(name.namespace()).isEqualTo("bf-" + name.name());
  }

  @Test
  void nearDuplicateBranchesGetDistinctNames() {
    List<String> names =
        List.of("feature/a-b", "feature/a_b", "feature/A-B", "feature/a.b", "feature/a--b", "a-b")
            .stream()
            .map(branch -> EnvironmentNames.of("acme/dags", branch).name())
            .toList();

    assertThat(names).doesNotHaveDuplicates();
    assertThat(names).allSatisfy(n -> assertThat(n).startsWith("dags-a-b-"));
  }

  @Test
  void ambiguousConcatenationsOfRepositoryAndBranchStayApart() {
    assertThat(EnvironmentNames.of("acme/dags-hardy", "feature/x"))
        .isNotEqualTo(EnvironmentNames.of("acme/dags", "feature/hardy-x"));
    assertThat(EnvironmentNames.of("acme/dags", "feature/x"))
        .isNotEqualTo(EnvironmentNames.of("other/dags", "feature/x"));
  }

  @Test
  void repositoryIsCaseInsensitiveLikeGitHubButBranchIsNot() {
    assertThat(EnvironmentNames.of("Acme/DAGs", "feature/x"))
        .isEqualTo(EnvironmentNames.of("acme/dags", "feature/x"));
    assertThat(EnvironmentNames.of("acme/dags", "feature/X"))
        .isNotEqualTo(EnvironmentNames.of("acme/dags", "feature/x"));
  }

  @Test
  void branchesWithoutAsciiLettersFallBackToAPlaceholder() {
    assertThat(EnvironmentNames.of("acme/dags", "feature/日本語").name())
        .matches("dags-branch-[0-9a-f]{10}");
    assertThat(EnvironmentNames.of("acme/dags", "feature/café").name())
        .matches("dags-cafe-[0-9a-f]{10}");
  }

  @Test
  void longBranchesAreTruncatedToAValidLabel() {
    EnvironmentName name =
        EnvironmentNames.of(
            "acme/a-very-long-repository-name-indeed", "feature/" + "x".repeat(250));

    assertThat(name.namespace()).hasSize(EnvironmentNames.MAX_LENGTH);
    assertThat(name.namespace()).matches(EnvironmentNames.DNS_1123_LABEL.pattern());
  }

  @Test
  void rejectsMissingInput() {
    assertThatThrownBy(() -> EnvironmentNames.of("acme/dags", ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EnvironmentNames.of(" ", "feature/x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void generatedBranchNamesAreValidDeterministicAndNeverCollide() {
    List<String[]> inputs = generatedInputs();
    Map<String, String> namespaceToInput = new HashMap<>();

    for (String[] input : inputs) {
      EnvironmentName name = EnvironmentNames.of(input[0], input[1]);
      String described = input[0] + " " + input[1];

      assertThat(name.name()).as(described).matches(EnvironmentNames.DNS_1123_LABEL.pattern());
      assertThat(name.namespace()).as(described).matches(EnvironmentNames.DNS_1123_LABEL.pattern());
      assertThat(name.namespace().length()).as(described).isLessThanOrEqualTo(63);
      assertThat(name.namespace()).isEqualTo(EnvironmentNames.NAMESPACE_PREFIX + name.name());
      assertThat(EnvironmentNames.of(input[0], input[1])).as("deterministic").isEqualTo(name);

      String previous = namespaceToInput.put(name.namespace(), described);
      assertThat(previous).as("%s collides with %s", described, previous).isNull();
    }
    assertThat(namespaceToInput).hasSizeGreaterThanOrEqualTo(10_000);
  }

  /** Distinct (repository, branch) pairs: random, hostile and near-duplicate branch names. */
  private static List<String[]> generatedInputs() {
    Random random = new Random(20261123);
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./ ";
    String[] exotic = {"é", "ß", "日本", "🚀", "ü", "İ", "ا", "\t", "…", "Å"};
    List<String> repositories = List.of("acme/dags", "Acme/other-dags", "x/y", "socar/dags-hardy");
    java.util.Set<String> seen = new java.util.HashSet<>();
    List<String[]> inputs = new ArrayList<>();
    while (inputs.size() < GENERATED) {
      StringBuilder branch = new StringBuilder(random.nextBoolean() ? "feature/" : "");
      int length = random.nextInt(10) == 0 ? 100 + random.nextInt(156) : 1 + random.nextInt(24);
      for (int i = 0; i < length && branch.length() < 255; i++) {
        branch.append(
            random.nextInt(12) == 0
                ? exotic[random.nextInt(exotic.length)]
                : String.valueOf(alphabet.charAt(random.nextInt(alphabet.length()))));
      }
      String repository = repositories.get(random.nextInt(repositories.size()));
      String b = branch.toString();
      if (!b.isEmpty() && seen.add(repository.toLowerCase() + "\n" + b)) {
        inputs.add(new String[] {repository, b});
        // Near duplicates of every tenth branch: case and separator variations.
        if (inputs.size() % 10 == 0) {
          for (String variant :
              List.of(b.toUpperCase(), b.replace('-', '_'), b.replace('/', '-'), b + "-")) {
            if (!variant.isEmpty() && seen.add(repository.toLowerCase() + "\n" + variant)) {
              inputs.add(new String[] {repository, variant});
            }
          }
        }
      }
    }
    return inputs;
  }
}
