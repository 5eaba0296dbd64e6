package io.branchflow.receiver;

/**
 * Git's rules for a branch name ({@code git check-ref-format --branch}), so a hostile ref never
 * reaches an object name, a label or a git-sync argument. Non-ASCII letters are allowed, as git
 * allows them.
 */
final class BranchNames {

  /** The longest branch a WorkflowEnvironment's spec.branch accepts. */
  static final int MAX_LENGTH = 255;

  private BranchNames() {}

  static boolean valid(String branch) {
    if (branch == null || branch.isEmpty() || branch.length() > MAX_LENGTH) {
      return false;
    }
    if (branch.equals("@")
        || branch.contains("..")
        || branch.contains("@{")
        || branch.contains("//")
        || branch.startsWith("/")
        || branch.endsWith("/")
        || branch.endsWith(".")
        || branch.startsWith("-")) {
      return false;
    }
    for (int i = 0; i < branch.length(); i++) {
      char c = branch.charAt(i);
      if (c < 0x20 || c == 0x7f || " ~^:?*[\\".indexOf(c) >= 0) {
        return false;
      }
      if (Character.isSurrogate(c) && !validSurrogatePair(branch, i)) {
        return false;
      }
    }
    for (String component : branch.split("/")) {
      if (component.startsWith(".") || component.endsWith(".lock")) {
        return false;
      }
    }
    return true;
  }

  private static boolean validSurrogatePair(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
