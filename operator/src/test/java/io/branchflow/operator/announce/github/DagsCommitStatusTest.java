package io.branchflow.operator.announce.github;

import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.v1alpha1.DagImports;
import io.branchflow.operator.announce.TestDags;
import org.junit.jupiter.api.Test;

/** The description of the {@code branchflow/dags} commit status: what a pull request shows. */
class DagsCommitStatusTest {

  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

  @Test
  void failureNamesTheCountAndTheFirstErrorWithinGitHubsLimit() {
    assertThat(DagsCommitStatus.description(TestDags.failing(SHA)))
        .isEqualTo(
            "2 DAG file(s) failed to import; first: dags/broken.py:3: ModuleNotFoundError: No"
                + " module named 'does_not_exist'");

    DagImports long_ =
        TestDags.imports(SHA, 1, TestDags.error("dags/x.py", 9, "ValueError: " + "y".repeat(300)));
    assertThat(DagsCommitStatus.description(long_))
        .hasSize(GitHubChannel.DESCRIPTION_LIMIT)
        .startsWith("1 DAG file(s) failed to import; first: dags/x.py:9: ValueError: yyy")
        .endsWith("...");
  }

  @Test
  void successSaysEveryFileImports() {
    assertThat(DagsCommitStatus.description(TestDags.clean(SHA)))
        .isEqualTo("Every DAG file of 0123456 imports");
  }
}
