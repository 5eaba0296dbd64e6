package io.branchflow.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The HTTP limits as the packaged receiver reads them from its application.properties (config
 * expressions expanded, values read with Quarkus's own converters), without starting it: they hold
 * before any signature is checked, so a lost or mistyped one ships an unbounded endpoint.
 */
class PackagedSettingsTest {

  private static final long MIB = 1024 * 1024;

  private static SmallRyeConfig config(Map<String, String> environment) throws IOException {
    URL properties = PackagedSettingsTest.class.getResource("/application.properties");
    return new SmallRyeConfigBuilder()
        .addDefaultInterceptors()
        .withSources(new PropertiesConfigSource(properties, 100))
        .withSources(new EnvConfigSource(environment, 300) {})
        .build();
  }

  private static long bytes(SmallRyeConfig config, String name) {
    return new MemorySizeConverter().convert(config.getValue(name, String.class)).asLongValue();
  }

  private static Duration duration(SmallRyeConfig config, String name) {
    return new DurationConverter().convert(config.getValue(name, String.class));
  }

  @Test
  void theHttpLayerCapsABodyAtOneMebibyteBeforeReadingIt() throws IOException {
    SmallRyeConfig config = config(Map.of());
    long httpCap = bytes(config, "quarkus.http.limits.max-body-size");
    long receiverCap = config.getValue("branchflow.webhook.max-body-bytes", Long.class);
    assertThat(receiverCap).isEqualTo(MIB);
    // Above the receiver's own cap, so a delivery just over it gets the 413 with a reason, and
    // by no more than 64 KiB: what an unauthenticated caller can make one connection hold.
    assertThat(httpCap).isGreaterThan(receiverCap).isLessThanOrEqualTo(MIB + 64 * 1024);
  }

  @Test
  void connectionsAreCappedAndIdleOrTricklingOnesClosed() throws IOException {
    SmallRyeConfig config = config(Map.of());
    assertThat(config.getValue("quarkus.http.limits.max-connections", Integer.class)).isEqualTo(64);
    // Quarkus's defaults are 30 minutes and 60 s; GitHub gives up on a delivery after 10 s.
    assertThat(duration(config, "quarkus.http.idle-timeout")).isEqualTo(Duration.ofSeconds(30));
    assertThat(duration(config, "quarkus.http.read-timeout")).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void everyBranchflowDefaultResolves() throws IOException {
    SmallRyeConfig config = config(Map.of());
    for (String name : config.getPropertyNames()) {
      if (name.startsWith("branchflow.") && !name.equals("branchflow.namespace")) {
        assertThat(config.getValue(name, String.class))
            .as(name)
            .doesNotContain("${")
            .doesNotEndWith("}")
            .isNotBlank();
      }
    }
  }
}
