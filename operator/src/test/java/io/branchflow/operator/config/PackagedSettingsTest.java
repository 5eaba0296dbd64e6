package io.branchflow.operator.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The settings as the packaged operator reads them from its application.properties (with the config
 * expressions expanded), not as tests construct them: a bad default there ships to every install.
 */
class PackagedSettingsTest {

  private static SmallRyeConfig config(Map<String, String> environment) throws IOException {
    URL properties = PackagedSettingsTest.class.getResource("/application.properties");
    return new SmallRyeConfigBuilder()
        .addDefaultInterceptors()
        .withSources(new PropertiesConfigSource(properties, 100))
        .withSources(new io.smallrye.config.EnvConfigSource(environment, 300) {})
        .build();
  }

  @Test
  void defaultHostPatternIsAValidPatternWithAndWithoutItsVariable() throws IOException {
    assertThat(config(Map.of()).getValue("branchflow.ingress.default-host-pattern", String.class))
        .isEqualTo("{name}.airflow.localhost");
    assertThat(
            config(Map.of("BRANCHFLOW_INGRESS_DEFAULT_HOST_PATTERN", "{name}.airflow.acme.io"))
                .getValue("branchflow.ingress.default-host-pattern", String.class))
        .isEqualTo("{name}.airflow.acme.io");
  }

  @Test
  void everyBranchflowDefaultResolves() throws IOException {
    SmallRyeConfig config = config(Map.of());
    for (String name : config.getPropertyNames()) {
      if (name.startsWith("branchflow.")) {
        assertThat(config.getValue(name, String.class))
            .as(name)
            .doesNotContain("${")
            .doesNotEndWith("}")
            .isNotBlank();
      }
    }
  }
}
