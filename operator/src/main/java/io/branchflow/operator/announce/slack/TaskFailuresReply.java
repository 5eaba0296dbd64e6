package io.branchflow.operator.announce.slack;

import io.branchflow.api.v1alpha1.TaskFailure;
import io.branchflow.api.v1alpha1.TaskFailures;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * The threaded reply about task instances that failed, under an environment's message: one per
 * group of new failures, each named by DAG, task and try, with a link to its log in the
 * environment's Airflow UI. Which failures the thread shows is a mark (the newest end date replied,
 * and the count then), so the same failure is never replied twice, also after a restart. Pure;
 * everything from Airflow is escaped ({@link SlackText}).
 */
final class TaskFailuresReply {

  /**
   * At most one such reply per environment this often: a DAG failing every minute, or many tasks
   * failing one after the other, is one reply per interval, the failures meanwhile grouped in the
   * next.
   */
  static final Duration MIN_INTERVAL = Duration.ofMinutes(1);

  /** Failures named in one reply; the rest are counted ("…and 2 more"). */
  static final int LISTED = 3;

  /**
   * What the thread shows.
   *
   * @param until the end date of the newest failure replied; null before any reply
   * @param count status.taskFailures.count at that reply
   */
  record Shown(String until, Integer count) {
    static final Shown NONE = new Shown(null, null);
  }

  /**
   * One reply to post.
   *
   * @param text the message
   * @param shown what the thread shows once it is posted
   */
  record Reply(String text, Shown shown) {}

  private TaskFailuresReply() {}

  /**
   * What of {@code failures} can change a reply (for target equality): the count and the newest end
   * date; null while unknown.
   */
  static String state(TaskFailures failures) {
    if (failures == null || failures.getCount() == null) {
      return null;
    }
    List<TaskFailure> newest = newest(failures);
    return failures.getCount() + "@" + (newest.isEmpty() ? "" : newest.get(0).getEndDate());
  }

  /** The reply for the failures the thread does not show yet; empty when there are none. */
  static Optional<Reply> next(SlackTarget t, Shown shown) {
    TaskFailures failures = t.taskFailures();
    if (failures == null || failures.getCount() == null) {
      return Optional.empty();
    }
    OffsetDateTime until = time(shown.until());
    List<TaskFailure> fresh =
        newest(failures).stream()
            .filter(f -> time(f.getEndDate()) != null)
            .filter(f -> until == null || time(f.getEndDate()).isAfter(until))
            .toList();
    if (fresh.isEmpty()) {
      return Optional.empty();
    }
    // The listed newest are new for sure; beyond them, what the count grew by since the last reply
    // (a failure cleared and re-run in Airflow meanwhile makes that an undercount, never a repeat).
    int grown = failures.getCount() - (shown.count() == null ? 0 : shown.count());
    int count = Math.max(fresh.size(), grown);
    return Optional.of(
        new Reply(
            text(t, fresh, count), new Shown(fresh.get(0).getEndDate(), failures.getCount())));
  }

  static String text(SlackTarget t, List<TaskFailure> fresh, int count) {
    if (count == 1) {
      TaskFailure f = fresh.get(0);
      return ":x: Task "
          + SlackText.code(task(f))
          + " of DAG "
          + SlackText.code(f.getDagId())
          + " failed in "
          + SlackText.code(t.branch())
          + " (try "
          + f.getTryNumber()
          + ", run "
          + SlackText.code(f.getRunId())
          + ")"
          + log(t.url(), f, ": ");
    }
    StringBuilder text =
        new StringBuilder(":x: ")
            .append(count)
            .append(" task instances failed in ")
            .append(SlackText.code(t.branch()))
            .append(":");
    List<TaskFailure> listed = fresh.subList(0, Math.min(LISTED, fresh.size()));
    for (TaskFailure f : listed) {
      text.append("\n• ")
          .append(SlackText.code(f.getDagId()))
          .append(" › ")
          .append(SlackText.code(task(f)))
          .append(" try ")
          .append(f.getTryNumber())
          .append(log(t.url(), f, " "));
    }
    if (count > listed.size()) {
      text.append("\n…and ").append(count - listed.size()).append(" more");
    }
    text.append("\nThe last five: ").append(DagImportsReply.statusCommand(t, "taskFailures"));
    return text.toString();
  }

  /**
   * The task instance's page in the Airflow 3 UI, whose first tab is its log: {@code
   * /dags/<dag>/runs/<run>/tasks/<task>[/mapped/<index>]?try_number=<n>}. Null without a URL (the
   * environment is not Ready).
   */
  static String logUrl(String url, TaskFailure f) {
    if (url == null) {
      return null;
    }
    String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    return base
        + "/dags/"
        + segment(f.getDagId())
        + "/runs/"
        + segment(f.getRunId())
        + "/tasks/"
        + segment(f.getTaskId())
        + (f.getMapIndex() == null ? "" : "/mapped/" + f.getMapIndex())
        + "?try_number="
        + f.getTryNumber();
  }

  private static String log(String url, TaskFailure f, String before) {
    String link = logUrl(url, f);
    return link == null ? "" : before + SlackText.link(link, "log");
  }

  private static String task(TaskFailure f) {
    return f.getMapIndex() == null ? f.getTaskId() : f.getTaskId() + "[" + f.getMapIndex() + "]";
  }

  /** A run ID such as {@code manual__2026-01-01T10:00:00+00:00} as one path segment. */
  private static String segment(String s) {
    return URLEncoder.encode(String.valueOf(s), StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static List<TaskFailure> newest(TaskFailures failures) {
    return failures.getNewest() == null ? List.of() : failures.getNewest();
  }

  /** Airflow's end dates, compared as instants (it may write Z or +00:00); null when unreadable. */
  private static OffsetDateTime time(String s) {
    if (s == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
