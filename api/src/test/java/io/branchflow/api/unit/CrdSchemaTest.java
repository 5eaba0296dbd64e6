package io.branchflow.api.unit;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What users and the API server get from the committed CRDs. */
class CrdSchemaTest {

  private static final CustomResourceDefinition ENVIRONMENT =
      load("workflowenvironments.branchflow.io-v1.yml");
  private static final CustomResourceDefinition REPOSITORY =
      load("workflowrepositories.branchflow.io-v1.yml");

  @Test
  void everyPropertyCarriesADescription() {
    for (CustomResourceDefinition crd : List.of(ENVIRONMENT, REPOSITORY)) {
      List<String> undescribed = new ArrayList<>();
      JSONSchemaProps root = version(crd).getSchema().getOpenAPIV3Schema();
      collectUndescribed("", root.getProperties().get("spec"), undescribed);
      collectUndescribed("", root.getProperties().get("status"), undescribed);
      assertThat(undescribed).as(crd.getMetadata().getName()).isEmpty();
    }
  }

  @Test
  void environmentIsListedWithTheColumnsUsersExpect() {
    assertThat(ENVIRONMENT.getSpec().getNames().getShortNames()).containsExactly("wfe", "wfenv");
    assertThat(version(ENVIRONMENT).getAdditionalPrinterColumns())
        .extracting(
            CustomResourceColumnDefinition::getName, CustomResourceColumnDefinition::getJsonPath)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Branch", ".spec.branch"),
            org.assertj.core.groups.Tuple.tuple("Phase", ".status.phase"),
            org.assertj.core.groups.Tuple.tuple("Revision", ".status.revision"),
            org.assertj.core.groups.Tuple.tuple("URL", ".status.url"),
            org.assertj.core.groups.Tuple.tuple("Age", ".metadata.creationTimestamp"),
            org.assertj.core.groups.Tuple.tuple("Message", ".status.message"));
  }

  @Test
  void bothResourcesAreNamespacedWithAStatusSubresource() {
    for (CustomResourceDefinition crd : List.of(ENVIRONMENT, REPOSITORY)) {
      assertThat(crd.getSpec().getScope()).isEqualTo("Namespaced");
      assertThat(crd.getSpec().getGroup()).isEqualTo("branchflow.io");
      assertThat(version(crd).getName()).isEqualTo("v1alpha1");
      assertThat(version(crd).getSubresources().getStatus()).isNotNull();
    }
  }

  @Test
  void apiServerEnforcesRequiredFieldsEnumsAndPatterns() {
    JSONSchemaProps envSpec = property(ENVIRONMENT, "spec");
    assertThat(envSpec.getRequired()).containsExactlyInAnyOrder("repositoryRef", "branch");
    assertThat(envSpec.getProperties().get("commitSha").getPattern()).isNotBlank();
    assertThat(envSpec.getProperties().get("branch").getMaxLength()).isEqualTo(255L);
    assertThat(property(ENVIRONMENT, "status").getProperties().get("phase").getEnum())
        .extracting(node -> node.asText())
        .containsExactlyInAnyOrder(
            "Pending",
            "Queued",
            "Provisioning",
            "Ready",
            "Degraded",
            "Failed",
            "Suspended",
            "Terminating");

    JSONSchemaProps repoSpec = property(REPOSITORY, "spec");
    assertThat(repoSpec.getRequired())
        .containsExactlyInAnyOrder("repository", "cloneUrl", "webhookSecretRef");
    assertThat(repoSpec.getProperties().get("branchPattern").getDefault().asText())
        .isEqualTo("feature/*");
    JSONSchemaProps limits = repoSpec.getProperties().get("limits");
    assertThat(limits.getProperties().get("maxEnvironments").getMinimum()).isEqualTo(1.0);
    assertThat(limits.getProperties()).containsOnlyKeys("maxEnvironments", "ttl", "idleAfter");
    assertThat(limits.getProperties().get("idleAfter").getPattern())
        .as("the same positive duration: 0h would suspend every environment at once")
        .isEqualTo(limits.getProperties().get("ttl").getPattern());
    // A positive duration: "0h" would remove every environment at once.
    java.util.regex.Pattern ttl =
        java.util.regex.Pattern.compile(limits.getProperties().get("ttl").getPattern());
    assertThat(List.of("72h", "7d", "1h30m", "90s", "0h30m", "0d1s"))
        .allMatch(t -> ttl.matcher(t).matches());
    assertThat(List.of("0h", "0s0m", "72", "PT72H", "3 days", "-1h", "h", ""))
        .noneMatch(t -> ttl.matcher(t).matches());
    JSONSchemaProps executor =
        repoSpec.getProperties().get("template").getProperties().get("executor");
    assertThat(executor.getEnum())
        .extracting(node -> node.asText())
        .containsExactlyInAnyOrder("LocalExecutor", "KubernetesExecutor");
  }

  private static void collectUndescribed(String path, JSONSchemaProps schema, List<String> out) {
    if (schema.getProperties() == null) {
      return;
    }
    for (Map.Entry<String, JSONSchemaProps> property : schema.getProperties().entrySet()) {
      String at = path + "." + property.getKey();
      JSONSchemaProps value = property.getValue();
      if (value.getDescription() == null || value.getDescription().isBlank()) {
        out.add(at);
      }
      collectUndescribed(at, value, out);
      if (value.getItems() != null && value.getItems().getSchema() != null) {
        collectUndescribed(at + "[]", value.getItems().getSchema(), out);
      }
    }
  }

  private static JSONSchemaProps property(CustomResourceDefinition crd, String name) {
    return version(crd).getSchema().getOpenAPIV3Schema().getProperties().get(name);
  }

  private static CustomResourceDefinitionVersion version(CustomResourceDefinition crd) {
    assertThat(crd.getSpec().getVersions()).hasSize(1);
    return crd.getSpec().getVersions().get(0);
  }

  private static CustomResourceDefinition load(String file) {
    try (InputStream in = Files.newInputStream(Path.of("..", "crds", file))) {
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read crds/" + file, e);
    }
  }
}
