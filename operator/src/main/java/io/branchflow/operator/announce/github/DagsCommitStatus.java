package io.branchflow.operator.announce.github;

import io.branchflow.api.v1alpha1.DagImports;
import io.branchflow.api.v1alpha1.GitHubCommitStatus;
import io.branchflow.operator.announce.Announcement;
import io.branchflow.operator.status.DagImportSummary;
import java.util.Objects;
import java.util.Optional;

/**
 * The commit status {@value #CONTEXT} on the commit Airflow loaded: {@code failure} with the count
 * and the first error when a DAG file does not import, {@code success} when every one does, with a
 * link to the environment. A pull request shows it beside its checks; a branch protection rule may
 * require it.
 *
 * @param sha the commit it is set on (the one the import errors belong to)
 * @param state {@code success} or {@code failure}
 * @param description at most {@link GitHubChannel#DESCRIPTION_LIMIT} characters
 * @param targetUrl the environment's Airflow, or null before it has a URL
 */
record DagsCommitStatus(String sha, String state, String description, String targetUrl) {

  static final String CONTEXT = "branchflow/dags";

  /** What to show for an announcement; empty while Airflow has not reported on its imports. */
  static Optional<DagsCommitStatus> of(Announcement a) {
    DagImports dags = a.dags();
    if (a.removed() || !DagImportSummary.known(dags) || dags.getCommit() == null) {
      return Optional.empty();
    }
    return Optional.of(
        new DagsCommitStatus(
            dags.getCommit(),
            DagImportSummary.failing(dags) ? "failure" : "success",
            description(dags),
            a.url()));
  }

  static String description(DagImports dags) {
    String sentence = DagImportSummary.sentence(dags);
    String text = Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1);
    int limit = GitHubChannel.DESCRIPTION_LIMIT;
    return text.length() <= limit ? text : text.substring(0, limit - 3) + "...";
  }

  /** Whether GitHub already shows this (as recorded in status.github.dags). */
  boolean shown(GitHubCommitStatus recorded) {
    return recorded != null
        && sha.equals(recorded.getSha())
        && state.equals(recorded.getState())
        && Objects.equals(description, recorded.getDescription());
  }

  GitHubCommitStatus record() {
    GitHubCommitStatus status = new GitHubCommitStatus();
    status.setSha(sha);
    status.setState(state);
    status.setDescription(description);
    return status;
  }
}
