package io.branchflow.operator.announce.slack;

import io.branchflow.api.v1alpha1.DagImportError;
import io.branchflow.api.v1alpha1.DagImports;
import io.branchflow.operator.desired.ShortHash;
import io.branchflow.operator.status.DagImportSummary;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The threaded replies about DAG import errors under an environment's message: one when errors
 * appear or change (the same errors on a later push are not repeated), one when they are gone.
 * Pure; everything from Airflow or the branch is escaped ({@link SlackText}).
 */
final class DagImportsReply {

  private DagImportsReply() {}

  /** Which errors a reply showed: a hash of them; null when none fail. */
  static String fingerprint(DagImports dags) {
    if (!DagImportSummary.failing(dags)) {
      return null;
    }
    String errors =
        dags.getErrors() == null
            ? ""
            : dags.getErrors().stream()
                .map(DagImportSummary::location)
                .collect(Collectors.joining("\n"));
    return ShortHash.of(dags.getErrorCount() + "\n" + errors, 16);
  }

  /** What the thread should show: null (unknown), {@code clean}, or the errors' fingerprint. */
  static String state(DagImports dags) {
    if (!DagImportSummary.known(dags)) {
      return null;
    }
    String fingerprint = fingerprint(dags);
    return fingerprint == null ? "clean" : fingerprint;
  }

  /** The reply to post, when the thread shows {@code shown} (a fingerprint, or null for none). */
  static Optional<String> text(SlackTarget t, String shown) {
    DagImports dags = t.dags();
    if (!DagImportSummary.known(dags)) {
      return Optional.empty();
    }
    String fingerprint = fingerprint(dags);
    if (Objects.equals(fingerprint, shown)) {
      return Optional.empty();
    }
    return Optional.of(fingerprint == null ? fixed(t) : errors(t));
  }

  static String errors(SlackTarget t) {
    DagImports dags = t.dags();
    StringBuilder text =
        new StringBuilder(":warning: ")
            .append(dags.getErrorCount())
            .append(dags.getErrorCount() == 1 ? " DAG file" : " DAG files")
            .append(" of ")
            .append(SlackText.code(t.branch()))
            .append(at(dags))
            .append(dags.getErrorCount() == 1 ? " fails" : " fail")
            .append(" to import:");
    int listed = 0;
    for (DagImportError error :
        dags.getErrors() == null ? java.util.List.<DagImportError>of() : dags.getErrors()) {
      text.append("\n• ")
          .append(SlackText.code(error.getFile()))
          .append(error.getLine() == null ? "" : " line " + error.getLine())
          .append(": ")
          .append(SlackText.escape(error.getMessage()));
      listed++;
    }
    if (dags.getErrorCount() > listed) {
      text.append("\n…and ").append(dags.getErrorCount() - listed).append(" more");
    }
    text.append("\nFix and push; Airflow checks the next commit. Details: ")
        .append(statusCommand(t, "dags"));
    return text.toString();
  }

  /** The command that shows one field of the environment's status, as a code span. */
  static String statusCommand(SlackTarget t, String field) {
    return SlackText.code(
        "kubectl get wfe "
            + t.environment()
            + " -n "
            + t.environmentNamespace()
            + " -o jsonpath='{.status."
            + field
            + "}'");
  }

  static String fixed(SlackTarget t) {
    return ":white_check_mark: Fixed: every DAG file of "
        + SlackText.code(t.branch())
        + " imports"
        + at(t.dags())
        + ".";
  }

  /** {@code at `0123456`}, or nothing when Airflow loaded no DAG of the branch yet. */
  private static String at(DagImports dags) {
    return dags.getCommit() == null
        ? ""
        : " at " + SlackText.code(DagImportSummary.shortSha(dags.getCommit()));
  }
}
