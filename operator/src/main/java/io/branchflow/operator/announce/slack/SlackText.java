package io.branchflow.operator.announce.slack;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Text from outside (branch, repository, pusher login, commit, reasons, names) made safe to put in
 * Slack mrkdwn, so that a branch named {@code feature/<!channel>} shows that name instead of
 * pinging the channel, and {@code x<https://evil|click>} shows instead of rendering a link.
 *
 * <p>Slack's "Formatting text for app surfaces" (docs.slack.dev/messaging/formatting-message-text,
 * section "Escaping text"; formerly api.slack.com/reference/surfaces/formatting#escaping): {@code
 * &}, {@code <} and {@code >} are Slack's control characters, so where they are not used for
 * Slack's own parsing they must be replaced with the HTML entities {@code &amp;}, {@code &lt;} and
 * {@code &gt;}; nothing else is to be entity-encoded, since only those three are decoded for
 * display. The only Slack markup the renderer writes itself is mentions ({@link #mention}, from the
 * repository's userMap) and links ({@link #link}); every piece of input inside them is escaped too.
 */
final class SlackText {

  /**
   * What a backtick becomes inside a code span: U+02CB MODIFIER LETTER GRAVE ACCENT, which looks
   * like a backtick, so the name still reads as it was pushed, but is no mrkdwn control character
   * and so cannot close the span. Not {@code '}: our own code spans hold shell commands that use
   * {@code '} (the login hint's jsonpath), and a branch shown with a quote it does not have would
   * be misread there.
   */
  static final char BACKTICK_STANDIN = '\u02cb';

  /** A Slack user ID (U..., or W... on Enterprise Grid); anything else is no mention. */
  private static final Pattern USER_ID = Pattern.compile("[UW][A-Z0-9]+");

  private SlackText() {}

  /** {@code &}, {@code <}, {@code >} as Slack's entities; {@code null} shows as "null". */
  static String escape(String text) {
    String s = String.valueOf(text);
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** An inline code span of {@code text}: escaped, and no backtick inside to close it early. */
  static String code(String text) {
    return "`" + escape(text).replace('`', BACKTICK_STANDIN) + "`";
  }

  /**
   * A mention of a Slack user, {@code <@U0HARDY>}, or null when {@code userId} is not a Slack user
   * ID: the userMap is written by platform engineers, but a value such as {@code U1> <!channel}
   * must not become markup either.
   */
  static String mention(String userId) {
    return userId != null && USER_ID.matcher(userId).matches() ? "<@" + userId + ">" : null;
  }

  /**
   * A link {@code <url|label>}. {@code label} is mrkdwn the caller already made safe ({@link
   * #escape}, {@link #code}); the URL is {@link #url}-encoded, so no {@code |} or {@code >} in it
   * ends the URL or the link early, then escaped, so an {@code &} in it is Slack's {@code &amp;}.
   */
  static String link(String url, String label) {
    return "<" + escape(url(url)) + "|" + label + ">";
  }

  /**
   * {@code url} with every character that may not appear in a URI (RFC 3986: not unreserved, not a
   * delimiter, not {@code %}) percent-encoded as UTF-8: {@code <}, {@code >}, {@code |}, {@code "},
   * backtick, space, braces, backslash, {@code ^}, controls and non-ASCII. A URL that was valid
   * stays as it was; for the button's {@code url} field, which Slack does not parse as mrkdwn.
   */
  static String url(String url) {
    String s = String.valueOf(url);
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (allowedInUri(c)) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  private static boolean allowedInUri(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "-._~:/?#[]@!$&'()*+,;=%".indexOf(c) >= 0;
  }
}
