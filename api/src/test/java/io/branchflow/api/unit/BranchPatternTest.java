package io.branchflow.api.unit;

import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.branches.BranchPattern;
import org.junit.jupiter.api.Test;

class BranchPatternTest {

  @Test
  void defaultPatternTakesFeatureBranchesOneSegmentDeep() {
    BranchPattern pattern = BranchPattern.of(null);
    assertThat(pattern.matches("feature/hardy")).isTrue();
    assertThat(pattern.matches("feature/a.b_c-d")).isTrue();
    assertThat(pattern.matches("feature/team/hardy")).isFalse();
    assertThat(pattern.matches("main")).isFalse();
    assertThat(pattern.matches("Feature/hardy")).isFalse();
    assertThat(pattern.matches("xfeature/hardy")).isFalse();
    assertThat(pattern.matches("")).isFalse();
    assertThat(pattern.matches(null)).isFalse();
  }

  @Test
  void doubleStarCrossesSegments() {
    BranchPattern pattern = BranchPattern.of("feature/**");
    assertThat(pattern.matches("feature/team/hardy")).isTrue();
    assertThat(pattern.matches("feature/hardy")).isTrue();
    assertThat(pattern.matches("release/1.0")).isFalse();
  }

  @Test
  void regexCharactersAreLiterals() {
    BranchPattern pattern = BranchPattern.of("release/v1.+(x)");
    assertThat(pattern.matches("release/v1.+(x)")).isTrue();
    assertThat(pattern.matches("release/v11(x)")).isFalse();
  }
}
