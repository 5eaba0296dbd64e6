package io.branchflow.operator.announce.slack;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.methods.response.chat.ChatPostMessageResponse;
import io.branchflow.api.v1alpha1.DagImports;
import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.SlackMessage;
import io.branchflow.api.v1alpha1.SlackSettings;
import io.branchflow.api.v1alpha1.TaskFailures;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentStatus;
import io.branchflow.operator.announce.Announcement;
import io.branchflow.operator.announce.Channel;
import io.branchflow.operator.announce.EnvironmentRef;
import io.branchflow.operator.announce.Outcome;
import io.branchflow.operator.announce.StatusRecorder;
import io.branchflow.operator.announce.TokenSource;
import io.branchflow.operator.config.AnnounceSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * One Slack message per environment: posted when it is first announced (provisioning starts),
 * updated in place on each phase change or push, a threaded reply and a last update when it is
 * removed; threaded replies when the loaded commit's DAG files fail to import and when that is
 * fixed, and when task instances fail (at most one such reply per {@link
 * TaskFailuresReply#MIN_INTERVAL}). The message's channel and {@code ts}, and which import errors
 * and task failures its thread shows, are recorded in {@code status.slack} (field manager {@code
 * branchflow-slack}) so a restarted operator updates it instead of posting anew and repeats no
 * reply.
 */
public final class SlackChannel implements Channel<SlackChannel.Target>, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(SlackChannel.class);

  /** Slack errors a retry does not fix: the user must (token, channel, scopes, app membership). */
  static final Set<String> REFUSALS =
      Set.of(
          "invalid_auth",
          "not_authed",
          "account_inactive",
          "token_revoked",
          "token_expired",
          "no_permission",
          "missing_scope",
          "channel_not_found",
          "not_in_channel",
          "is_archived",
          "restricted_action",
          "org_login_required",
          "ekm_access_denied",
          "team_access_not_granted",
          "invalid_blocks",
          "invalid_attachments",
          "msg_too_long");

  /**
   * What the message should show.
   *
   * @param pusher the pusher's GitHub login, as given: shown escaped, never as markup
   * @param pusherSlackUser the Slack user ID the repository's userMap gives that login, or null:
   *     the only thing rendered as a mention
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
  public record Target(
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
     * Equal regardless of {@link #took}: a pass that started from a stale cache may stamp readyAt a
     * second later, which is no reason to edit the message again.
     */
    @Override
    public boolean equals(Object o) {
      return o instanceof Target t && withoutTook().equals(t.withoutTook());
    }

    @Override
    public int hashCode() {
      return withoutTook().hashCode();
    }

    private java.util.List<Object> withoutTook() {
      return java.util.Arrays.asList(
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

  /**
   * Where the message is, which import errors, task failures and expiry warning its thread shows,
   * how far its teardown got.
   */
  private static final class Posted {
    final String channel;
    final String ts;
    String dagErrors;
    boolean removedShown;
    boolean replied;
    String warnedFor;
    TaskFailuresReply.Shown failures = TaskFailuresReply.Shown.NONE;

    /** When the last task failures reply went out; in memory: a restart may reply sooner once. */
    Instant failuresRepliedAt;

    Posted(String channel, String ts, String warnedFor, String dagErrors) {
      this.channel = channel;
      this.ts = ts;
      this.warnedFor = warnedFor;
      this.dagErrors = dagErrors;
    }
  }

  private final TokenSource tokens;
  private final BiConsumer<EnvironmentRef, WorkflowEnvironmentStatus> recorder;
  private final Slack slack;
  private final Clock clock;
  private final Map<EnvironmentRef, Posted> posted = new ConcurrentHashMap<>();
  private final Map<EnvironmentRef, String> problems = new ConcurrentHashMap<>();

  public SlackChannel(KubernetesClient client, AnnounceSettings settings) {
    this(
        TokenSource.of(client),
        new StatusRecorder(client, AnnounceSettings.SLACK_FIELD_MANAGER)::apply,
        settings);
  }

  SlackChannel(
      TokenSource tokens,
      BiConsumer<EnvironmentRef, WorkflowEnvironmentStatus> recorder,
      AnnounceSettings settings) {
    this(tokens, recorder, settings, Clock.systemUTC());
  }

  SlackChannel(
      TokenSource tokens,
      BiConsumer<EnvironmentRef, WorkflowEnvironmentStatus> recorder,
      AnnounceSettings settings,
      Clock clock) {
    this.tokens = tokens;
    this.recorder = recorder;
    this.clock = clock;
    SlackConfig config = new SlackConfig();
    String prefix = settings.slackApiUrl();
    config.setMethodsEndpointUrlPrefix(prefix.endsWith("/") ? prefix : prefix + "/");
    int timeout = (int) settings.requestTimeout().toMillis();
    config.setHttpClientCallTimeoutMillis(timeout);
    config.setHttpClientReadTimeoutMillis(timeout);
    config.setHttpClientWriteTimeoutMillis(timeout);
    config.setStatsEnabled(false);
    config.setPrettyResponseLoggingEnabled(false);
    config.setFailOnUnknownProperties(false);
    this.slack = Slack.getInstance(config);
  }

  @Override
  public String name() {
    return "Slack";
  }

  @Override
  public Optional<Target> target(Announcement a) {
    SlackSettings s = a.slack();
    if (s == null
        || Boolean.FALSE.equals(s.getEnabled())
        || s.getChannel() == null
        || s.getTokenSecretRef() == null
        || a.repository() == null) {
      return Optional.empty();
    }
    SlackMessage before = a.recordedSlack();
    if (before != null && before.getTs() != null && before.getChannel() != null) {
      posted.computeIfAbsent(
          a.environment(),
          env -> {
            Posted known =
                new Posted(
                    before.getChannel(),
                    before.getTs(),
                    before.getExpiryWarning(),
                    before.getDagErrors());
            known.failures =
                new TaskFailuresReply.Shown(
                    before.getTaskFailuresUntil(), before.getTaskFailuresCount());
            return known;
          });
    }
    Phase phase = a.phase();
    if (!a.removed() && (phase == null || phase == Phase.Pending || phase == Phase.Terminating)) {
      return Optional.empty();
    }
    boolean failing = phase == Phase.Failed || phase == Phase.Degraded;
    boolean ready = phase == Phase.Ready && !a.removed();
    String pusher = a.pusher();
    String pusherSlackUser =
        pusher != null && s.getUserMap() != null ? s.getUserMap().get(pusher) : null;
    return Optional.of(
        new Target(
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
            a.removed() ? null : a.taskFailures()));
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

  @Override
  public boolean isFinal(Target target) {
    return target.removed();
  }

  @Override
  public Outcome deliver(EnvironmentRef env, Target t) {
    Optional<String> token = tokens.token(t.secretsNamespace(), t.tokenSecret(), t.tokenKey());
    if (token.isEmpty()) {
      return new Outcome.Rejected(
          TokenSource.missing(
              "Slack",
              t.secretsNamespace(),
              t.tokenSecret(),
              t.tokenKey(),
              "slack.tokenSecretRef"));
    }
    MethodsClient methods = slack.methods(token.get());
    SlackMessageRenderer.Rendered rendered = SlackMessageRenderer.render(t);
    Posted known = posted.get(env);
    try {
      Posted message;
      if (known == null) {
        if (t.removed()) {
          return Outcome.DONE; // never posted, nothing to say
        }
        LOG.debugf("Slack: posting for %s (%s)", env, t.phase());
        ChatPostMessageResponse response =
            methods.chatPostMessage(
                r ->
                    r.channel(t.channel())
                        .text(rendered.text())
                        .attachments(rendered.attachments()));
        Outcome refused = refused(response, t);
        if (refused != null) {
          return refused;
        }
        message = new Posted(response.getChannel(), response.getTs(), null, null);
        posted.put(env, message);
        record(env, message);
      } else if (!t.removed() || !known.removedShown) {
        message = known;
        LOG.debugf("Slack: updating %s for %s (%s)", known.ts, env, t.phase());
        var response =
            methods.chatUpdate(
                r ->
                    r.channel(known.channel)
                        .ts(known.ts)
                        .text(rendered.text())
                        .attachments(rendered.attachments()));
        if ("message_not_found".equals(response.getError()) && !t.removed()) {
          // Someone deleted it: post a new one on the next attempt.
          posted.remove(env);
          return new Outcome.Retry("the Slack message was deleted; posting a new one");
        }
        Outcome refused = refused(response, t);
        if (refused != null) {
          return refused;
        }
        known.removedShown = t.removed();
      } else {
        message = known;
      }
      if (t.removed() && !message.replied) {
        Outcome refused = replyInThread(methods, message, SlackMessageRenderer.removedReply(t), t);
        if (refused != null) {
          return refused;
        }
        message.replied = true;
      }
      if (!t.removed() && t.expiry() != null && !t.expiry().removeAt().equals(message.warnedFor)) {
        // Once per push: the removal time it announced is recorded, so a restart does not repeat
        // it, while a push (a new removal time) gets its own warning when that is due.
        Outcome refused = replyInThread(methods, message, SlackMessageRenderer.expiryWarning(t), t);
        if (refused != null) {
          return refused;
        }
        message.warnedFor = t.expiry().removeAt();
        record(env, message);
      }
      if (t.removed()) {
        return Outcome.DONE;
      }
      Outcome imports = importsReply(methods, env, message, t);
      return imports instanceof Outcome.Done ? failuresReply(methods, env, message, t) : imports;
    } catch (SlackApiException e) {
      int code = e.getResponse() == null ? -1 : e.getResponse().code();
      if (code == 429) {
        String retryAfter = e.getResponse().header("Retry-After");
        return new Outcome.Retry(retryAfter(retryAfter), "Slack rate limit (429)");
      }
      if (code >= 500 || code < 0) {
        return new Outcome.Retry("Slack answered " + code);
      }
      return new Outcome.Rejected("Slack refused the request (" + code + ")");
    } catch (IOException e) {
      return new Outcome.Retry("Slack unreachable: " + e.getClass().getSimpleName());
    }
  }

  /**
   * Posts {@code text} as a reply in the thread of the environment's message; null when Slack took
   * it, otherwise what its answer means for the reporter (exceptions go to the caller's handling).
   */
  private static Outcome replyInThread(MethodsClient methods, Posted message, String text, Target t)
      throws IOException, SlackApiException {
    var reply =
        methods.chatPostMessage(r -> r.channel(message.channel).threadTs(message.ts).text(text));
    return refused(reply, t);
  }

  /**
   * A threaded reply when the loaded commit's import errors appear or change, and one when they are
   * gone; recorded (status.slack.dagErrors) so a restart repeats none.
   */
  private Outcome importsReply(MethodsClient methods, EnvironmentRef env, Posted message, Target t)
      throws IOException, SlackApiException {
    Optional<String> text = DagImportsReply.text(t, message.dagErrors);
    if (text.isEmpty()) {
      return Outcome.DONE;
    }
    LOG.debugf("Slack: import errors reply for %s", env);
    Outcome refused = replyInThread(methods, message, text.get(), t);
    if (refused != null) {
      return refused;
    }
    message.dagErrors = DagImportsReply.fingerprint(t.dags());
    record(env, message);
    return Outcome.DONE;
  }

  /**
   * A threaded reply for the task instances that failed since the last one, at most one per {@link
   * TaskFailuresReply#MIN_INTERVAL}: failures arriving sooner wait and are grouped into the next
   * ({@link Outcome.Later}). What it showed is recorded (status.slack.taskFailuresUntil), so a
   * restart repeats none.
   */
  private Outcome failuresReply(MethodsClient methods, EnvironmentRef env, Posted message, Target t)
      throws IOException, SlackApiException {
    Optional<TaskFailuresReply.Reply> reply = TaskFailuresReply.next(t, message.failures);
    if (reply.isEmpty()) {
      return Outcome.DONE;
    }
    Instant now = clock.instant();
    if (message.failuresRepliedAt != null) {
      Duration since = Duration.between(message.failuresRepliedAt, now);
      if (since.compareTo(TaskFailuresReply.MIN_INTERVAL) < 0) {
        return new Outcome.Later(TaskFailuresReply.MIN_INTERVAL.minus(since));
      }
    }
    LOG.debugf("Slack: task failures reply for %s", env);
    Outcome refused = replyInThread(methods, message, reply.get().text(), t);
    if (refused != null) {
      return refused;
    }
    message.failures = reply.get().shown();
    message.failuresRepliedAt = now;
    record(env, message);
    return Outcome.DONE;
  }

  static Duration retryAfter(String header) {
    try {
      long seconds = header == null ? 30 : Long.parseLong(header.strip());
      return Duration.ofSeconds(Math.max(1, Math.min(seconds, 3600)));
    } catch (NumberFormatException e) {
      return Duration.ofSeconds(30);
    }
  }

  /** Null when Slack said ok; otherwise what the error means for the reporter. */
  private static Outcome refused(SlackApiTextResponse response, Target t) {
    if (response.isOk()) {
      return null;
    }
    String error = response.getError();
    if (REFUSALS.contains(error)) {
      String hint =
          switch (error) {
            case "channel_not_found", "not_in_channel", "is_archived" ->
                "; check spec.slack.channel ("
                    + t.channel()
                    + ") and invite the app to the channel";
            case "missing_scope", "no_permission" -> "; the bot token needs chat:write";
            default ->
                "; check the bot token in Secret " + t.secretsNamespace() + "/" + t.tokenSecret();
          };
      return new Outcome.Rejected("Slack refused: " + error + hint);
    }
    if ("ratelimited".equals(error)) {
      return new Outcome.Retry(Duration.ofSeconds(30), "Slack rate limit");
    }
    return new Outcome.Retry("Slack answered " + error);
  }

  /** Everything this reporter owns in the status, each time (a field left out would be removed). */
  private void record(EnvironmentRef env, Posted posted) {
    SlackMessage message = new SlackMessage();
    if (posted != null) {
      message.setChannel(posted.channel);
      message.setTs(posted.ts);
      message.setExpiryWarning(posted.warnedFor);
      message.setDagErrors(posted.dagErrors);
      message.setTaskFailuresUntil(posted.failures.until());
      message.setTaskFailuresCount(posted.failures.count());
    }
    message.setMessage(problems.get(env));
    WorkflowEnvironmentStatus status = new WorkflowEnvironmentStatus();
    status.setSlack(message);
    recorder.accept(env, status);
  }

  @Override
  public void problem(EnvironmentRef env, String reason) {
    if (reason == null) {
      problems.remove(env);
    } else {
      problems.put(env, reason);
    }
    record(env, posted.get(env));
  }

  @Override
  public void forget(EnvironmentRef env) {
    posted.remove(env);
    problems.remove(env);
  }

  @Override
  public void close() {
    try {
      slack.close();
    } catch (Exception e) {
      LOG.debugf("closing the Slack client: %s", e.getMessage());
    }
  }
}
