package io.branchflow.operator.announce.slack;

import io.branchflow.api.v1alpha1.DagImports;
import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.SlackSettings;
import io.branchflow.api.v1alpha1.TaskFailures;
import io.branchflow.operator.announce.Announcement;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;

/**
 * What an environment's Slack message and its thread should show.
 *
 * @param pusher the pusher's GitHub login, as given: shown escaped, never as markup
 * @param pusherSlackUser the Slack user ID the repository's userMap gives that login, or null: the
 *     only thing rendered as a mention
 * @param reason why it failed or is degraded, where it waits, why it is suspended and how to wake
 *     it (Failed, Degraded, Queued, Suspended only)
 * @param url the Airflow UI (Ready only)
 * @param took how long from creation to Ready (Ready only)
 * @param expiry limits.ttl: the warning to reply in the thread once, or why it was removed
 * @param dags whether the loaded commit's DAG files import: errors get a threaded reply, and so
 *     does their fix; null while unknown
 * @param taskFailures the task instances that failed: new ones get a threaded reply; null while
 *     unknown
 */
public record SlackTarget(
    String channel,
    String secretsNamespace,
    String tokenSecret,
    String tokenKey,
    String environmentNamespace,
    String environment,
    String repository,
    String branch,
    String sha,
    String pusher,
    String pusherSlackUser,
    Phase phase,
    String reason,
    String url,
    String login,
    String took,
    boolean removed,
    Announcement.Expiry expiry,
    DagImports dags,
    TaskFailures taskFailures) {

  /**
   * What to show for an announcement the repository's Slack settings {@code s} apply to: the
   * reason, URL, login and time to Ready only in the phases that have them, no replies once it is
   * removed.
   */
  static SlackTarget of(Announcement a, SlackSettings s) {
    Phase phase = a.phase();
    boolean failing = phase == Phase.Failed || phase == Phase.Degraded;
    boolean ready = phase == Phase.Ready && !a.removed();
    String pusher = a.pusher();
    String pusherSlackUser =
        pusher != null && s.getUserMap() != null ? s.getUserMap().get(pusher) : null;
    return new SlackTarget(
        s.getChannel(),
        a.secretsNamespace(),
        s.getTokenSecretRef().getName(),
        s.getTokenSecretRef().getKey(),
        a.environment().namespace(),
        a.environment().name(),
        a.repository(),
        a.branch(),
        a.sha(),
        pusher,
        pusherSlackUser,
        a.removed() ? Phase.Terminating : phase,
        (failing || phase == Phase.Queued || phase == Phase.Suspended) && !a.removed()
            ? a.message()
            : null,
        ready ? a.url() : null,
        ready ? a.login() : null,
        ready ? took(a.startedAt(), a.readyAt()) : null,
        a.removed(),
        a.expiry(),
        a.removed() ? null : a.dags(),
        a.removed() ? null : a.taskFailures());
  }

  static String took(String from, String to) {
    if (from == null || to == null) {
      return null;
    }
    try {
      Duration d = Duration.between(Instant.parse(from), Instant.parse(to));
      if (d.isNegative()) {
        return null;
      }
      long minutes = d.toMinutes();
      long seconds = d.toSecondsPart();
      return minutes > 0 ? minutes + "m " + seconds + "s" : seconds + "s";
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /**
   * Equal regardless of {@link #took}: a pass that started from a stale cache may stamp readyAt a
   * second later, which is no reason to edit the message again.
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof SlackTarget t && withoutTook().equals(t.withoutTook());
  }

  @Override
  public int hashCode() {
    return withoutTook().hashCode();
  }

  private List<Object> withoutTook() {
    return Arrays.asList(
        channel,
        secretsNamespace,
        tokenSecret,
        tokenKey,
        environmentNamespace,
        environment,
        repository,
        branch,
        sha,
        pusher,
        pusherSlackUser,
        phase,
        reason,
        url,
        removed,
        expiry,
        DagImportsReply.state(dags),
        TaskFailuresReply.state(taskFailures));
  }
}
