package io.branchflow.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The decision behind {@link NeedsKwok}, without a cluster. */
class KwokNodeConditionTest {

  private static final String SERVER = "https://127.0.0.1:6443/";

  @Test
  void aNodeAnnotatedAsKwoksFakeNodeEnablesTheTest() {
    var verdict =
        KwokNodeCondition.decide(
            List.of(
                node("real-0", Map.of("branchflow.io/node-kind", "real")),
                node("kwok-node-0", Map.of("kwok.x-k8s.io/node", "fake"))),
            false,
            SERVER);

    assertThat(verdict.kwokNode()).isTrue();
    assertThat(verdict.message()).contains("kwok-node-0").doesNotContain("real-0");
  }

  @Test
  void withoutOneTheTestIsSkippedOnAnExternalClusterWithTheReason() {
    var verdict =
        KwokNodeCondition.decide(
            List.of(
                node("kind-control-plane", null),
                node("other", Map.of("kwok.x-k8s.io/node", "real"))),
            false,
            SERVER);

    assertThat(verdict.kwokNode()).isFalse();
    assertThat(verdict.message())
        .contains(SERVER)
        .contains("kwok.x-k8s.io/node=fake")
        .contains("2 nodes")
        .contains("Which tests need kwok");
  }

  @Test
  void withoutOneThePrivateControlPlaneIsBrokenAndTheTestFails() {
    assertThatThrownBy(() -> KwokNodeCondition.decide(List.of(), true, SERVER))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("private local control plane")
        .hasMessageContaining("kwok-node-0");
  }

  @Test
  void theAnnotationTagsTheTestAndRegistersTheCondition() {
    assertThat(NeedsKwok.class.getAnnotation(Tag.class).value()).isEqualTo("kwok");
    assertThat(NeedsKwok.class.getAnnotation(ExtendWith.class).value())
        .containsExactly(KwokNodeCondition.class);
  }

  private static Node node(String name, Map<String, String> annotations) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .withAnnotations(annotations)
        .endMetadata()
        .build();
  }
}
