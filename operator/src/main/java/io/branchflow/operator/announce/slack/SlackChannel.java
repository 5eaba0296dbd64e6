package io.branchflow.operator.announce.slack;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.SlackSettings;
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
import java.util.Optional;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;

/**
 * One Slack message per environment: posted when it is first announced (provisioning starts),
 * updated in place on each phase change or push, a threaded reply and a last update when it is
 * removed; threaded replies when the loaded commit's DAG files fail to import and when that is
 * fixed, and when task instances fail (at most one such reply per {@link
 * TaskFailuresReply#MIN_INTERVAL}). The message's channel and {@code ts}, and which import errors
 * and task failures its thread shows, are recorded in {@code status.slack} ({@link PostedMessages})
 * so a restarted operator updates it instead of posting anew and repeats no reply.
 */
public final class SlackChannel implements Channel<SlackTarget>, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(SlackChannel.class);

  private final TokenSource tokens;
  private final Slack slack;
  private final PostedMessages memory;
  private final EnvironmentMessage message;
  private final ThreadReplies replies;

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
    this.slack = client(settings);
    this.memory = new PostedMessages(recorder);
    this.message = new EnvironmentMessage(memory);
    this.replies = new ThreadReplies(memory, clock);
  }

  private static Slack client(AnnounceSettings settings) {
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
    return Slack.getInstance(config);
  }

  @Override
  public String name() {
    return "Slack";
  }

  @Override
  public Optional<SlackTarget> target(Announcement a) {
    SlackSettings s = a.slack();
    if (s == null
        || Boolean.FALSE.equals(s.getEnabled())
        || s.getChannel() == null
        || s.getTokenSecretRef() == null
        || a.repository() == null) {
      return Optional.empty();
    }
    memory.recall(a.environment(), a.recordedSlack());
    Phase phase = a.phase();
    if (!a.removed() && (phase == null || phase == Phase.Pending || phase == Phase.Terminating)) {
      return Optional.empty();
    }
    return Optional.of(SlackTarget.of(a, s));
  }

  @Override
  public boolean isFinal(SlackTarget target) {
    return target.removed();
  }

  /**
   * The message, then the thread's replies in order; a step Slack does not take ends the delivery
   * with what its answer means ({@link SlackFailures}), and the next attempt goes on from there.
   */
  @Override
  public Outcome deliver(EnvironmentRef env, SlackTarget t) {
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
    try {
      PostedMessage posted = message.show(methods, env, t);
      if (posted == null) {
        return Outcome.DONE; // never posted, nothing to say
      }
      if (t.removed()) {
        replies.removed(methods, posted, t);
        return Outcome.DONE;
      }
      replies.expiryWarning(methods, env, posted, t);
      replies.dagImports(methods, env, posted, t);
      return replies.taskFailures(methods, env, posted, t);
    } catch (SlackFailures.NotOk e) {
      return e.outcome();
    } catch (SlackApiException e) {
      return SlackFailures.of(e);
    } catch (IOException e) {
      return SlackFailures.unreachable(e);
    }
  }

  @Override
  public void problem(EnvironmentRef env, String reason) {
    memory.problem(env, reason);
  }

  @Override
  public void forget(EnvironmentRef env) {
    memory.forget(env);
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
