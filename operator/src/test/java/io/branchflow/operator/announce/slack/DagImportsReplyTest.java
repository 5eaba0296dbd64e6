package io.branchflow.operator.announce.slack;

import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.v1alpha1.DagImports;
import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.operator.announce.TestDags;
import org.junit.jupiter.api.Test;

/** The threaded replies about import errors, as the DAG author reads them. */
class DagImportsReplyTest {

  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

  private static SlackTarget target(DagImports dags) {
    SlackTarget t = SlackMessageRendererTest.target(Phase.Ready, null, null, null);
    return SlackMessageRendererTest.withReplies(t, dags, null);
  }

  @Test
  void errorsListEachFileWithItsLineAndSayHowToSeeThem() {
    String text = DagImportsReply.text(target(TestDags.failing(SHA)), null).orElseThrow();

    assertThat(text)
        .startsWith(":warning: 2 DAG files of `feature/hardy` at `0123456` fail to import:")
        .contains(
            "\n• `dags/broken.py` line 3: ModuleNotFoundError: No module named 'does_not_exist'")
        .contains("\n• `dags/&lt;!channel&gt;.py`: NameError: &lt;https://evil.example|click&gt;")
        .contains(
            "`kubectl get wfe dags-hardy-4064c15d12 -n branchflow-system -o"
                + " jsonpath='{.status.dags}'`")
        .doesNotContain("<!channel>");
  }

  @Test
  void moreFailingFilesThanListedAreCounted() {
    DagImports many =
        TestDags.imports(SHA, 14, TestDags.error("dags/a.py", 1, "SyntaxError: invalid syntax"));
    assertThat(DagImportsReply.text(target(many), null).orElseThrow())
        .contains("14 DAG files")
        .contains("…and 13 more");
  }

  @Test
  void theSameErrorsAreNotRepeatedAndTheFixIsSaidOnce() {
    SlackTarget failing = target(TestDags.failing(SHA));
    String shown = DagImportsReply.fingerprint(failing.dags());
    assertThat(DagImportsReply.text(failing, shown)).isEmpty();

    SlackTarget clean = target(TestDags.clean(SHA));
    assertThat(DagImportsReply.text(clean, shown))
        .contains(
            ":white_check_mark: Fixed: every DAG file of `feature/hardy` imports at `0123456`.");
    assertThat(DagImportsReply.text(clean, null)).as("nothing was shown").isEmpty();
    assertThat(DagImportsReply.text(target(null), shown)).as("not known").isEmpty();
  }

  @Test
  void withoutALoadedCommitNoCommitIsNamed() {
    DagImports dags = TestDags.failing(null);
    assertThat(DagImportsReply.text(target(dags), null).orElseThrow())
        .startsWith(":warning: 2 DAG files of `feature/hardy` fail to import:");
  }
}
