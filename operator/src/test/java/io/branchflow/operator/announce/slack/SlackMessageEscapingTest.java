package io.branchflow.operator.announce.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.slack.api.util.json.GsonFactory;
import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.SecretKeyRef;
import io.branchflow.api.v1alpha1.SlackSettings;
import io.branchflow.operator.announce.Announcement;
import io.branchflow.operator.announce.EnvironmentRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Slack injection: whatever a pusher chose (branch, login, commit) or the cluster reported (reason,
 * names) is shown in the message, never parsed by Slack as a mention, a link or the end of a code
 * span. Only the mention built from the repository's userMap and our own links are Slack markup.
 * Goes through {@link SlackChannel#target} as the operator does.
 */
class SlackMessageEscapingTest {

  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  private static final String REPOSITORY_LINK = "<https://github.com/acme/dags|acme/dags>";
  private static final String MENTION = "<@U0HARDY>";

  /** What the operator is told, with the pieces a test makes hostile. */
  private record Input(
      String repository,
      String branch,
      String sha,
      String pusher,
      Map<String, String> userMap,
      Phase phase,
      String reason,
      String url,
      String login,
      String environment,
      boolean removed) {

    static Input of(String branch) {
      return new Input(
          "acme/dags",
          branch,
          SHA,
          "hardy",
          Map.of("hardy", "U0HARDY"),
          Phase.Ready,
          null,
          "http://dags-hardy.airflow.example.com/",
          "kubectl get secret airflow-login -n bf-dags-hardy -o jsonpath='{.data.password}'",
          "dags-hardy",
          false);
    }

    Input repository(String r) {
      return new Input(
          r, branch, sha, pusher, userMap, phase, reason, url, login, environment, removed);
    }

    Input pusher(String p, Map<String, String> map) {
      return new Input(
          repository, branch, sha, p, map, phase, reason, url, login, environment, removed);
    }

    Input failed(String why) {
      return new Input(
          repository,
          branch,
          sha,
          pusher,
          userMap,
          Phase.Failed,
          why,
          null,
          null,
          environment,
          removed);
    }

    Input url(String u) {
      return new Input(
          repository, branch, sha, pusher, userMap, phase, reason, u, login, environment, removed);
    }

    Input login(String l) {
      return new Input(
          repository, branch, sha, pusher, userMap, phase, reason, url, l, environment, removed);
    }

    Input environment(String e) {
      return new Input(
          repository, branch, sha, pusher, userMap, phase, reason, url, login, e, removed);
    }

    Input sha(String s) {
      return new Input(
          repository, branch, s, pusher, userMap, phase, reason, url, login, environment, removed);
    }

    Input teardown() {
      return new Input(
          repository,
          branch,
          sha,
          pusher,
          userMap,
          Phase.Terminating,
          "environment removed",
          url,
          null,
          environment,
          true);
    }

    SlackTarget target() {
      SlackSettings s = new SlackSettings();
      s.setChannel("#airflow-envs");
      SecretKeyRef ref = new SecretKeyRef();
      ref.setName("slack-bot");
      ref.setKey("token");
      s.setTokenSecretRef(ref);
      s.setUserMap(userMap);
      Announcement a =
          new Announcement(
              new EnvironmentRef("bf-system", environment, "uid-1"),
              repository,
              "bf-system",
              branch,
              sha,
              pusher,
              phase,
              reason,
              url,
              login,
              "2026-01-01T10:00:00Z",
              phase == Phase.Ready ? "2026-01-01T10:02:14Z" : null,
              null,
              s,
              null,
              null,
              removed,
              null,
              null,
              null,
              true,
              null);
      try (SlackChannel channel =
          new SlackChannel(
              (ns, key) -> java.util.Optional.empty(),
              (env, status) -> {},
              io.branchflow.operator.config.AnnounceSettings.defaults())) {
        return channel.target(a).orElseThrow();
      }
    }
  }

  /**
   * Everything Slack receives for this target: the notification text, the attachment (as the Slack
   * client serialises it, HTML escaping of the JSON undone so {@code <} is {@code <}) and, when
   * removed, the threaded reply.
   */
  private static String sent(Input in) {
    SlackTarget t = in.target();
    SlackMessageRenderer.Rendered rendered = SlackMessageRenderer.render(t);
    String attachments =
        new GsonBuilder()
            .disableHtmlEscaping()
            .create()
            .toJson(
                JsonParser.parseString(
                    GsonFactory.createSnakeCase().toJson(rendered.attachments())));
    return rendered.text()
        + "\n"
        + attachments
        + (t.removed() ? "\n" + SlackMessageRenderer.removedReply(t) : "");
  }

  /** Every phase the message goes through, and the teardown with its reply. */
  private static String sentThroughItsLife(Input in) {
    return String.join(
        "\n",
        sent(
            new Input(
                in.repository(),
                in.branch(),
                in.sha(),
                in.pusher(),
                in.userMap(),
                Phase.Provisioning,
                null,
                null,
                null,
                in.environment(),
                false)),
        sent(in),
        sent(in.failed("migration failed")),
        sent(in.teardown()));
  }

  @Test
  void aBranchNamedLikeAChannelPingPingsNoOne() {
    String sent = sentThroughItsLife(Input.of("feature/<!channel>"));
    assertThat(sent)
        .doesNotContain("<!channel>")
        .contains("`feature/&lt;!channel&gt;`")
        .contains("Airflow for feature/&lt;!channel&gt; is ready")
        .contains("Removed: the environment of `feature/&lt;!channel&gt;` is gone.")
        .contains(MENTION)
        .contains(REPOSITORY_LINK);
  }

  @Test
  void aBranchNamedLikeAMentionMentionsNoOne() {
    String sent = sentThroughItsLife(Input.of("feature/<@U123>"));
    assertThat(sent)
        .doesNotContain("<@U123>")
        .contains("`feature/&lt;@U123&gt;`")
        .contains(MENTION)
        .contains(REPOSITORY_LINK);
  }

  @Test
  void anAmpersandIsShownAsAnAmpersand() {
    String sent = sentThroughItsLife(Input.of("feature/a&b"));
    assertThat(sent)
        .doesNotContain("feature/a&b")
        .contains("`feature/a&amp;b`")
        .contains(MENTION)
        .contains(REPOSITORY_LINK);
  }

  @Test
  void aBranchCannotSmuggleInALink() {
    String sent = sentThroughItsLife(Input.of("feature/x<https://evil.example|click>"));
    assertThat(sent)
        .doesNotContain("<https://evil")
        .contains("`feature/x&lt;https://evil.example|click&gt;`")
        .contains(MENTION)
        .contains(REPOSITORY_LINK);
  }

  @Test
  void aBacktickInTheBranchCannotCloseTheCodeSpan() {
    String sent = sentThroughItsLife(Input.of("feature/a`*b*`<!here>"));
    assertThat(sent)
        .doesNotContain("a`")
        .doesNotContain("<!here>")
        .contains("`feature/a\u02cb*b*\u02cb&lt;!here&gt;`")
        .contains(MENTION)
        .contains(REPOSITORY_LINK);
  }

  @Test
  void aPusherLoginThatIsNotMappedIsShownNotParsed() {
    String sent =
        sentThroughItsLife(Input.of("feature/hardy").pusher("<!channel>", Map.of("hardy", "U1")));
    assertThat(sent)
        .doesNotContain("<!channel>")
        .contains("*Pushed by*\\n&lt;!channel&gt;")
        .contains(REPOSITORY_LINK);
  }

  @Test
  void aLoginNamedLikeAMappedMentionIsNoMention() {
    // Only the userMap makes a mention: a login that looks like one is just text.
    String sent =
        sentThroughItsLife(Input.of("feature/hardy").pusher("<@U0HARDY>", Map.of("hardy", "U1")));
    assertThat(sent).doesNotContain(MENTION).contains("&lt;@U0HARDY&gt;");
  }

  @Test
  void aUserMapValueThatIsNotASlackUserIdMentionsNoOne() {
    String sent =
        sentThroughItsLife(
            Input.of("feature/hardy").pusher("hardy", Map.of("hardy", "U1>, <!channel")));
    assertThat(sent)
        .doesNotContain("<!channel>")
        .doesNotContain("<@U1")
        .contains("*Pushed by*\\nhardy");
  }

  @Test
  void theReasonAndTheNamesInTheCommandAreShownNotParsed() {
    String sent =
        sent(
            Input.of("feature/hardy")
                .environment("dags`<!channel>")
                .failed("image <!here> & <https://evil.example|pull> failed"));
    assertThat(sent)
        .doesNotContain("<!here>")
        .doesNotContain("<!channel>")
        .doesNotContain("<https://evil")
        .contains("*Reason*\\nimage &lt;!here&gt; &amp; &lt;https://evil.example|pull&gt; failed")
        .contains("kubectl describe wfe dags\u02cb&lt;!channel&gt; -n bf-system`")
        .contains(MENTION)
        .contains(REPOSITORY_LINK);
  }

  @Test
  void theLoginHintIsShownNotParsed() {
    String sent = sent(Input.of("feature/hardy").login("x`<!channel>"));
    assertThat(sent).doesNotContain("<!channel>").contains("password: `x\u02cb&lt;!channel&gt;`");
  }

  @Test
  void aRepositoryNameCannotBreakOutOfItsLinks() {
    String sent = sentThroughItsLife(Input.of("feature/hardy").repository("acme/x>y|<!channel>"));
    assertThat(sent)
        .doesNotContain("<!channel>")
        .contains("<https://github.com/acme/x%3Ey%7C%3C!channel%3E|acme/x&gt;y|&lt;!channel&gt;>")
        .contains("<https://github.com/acme/x%3Ey%7C%3C!channel%3E/commit/" + SHA + "|`0123456`>")
        .contains(MENTION);
  }

  @Test
  void anAmpersandInOurOwnLinkIsEscapedAsSlackAsks() {
    String sent = sent(Input.of("feature/hardy").repository("acme/a&b"));
    assertThat(sent)
        .doesNotContain("acme/a&b")
        .contains("<https://github.com/acme/a&amp;b|acme/a&amp;b>");
  }

  @Test
  void aCommitCannotBreakOutOfItsLink() {
    String sent = sent(Input.of("feature/hardy").sha("ab>|<!channel>"));
    assertThat(sent)
        .doesNotContain("<!channel>")
        .contains("/commit/ab%3E%7C%3C!channel%3E|`ab&gt;|&lt;!c`>");
  }

  @Test
  void theButtonUrlCannotCarryMarkup() {
    String sent = sent(Input.of("feature/hardy").url("http://dags.example.com/|<!channel>"));
    assertThat(sent)
        .doesNotContain("<!channel>")
        .contains("\"url\":\"http://dags.example.com/%7C%3C!channel%3E\"");
  }

  @Test
  void mrkdwnFromInputIsVerbatimSoSlackLinksNoBareNames() {
    // verbatim: Slack does not turn a plain "@channel" or "#general" in a branch into a mention
    // or a channel link; the markup we write ourselves (<@U...>, <url|label>) still works.
    SlackMessageRenderer.Rendered rendered =
        SlackMessageRenderer.render(Input.of("feature/@channel-#general").target());
    JsonElement tree =
        JsonParser.parseString(GsonFactory.createSnakeCase().toJson(rendered.attachments()));
    List<JsonObject> mrkdwn = new ArrayList<>();
    collectMrkdwn(tree, mrkdwn);
    assertThat(mrkdwn).hasSizeGreaterThan(3);
    assertThat(mrkdwn)
        .allSatisfy(
            o -> assertThat(o.has("verbatim") && o.get("verbatim").getAsBoolean()).isTrue());
  }

  private static void collectMrkdwn(JsonElement e, List<JsonObject> into) {
    if (e.isJsonArray()) {
      e.getAsJsonArray().forEach(c -> collectMrkdwn(c, into));
    } else if (e.isJsonObject()) {
      JsonObject o = e.getAsJsonObject();
      if (o.has("type") && "mrkdwn".equals(o.get("type").getAsString())) {
        into.add(o);
      }
      o.entrySet().forEach(en -> collectMrkdwn(en.getValue(), into));
    }
  }
}
