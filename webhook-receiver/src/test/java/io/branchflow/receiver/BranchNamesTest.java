package io.branchflow.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BranchNamesTest {

  @Test
  void acceptsWhatGitAccepts() {
    assertThat(BranchNames.valid("feature/hardy")).isTrue();
    assertThat(BranchNames.valid("feature/JIRA-123_fix.v2")).isTrue();
    assertThat(BranchNames.valid("feature/héllo")).isTrue();
    assertThat(BranchNames.valid("feature/" + "a".repeat(247))).isTrue();
  }

  @Test
  void refusesWhatGitRefuses() {
    for (String bad :
        new String[] {
          "",
          "@",
          "feature/a..b",
          "feature/x.lock",
          "feature/.x",
          "feature/x.",
          "feature/x/",
          "/feature",
          "feature//x",
          "feature/a b",
          "feature/a~1",
          "feature/a^",
          "feature/a:b",
          "feature/a?",
          "feature/a*",
          "feature/a[",
          "feature/a\\b",
          "feature/a@{1}",
          "feature/\u0000",
          "feature/\u007f",
          "feature/\uD800",
          "-x",
          "feature/" + "a".repeat(248)
        }) {
      assertThat(BranchNames.valid(bad)).as(bad).isFalse();
    }
  }
}
