package io.branchflow.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShortHashTest {

  @Test
  void leadingHexDigitsOfTheSha256() {
    // sha256("ghp_example") = c4855f54c3fc9acf... (as `sha256sum` prints it)
    assertThat(ShortHash.of("ghp_example", 16)).isEqualTo("c4855f54c3fc9acf");
    assertThat(ShortHash.of("ghp_example", 8)).isEqualTo("c4855f54");
  }

  @Test
  void partsAreKeptApart() {
    assertThat(ShortHash.ofParts(List.of("ab", "c"), 16))
        .isNotEqualTo(ShortHash.ofParts(List.of("a", "bc"), 16));
  }
}
