package io.branchflow.operator.announce.github;

import io.branchflow.api.v1alpha1.DagImports;
import io.branchflow.operator.announce.Announcement;
import io.branchflow.operator.announce.EnvironmentRef;
import io.branchflow.operator.desired.ShortHash;
import io.branchflow.operator.status.DagImportSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The comment each open pull request of an environment's branch shows: the phase, the link to
 * Airflow once Ready, and whether the DAG files import. One per pull request, edited in place; a
 * hidden marker naming the environment lets a restarted operator find it again.
 *
 * @param body the Markdown sent to GitHub
 * @param pullRequestsChanged the receiver's last note of a pull request opened (null: none): part
 *     of the {@link #fingerprint}, so a new note has the pull requests looked up again though the
 *     text is the same, and the new one gets its comment
 */
record PullRequestComment(String body, String pullRequestsChanged) {

  /**
   * Opens every comment of the environment {@code namespace/name}; the rest of its line is ours.
   */
  private static final String MARKER = "<!-- branchflow environment ";

  /** What to show for an announcement; empty when the repository turned comments off. */
  static Optional<PullRequestComment> of(Announcement a) {
    if (!a.pullRequestComments()) {
      return Optional.empty();
    }
    return Optional.of(new PullRequestComment(render(a), a.pullRequestsChanged()));
  }

  static String render(Announcement a) {
    List<String> out = new ArrayList<>();
    out.add(marker(a.environment()));
    out.add(
        "**Branchflow** environment for "
            + Markdown.code(a.branch())
            + " at "
            + Markdown.code(DagImportSummary.shortSha(a.sha()))
            + ": "
            + phase(a));
    if (!a.removed() && a.url() != null && a.phase() == io.branchflow.api.v1alpha1.Phase.Ready) {
      out.add("");
      out.add("[Open Airflow](" + a.url() + ")");
      if (a.login() != null) {
        out.add("");
        out.add("Log in as `admin`; the password: " + Markdown.code(a.login()));
      }
    }
    dags(a.removed() ? null : a.dags(), out);
    out.add("");
    out.add(
        "<sub>Kept up to date by Branchflow: this comment is edited as the environment changes.</sub>");
    return String.join("\n", out);
  }

  private static String phase(Announcement a) {
    if (a.removed()) {
      return "**Removed** (" + Markdown.text(a.message()) + ")";
    }
    return switch (a.phase()) {
      case Queued -> "**Queued**: " + Markdown.text(a.message());
      case Provisioning -> "**Provisioning**";
      case Ready -> "**Ready**";
      case Suspended -> "**Suspended** (Airflow scaled down; a push wakes it)";
      case Failed, Degraded -> "**" + a.phase() + "**: " + Markdown.text(a.message());
      default -> "**" + a.phase() + "**";
    };
  }

  /** The import results, when Airflow reported them: the sentence and every error listed. */
  private static void dags(DagImports dags, List<String> out) {
    if (!DagImportSummary.known(dags)) {
      return;
    }
    out.add("");
    if (!DagImportSummary.failing(dags)) {
      out.add(
          "Every DAG file"
              + (dags.getCommit() == null
                  ? ""
                  : " of " + Markdown.code(DagImportSummary.shortSha(dags.getCommit())))
              + " imports.");
      return;
    }
    out.add(
        "**"
            + dags.getErrorCount()
            + " DAG file(s) failed to import**"
            + (dags.getCommit() == null
                ? ""
                : " at " + Markdown.code(DagImportSummary.shortSha(dags.getCommit())))
            + ":");
    out.add("");
    List<String> lines = new ArrayList<>();
    if (dags.getErrors() != null) {
      dags.getErrors().forEach(e -> lines.add(DagImportSummary.location(e)));
    }
    int unlisted = dags.getErrorCount() - lines.size();
    if (unlisted > 0) {
      lines.add("... and " + unlisted + " more");
    }
    out.add(Markdown.block(lines));
  }

  static String marker(EnvironmentRef env) {
    return MARKER + env.namespace() + "/" + env.name() + " -->";
  }

  /** Whether {@code body} is this environment's comment (found by its marker). */
  static boolean ours(String body, EnvironmentRef env) {
    return body != null && body.startsWith(marker(env));
  }

  /**
   * What status.github.comment records: tells whether GitHub already shows this text to every pull
   * request the receiver noted. Without a note it is the text's alone (as recorded before notes).
   */
  String fingerprint() {
    return ShortHash.of(pullRequestsChanged == null ? body : body + "\n" + pullRequestsChanged, 16);
  }
}
