package io.branchflow.operator.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.branchflow.operator.inspect.ImportErrors.ImportError;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Airflow's importErrors answer, as a DAG author wants to read it: file, line, error. */
class ImportErrorsTest {

  /** As Airflow 3.3 stores it: a traceback of the last two frames (the default depth). */
  private static final String MODULE_NOT_FOUND =
      """
      Traceback (most recent call last):
        File "<frozen importlib._bootstrap>", line 241, in _call_with_frames_removed
        File "/opt/airflow/dag_bundles/branch/tracking_repo/dags/broken.py", line 3, in <module>
          import does_not_exist
      ModuleNotFoundError: No module named 'does_not_exist'
      """;

  private static final String SYNTAX_ERROR =
      """
      Traceback (most recent call last):
        File "<frozen importlib._bootstrap_external>", line 1074, in get_code
        File "<frozen importlib._bootstrap_external>", line 1004, in source_to_code
        File "<frozen importlib._bootstrap>", line 241, in _call_with_frames_removed
        File "/opt/airflow/dag_bundles/branch/versions/0123456/dags/half.py", line 7
          def pipeline(:
                       ^
      SyntaxError: invalid syntax
      """;

  @Test
  void aTracebackGivesTheLineInTheFileAndTheExceptionLine() {
    ImportError error = ImportErrors.describe("dags/broken.py", MODULE_NOT_FOUND);
    assertThat(error)
        .isEqualTo(
            new ImportError(
                "dags/broken.py", 3, "ModuleNotFoundError: No module named 'does_not_exist'"));

    assertThat(ImportErrors.describe("dags/half.py", SYNTAX_ERROR))
        .isEqualTo(new ImportError("dags/half.py", 7, "SyntaxError: invalid syntax"));
  }

  @Test
  void anErrorRaisedInAnotherFileGivesTheLineOfTheFileItself() {
    String trace =
        """
        Traceback (most recent call last):
          File "/bundle/dags/report.py", line 12, in <module>
            from helpers import load
          File "/bundle/dags/helpers.py", line 40, in <module>
            raise ValueError("no warehouse configured\\nsecond line")
        ValueError: no warehouse configured
        second line
        """;
    assertThat(ImportErrors.describe("dags/report.py", trace))
        .isEqualTo(new ImportError("dags/report.py", 12, "ValueError: no warehouse configured"));
  }

  @Test
  void withoutATracebackTheFirstLineIsTheMessageAndThereIsNoLine() {
    assertThat(ImportErrors.describe("dags/slow.py", "DagBag import timeout for x after 30s.\nsee"))
        .isEqualTo(new ImportError("dags/slow.py", null, "DagBag import timeout for x after 30s."));
    assertThat(ImportErrors.describe("dags/empty.py", "").message())
        .isEqualTo("import failed (Airflow gave no message)");
  }

  @Test
  void aLongMessageIsCutTo200Characters() {
    String message = "ValueError: " + "x".repeat(500);
    String kept = ImportErrors.describe("dags/x.py", message).message();
    assertThat(kept).hasSize(ImportErrors.MESSAGE_LIMIT).endsWith("...");
  }

  @Test
  void theAnswerGivesTheTotalAndTheFirstTen() {
    StringBuilder errors = new StringBuilder();
    for (int i = 0; i < 12; i++) {
      errors
          .append(i == 0 ? "" : ",")
          .append(
              Serialization.asJson(
                  Map.of(
                      "import_error_id",
                      i,
                      "timestamp",
                      "2026-11-30T09:00:00Z",
                      "filename",
                      "dags/f" + i + ".py",
                      "bundle_name",
                      "branch",
                      "stack_trace",
                      "NameError: name 'x' is not defined")));
    }
    JsonNode answer =
        Serialization.unmarshal(
            "{\"import_errors\": [" + errors + "], \"total_entries\": 15}", JsonNode.class);

    ImportErrors parsed = ImportErrors.parse(answer, "dags");

    assertThat(parsed.total()).isEqualTo(15);
    assertThat(parsed.first()).hasSize(ImportErrors.LISTED);
    assertThat(parsed.first().get(0))
        .as("relative to the branch: dags/ + Airflow's name")
        .isEqualTo(new ImportError("dags/dags/f0.py", null, "NameError: name 'x' is not defined"));
    assertThat(ImportErrors.parse(Serialization.unmarshal("{}", JsonNode.class), "dags"))
        .isEqualTo(ImportErrors.NONE);
  }
}
