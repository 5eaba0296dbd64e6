package io.branchflow.operator.environment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The config hash is an annotation on every running environment's pods: a different value for the
 * same configuration would roll every environment when the operator is upgraded.
 */
class ConfigHashTest {

  private static final ConfigMap CONFIG =
      new ConfigMapBuilder().withData(Map.of("AIRFLOW__CORE__EXECUTOR", "LocalExecutor")).build();
  private static final Secret GENERATED =
      new SecretBuilder().withData(Map.of("POSTGRES_PASSWORD", "c2VjcmV0")).build();
  private static final Secret COPY =
      new SecretBuilder()
          .withNewMetadata()
          .withName("warehouse")
          .endMetadata()
          .withData(Map.of("token", "dG9rZW4="))
          .build();
  private static final ConfigMap POD_TEMPLATE =
      new ConfigMapBuilder().withData(Map.of("pod_template.yaml", "kind: Pod")).build();

  @Test
  void sameConfigurationHashesAsInEarlierReleases() {
    assertThat(EnvironmentProvisioner.configHash(CONFIG, GENERATED, List.of(), null))
        .isEqualTo("ceb8a9baacf4a17c");
    assertThat(EnvironmentProvisioner.configHash(CONFIG, GENERATED, List.of(COPY), POD_TEMPLATE))
        .isEqualTo("f2f86c57d766f844");
  }
}
