package io.branchflow.api.branches;

import java.util.regex.Pattern;

/**
 * A repository's {@code branchPattern}: which branches get an environment. {@code *} matches within
 * one path segment (not {@code /}), {@code **} across segments, every other character itself. Used
 * by the webhook receiver and the resync alike, so both agree on every branch.
 */
public final class BranchPattern {

  public static final String DEFAULT = "feature/*";

  private final String glob;
  private final Pattern regex;

  private BranchPattern(String glob) {
    this.glob = glob;
    this.regex = Pattern.compile(toRegex(glob));
  }

  /** The pattern, or {@link #DEFAULT} when {@code glob} is null or blank. */
  public static BranchPattern of(String glob) {
    return new BranchPattern(glob == null || glob.isBlank() ? DEFAULT : glob.strip());
  }

  /** Whether {@code branch} (a name without {@code refs/heads/}) gets an environment. */
  public boolean matches(String branch) {
    return branch != null && !branch.isEmpty() && regex.matcher(branch).matches();
  }

  @Override
  public String toString() {
    return glob;
  }

  private static String toRegex(String glob) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < glob.length()) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        out.append(".*");
        i += 2;
      } else if (c == '*') {
        out.append("[^/]*");
        i++;
      } else {
        out.append(Pattern.quote(String.valueOf(c)));
        i++;
      }
    }
    return out.toString();
  }
}
