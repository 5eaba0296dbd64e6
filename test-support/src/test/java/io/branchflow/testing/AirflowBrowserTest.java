package io.branchflow.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

/**
 * For manual use against a running Airflow 3 (the end-to-end tests call AirflowBrowser on the
 * Airflow they start): skipped unless BRANCHFLOW_AIRFLOW_URL is set, as a system property or an
 * environment variable, like the others below.
 *
 * <pre>
 * BRANCHFLOW_AIRFLOW_URL=http://10.244.0.27:8080 \
 * BRANCHFLOW_AIRFLOW_PASSWORD_FILE=/tmp/pw \
 * BRANCHFLOW_AIRFLOW_EXPECT_DAG=hello_branch \
 *   ./mvnw -o -pl test-support test -Dtest=AirflowBrowserTest
 * </pre>
 *
 * BRANCHFLOW_AIRFLOW_USER defaults to admin. The screenshot goes to
 * test-support/target/airflow-browser/dags.png.
 */
@EnabledIf("configured")
class AirflowBrowserTest {

  private static final Path SCREENSHOTS = Path.of("target", "airflow-browser");

  static boolean configured() {
    return setting("BRANCHFLOW_AIRFLOW_URL") != null;
  }

  @Test
  void logsInAndSeesTheExpectedDag() throws IOException {
    String expected = required("BRANCHFLOW_AIRFLOW_EXPECT_DAG");
    Path screenshot = SCREENSHOTS.resolve("dags.png");
    Files.deleteIfExists(screenshot);

    long start = System.nanoTime();
    List<String> dags;
    try (AirflowBrowser browser = AirflowBrowser.open()) {
      dags = browser.loginAndListDags(url(), user(), password(), screenshot);
    }
    System.out.printf(
        "AirflowBrowser: %d ms for open, login, DAG list and close: %s%n",
        (System.nanoTime() - start) / 1_000_000, dags);

    assertThat(dags).contains(expected);
    assertThat(Files.size(screenshot)).isPositive();
  }

  @Test
  void aWrongPasswordIsRefusedSayingWhyAndNotSayingThePassword() {
    String wrong = "not-" + password();
    Path screenshot = SCREENSHOTS.resolve("refused.png");

    try (AirflowBrowser browser = AirflowBrowser.open()) {
      assertThatThrownBy(() -> browser.loginAndListDags(url(), user(), wrong, screenshot))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("login as " + user() + " refused")
          .hasMessageContaining("/auth/login")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong));
    }
  }

  private static String url() {
    return setting("BRANCHFLOW_AIRFLOW_URL");
  }

  private static String user() {
    String user = setting("BRANCHFLOW_AIRFLOW_USER");
    return user != null ? user : "admin";
  }

  private static String password() {
    try {
      return Files.readString(Path.of(required("BRANCHFLOW_AIRFLOW_PASSWORD_FILE"))).strip();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read BRANCHFLOW_AIRFLOW_PASSWORD_FILE", e);
    }
  }

  private static String required(String name) {
    String value = setting(name);
    if (value == null) {
      throw new IllegalStateException(name + " must be set along with BRANCHFLOW_AIRFLOW_URL");
    }
    return value;
  }

  /** A system property, else the environment variable of the same name; blank counts as unset. */
  private static String setting(String name) {
    String value = System.getProperty(name);
    if (value == null || value.isBlank()) {
      value = System.getenv(name);
    }
    return value == null || value.isBlank() ? null : value.strip();
  }
}
