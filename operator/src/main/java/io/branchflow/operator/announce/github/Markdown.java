package io.branchflow.operator.announce.github;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GitHub-flavoured Markdown for text Branchflow does not control (branch names, DAG file names and
 * their import errors come from the branch's author): shown as written, never as markup, links,
 * HTML or {@code @mentions} that would notify people on every edit.
 */
final class Markdown {

  private static final Pattern BACKTICKS = Pattern.compile("`+");
  private static final Pattern SPECIAL = Pattern.compile("[\\\\\\[\\]<>*_|#~]");

  private Markdown() {}

  /** An inline code span that holds {@code text} verbatim, whatever backticks it contains. */
  static String code(String text) {
    String oneLine = text.replaceAll("[\\r\\n]+", " ");
    String fence = "`".repeat(longestRun(oneLine) + 1);
    boolean pad = oneLine.startsWith("`") || oneLine.endsWith("`");
    return fence + (pad ? " " + oneLine + " " : oneLine) + fence;
  }

  /** A fenced code block of {@code lines}; nothing in it renders, mentions included. */
  static String block(List<String> lines) {
    String joined = String.join("\n", lines);
    String fence = "`".repeat(Math.max(3, longestRun(joined) + 1));
    return fence + "\n" + joined + "\n" + fence;
  }

  /**
   * A sentence of the operator's (status.message) as plain text on one line: markup characters
   * escaped, {@code @} followed by a zero-width space so no team or user is mentioned. Backticks
   * stay: the operator's messages quote commands in them.
   */
  static String text(String text) {
    String oneLine = text.replaceAll("[\\r\\n]+", " ");
    String escaped =
        SPECIAL.matcher(oneLine).replaceAll(m -> Matcher.quoteReplacement("\\" + m.group()));
    return escaped.replace("@", "@&#8203;");
  }

  private static int longestRun(String text) {
    int longest = 0;
    Matcher m = BACKTICKS.matcher(text);
    while (m.find()) {
      longest = Math.max(longest, m.group().length());
    }
    return longest;
  }
}
