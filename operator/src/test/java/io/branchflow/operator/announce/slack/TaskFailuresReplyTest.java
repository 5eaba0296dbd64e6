package io.branchflow.operator.announce.slack;

import static io.branchflow.operator.announce.TestDags.taskFailure;
import static io.branchflow.operator.announce.TestDags.taskFailures;
import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.TaskFailure;
import io.branchflow.api.v1alpha1.TaskFailures;
import io.branchflow.operator.announce.slack.TaskFailuresReply.Shown;
import org.junit.jupiter.api.Test;

/** What the thread says about failed task instances, and when it says nothing. */
class TaskFailuresReplyTest {

  private static final String URL = "http://dags-hardy.airflow.localhost/";

  private static SlackTarget target(String url, TaskFailures failures) {
    return SlackMessageRendererTest.withReplies(
        SlackMessageRendererTest.target(Phase.Ready, null, url, null), null, failures);
  }

  private static TaskFailuresReply.Reply reply(TaskFailures failures, Shown shown) {
    return TaskFailuresReply.next(target(URL, failures), shown).orElseThrow();
  }

  @Test
  void oneFailureNamesDagTaskTryAndRunAndLinksItsLog() {
    TaskFailuresReply.Reply reply =
        reply(taskFailures(1, taskFailure("load", 2, "2026-01-01T10:00:05.123456Z")), Shown.NONE);

    assertThat(reply.text())
        .startsWith(":x: Task `load` of DAG `etl` failed in `feature/hardy` (try 2, run")
        .contains("`manual__2026-01-01T10:00:00+00:00`")
        .endsWith(
            ": <http://dags-hardy.airflow.localhost/dags/etl/runs/"
                + "manual__2026-01-01T10%3A00%3A00%2B00%3A00/tasks/load?try_number=2|log>");
    assertThat(reply.shown()).isEqualTo(new Shown("2026-01-01T10:00:05.123456Z", 1));
  }

  @Test
  void manyAtOnceAreOneReplyListingTheNewestAndCountingTheRest() {
    TaskFailures five =
        taskFailures(
            5,
            taskFailure("e", 1, "2026-01-01T10:00:05Z"),
            taskFailure("d", 1, "2026-01-01T10:00:04Z"),
            taskFailure("c", 1, "2026-01-01T10:00:03Z"),
            taskFailure("b", 1, "2026-01-01T10:00:02Z"),
            taskFailure("a", 1, "2026-01-01T10:00:01Z"));

    String text = reply(five, Shown.NONE).text();

    assertThat(text)
        .startsWith(":x: 5 task instances failed in `feature/hardy`:")
        .contains("\n• `etl` › `e` try 1 <", "\n• `etl` › `d` try 1 <", "\n• `etl` › `c` try 1 <")
        .doesNotContain("`b`")
        .contains("\n…and 2 more\n")
        .endsWith(
            "`kubectl get wfe dags-hardy-4064c15d12 -n branchflow-system -o"
                + " jsonpath='{.status.taskFailures}'`");
  }

  @Test
  void onlyFailuresAfterTheLastReplyAreNewAndTheCountSaysHowManyBeyondTheList() {
    TaskFailures seven =
        taskFailures(
            7,
            taskFailure("g", 1, "2026-01-01T10:01:07Z"),
            taskFailure("f", 1, "2026-01-01T10:01:06Z"),
            taskFailure("e", 1, "2026-01-01T10:00:05Z"),
            taskFailure("d", 1, "2026-01-01T10:00:04Z"),
            taskFailure("c", 1, "2026-01-01T10:00:03Z"));
    // The thread showed five, up to e's end (written +00:00 by another Airflow: same instant).
    Shown five = new Shown("2026-01-01T10:00:05+00:00", 5);

    TaskFailuresReply.Reply reply = reply(seven, five);
    assertThat(reply.text()).startsWith(":x: 2 task instances failed").contains("`g`", "`f`");
    assertThat(reply.text()).doesNotContain("`e`").doesNotContain("more");
    assertThat(reply.shown()).isEqualTo(new Shown("2026-01-01T10:01:07Z", 7));

    assertThat(TaskFailuresReply.next(target(URL, seven), reply.shown()))
        .as("nothing new: nothing said")
        .isEmpty();
    // Failures cleared in Airflow (the count went down) and one new: still that one, once.
    TaskFailures clearedThenOne =
        taskFailures(3, taskFailure("h", 1, "2026-01-01T10:02:00Z"), seven.getNewest().get(0));
    assertThat(reply(clearedThenOne, reply.shown()).text()).startsWith(":x: Task `h` of DAG");
  }

  @Test
  void unknownOrNoneIsNoReply() {
    assertThat(TaskFailuresReply.next(target(URL, null), Shown.NONE)).isEmpty();
    assertThat(TaskFailuresReply.next(target(URL, taskFailures(0)), Shown.NONE)).isEmpty();
  }

  @Test
  void aMappedTaskLinksItsInstanceAndNoUrlMeansNoLink() {
    TaskFailure mapped = taskFailure("fan_out", 1, "2026-01-01T10:00:05Z");
    mapped.setMapIndex(3);
    assertThat(TaskFailuresReply.logUrl(URL, mapped))
        .endsWith("/tasks/fan_out/mapped/3?try_number=1");

    String text =
        TaskFailuresReply.next(target(null, taskFailures(1, mapped)), Shown.NONE)
            .orElseThrow()
            .text();
    assertThat(text).contains("`fan_out[3]`").doesNotContain("<").doesNotContain("log");
  }

  @Test
  void namesFromTheBranchAreTextNotMarkupAndCannotBreakTheLink() {
    TaskFailure hostile = taskFailure("x|<!channel>", 1, "2026-01-01T10:00:05Z");
    hostile.setDagId("<https://evil.example|click>");

    String text = reply(taskFailures(1, hostile), Shown.NONE).text();

    assertThat(text)
        .contains("`x|&lt;!channel&gt;`", "`&lt;https://evil.example|click&gt;`")
        .doesNotContain("<!channel>")
        .doesNotContain("<https://evil")
        .contains("/dags/%3Chttps%3A%2F%2Fevil.example%7Cclick%3E/")
        .contains("/tasks/x%7C%3C%21channel%3E?try_number=1|log>");
  }
}
