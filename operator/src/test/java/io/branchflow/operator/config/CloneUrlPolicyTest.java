package io.branchflow.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CloneUrlPolicyTest {

  @Test
  void encryptedTransportsAndLoopbackAreFine() {
    for (String url :
        List.of(
            "https://github.com/acme/dags.git",
            "ssh://git@github.com/acme/dags.git",
            "git@github.com:acme/dags.git",
            "http://127.0.0.1:8080/acme/dags.git",
            "http://localhost/acme/dags.git")) {
      assertThat(CloneUrlPolicy.problem(url, List.of())).as(url).isEmpty();
    }
  }

  @Test
  void plainHttpElsewhereIsRefusedUnlessTheHostIsNamed() {
    assertThat(CloneUrlPolicy.problem("http://git.example.com/acme/dags.git", List.of()))
        .hasValueSatisfying(
            m -> assertThat(m).contains("plain http", "git.example.com", "plain-http-hosts"));
    assertThat(
            CloneUrlPolicy.problem("http://10.244.0.1:35561/acme/dags.git", List.of("10.244.0.1")))
        .isEmpty();
    assertThat(CloneUrlPolicy.problem("HTTP://10.244.0.2/acme/dags.git", List.of("10.244.0.1")))
        .isPresent();
  }
}
