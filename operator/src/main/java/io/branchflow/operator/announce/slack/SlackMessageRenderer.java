package io.branchflow.operator.announce.slack;

import com.slack.api.model.Attachment;
import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.PlainTextObject;
import com.slack.api.model.block.composition.TextObject;
import com.slack.api.model.block.element.ButtonElement;
import io.branchflow.api.v1alpha1.Phase;
import java.util.ArrayList;
import java.util.List;

/**
 * The one Slack message of an environment, as Block Kit blocks inside a coloured attachment (the
 * colour bar is what makes Ready green and Failed red at a glance). Pure: unit-tested field by
 * field, and rendered once into docs/slack.md.
 *
 * <p>Everything taken from input (branch, repository, pusher login, commit, reason, names, the
 * login hint) goes through {@link SlackText}: shown as text, never parsed by Slack as a mention, a
 * link or the end of a code span. The only markup is ours: the userMap mention and the GitHub
 * links. Every mrkdwn object is {@code verbatim}, so Slack does not turn a plain {@code @channel}
 * or {@code #general} in a branch name into a mention or a channel link either.
 */
public final class SlackMessageRenderer {

  public static final String GREEN = "#2eb886";
  public static final String RED = "#e01e5a";
  public static final String YELLOW = "#daa038";
  public static final String GREY = "#9e9e9e";
  public static final String OPEN_AIRFLOW = "open-airflow";

  private SlackMessageRenderer() {}

  /** What chat.postMessage / chat.update send: a notification text and the attachment. */
  public record Rendered(String text, List<Attachment> attachments) {}

  public static Rendered render(SlackTarget t) {
    String branch = SlackText.code(t.branch());
    String headline;
    String color;
    if (t.removed()) {
      headline = ":wastebasket: Airflow for " + branch + " was removed";
      color = GREY;
    } else {
      Phase phase = t.phase();
      switch (phase) {
        case Ready -> {
          headline = ":large_green_circle: Airflow for " + branch + " is ready";
          color = GREEN;
        }
        case Failed -> {
          headline = ":red_circle: Airflow for " + branch + " failed";
          color = RED;
        }
        case Degraded -> {
          headline = ":red_circle: Airflow for " + branch + " is degraded";
          color = RED;
        }
        case Suspended -> {
          headline = ":double_vertical_bar: Airflow for " + branch + " is suspended";
          color = GREY;
        }
        case Queued -> {
          headline = ":hourglass: Airflow for " + branch + " is queued";
          color = GREY;
        }
        default -> {
          headline = ":hourglass_flowing_sand: Provisioning Airflow for " + branch;
          color = YELLOW;
        }
      }
    }
    List<LayoutBlock> blocks = new ArrayList<>();
    blocks.add(section(headline));
    List<TextObject> fields = new ArrayList<>();
    fields.add(
        markdown(
            "*Repository*\n" + SlackText.link(repositoryUrl(t), SlackText.escape(t.repository()))));
    fields.add(markdown("*Branch*\n" + branch));
    // A branch "create" carries no commit; the next push fills it in.
    fields.add(
        markdown(
            "*Commit*\n"
                + (t.sha() == null
                    ? "branch head"
                    : SlackText.link(commitUrl(t), SlackText.code(shortSha(t.sha()))))));
    fields.add(markdown("*Pushed by*\n" + pusher(t)));
    fields.add(markdown("*Phase*\n" + (t.removed() ? "Removed" : t.phase().name())));
    if (t.took() != null && !t.removed()) {
      fields.add(markdown("*Ready in*\n" + SlackText.escape(t.took())));
    }
    blocks.add(SectionBlock.builder().fields(fields).build());
    if (!t.removed()) {
      switch (t.phase()) {
        case Ready -> {
          if (t.url() != null) {
            blocks.add(
                ActionsBlock.builder()
                    .elements(
                        List.of(
                            ButtonElement.builder()
                                .actionId(OPEN_AIRFLOW)
                                .text(PlainTextObject.builder().text("Open Airflow").build())
                                .url(SlackText.url(t.url()))
                                .style("primary")
                                .build()))
                    .build());
          }
          if (t.login() != null) {
            blocks.add(context("*Log in* as `admin`, password: " + SlackText.code(t.login())));
          }
        }
        case Failed, Degraded -> {
          blocks.add(section("*Reason*\n" + SlackText.escape(t.reason())));
          blocks.add(
              context(
                  "*What next:* fix what the reason names (image, configuration, Secret) and"
                      + " push or edit the environment; Branchflow retries on its own. Details:"
                      + " "
                      + SlackText.code(
                          "kubectl describe wfe "
                              + t.environment()
                              + " -n "
                              + t.environmentNamespace())));
        }
        case Queued -> {
          blocks.add(section("*Waiting*\n" + SlackText.escape(t.reason())));
          blocks.add(
              context(
                  "Nothing runs yet. It is provisioned, first come first served, as soon as"
                      + " another environment of the repository is removed."));
        }
        case Suspended -> {
          // Suspended by limits.idleAfter, the reason says so and how to wake it.
          if (t.reason() != null) {
            blocks.add(section("*Why*\n" + SlackText.escape(t.reason())));
          }
          blocks.add(
              context(
                  "Airflow is scaled to zero; the database and its data are kept. Resume with"
                      + " `spec.suspend: false`."));
        }
        default -> {}
      }
    } else {
      blocks.add(
          context(
              "The branch's namespace and everything in it were deleted."
                  + (t.expiry() == null ? "" : " " + expired(t))));
    }
    // Escaped like the blocks (it is mrkdwn too); only our own backticks are taken out, the
    // branch's own are already U+02CB.
    String text = headline.replaceAll(":[a-z_]+: ", "").replace("`", "");
    Attachment attachment = Attachment.builder().color(color).fallback(text).blocks(blocks).build();
    return new Rendered(text, List.of(attachment));
  }

  /** The threaded reply on teardown. */
  public static String removedReply(SlackTarget t) {
    return ":wastebasket: Removed: the environment of "
        + SlackText.code(t.branch())
        + " is gone."
        + (t.expiry() == null ? "" : " " + expired(t));
  }

  /** limits.ttl: the threaded reply before the environment is removed. */
  public static String expiryWarning(SlackTarget t) {
    return ":alarm_clock: The environment of "
        + SlackText.code(t.branch())
        + " will be removed at "
        + SlackText.escape(t.expiry().removeAt())
        + ", "
        + SlackText.escape(t.expiry().ttl())
        + " after the last push to its branch (limits.ttl). Push to the branch to keep it.";
  }

  private static String expired(SlackTarget t) {
    return "It expired after "
        + SlackText.escape(t.expiry().ttl())
        + " without a push; a push to the branch brings it back.";
  }

  /** The pusher: the userMap's mention, else the login as text. */
  private static String pusher(SlackTarget t) {
    String mention = SlackText.mention(t.pusherSlackUser());
    if (mention != null) {
      return mention;
    }
    return t.pusher() == null ? "unknown" : SlackText.escape(t.pusher());
  }

  /** Raw: {@link SlackText#link} encodes and escapes it. */
  static String repositoryUrl(SlackTarget t) {
    return "https://github.com/" + t.repository();
  }

  /** Raw: {@link SlackText#link} encodes and escapes it. */
  static String commitUrl(SlackTarget t) {
    return repositoryUrl(t) + "/commit/" + t.sha();
  }

  static String shortSha(String sha) {
    return sha == null ? "unknown" : sha.substring(0, Math.min(7, sha.length()));
  }

  private static SectionBlock section(String text) {
    return SectionBlock.builder().text(markdown(text)).build();
  }

  private static ContextBlock context(String text) {
    return ContextBlock.builder().elements(List.of(markdown(text))).build();
  }

  private static MarkdownTextObject markdown(String text) {
    return MarkdownTextObject.builder().text(text).verbatim(true).build();
  }
}
