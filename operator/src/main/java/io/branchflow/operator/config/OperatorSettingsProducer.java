package io.branchflow.operator.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Builds {@link OperatorSettings} from {@code branchflow.*} configuration in the running app. */
@ApplicationScoped
public class OperatorSettingsProducer {

  @Produces
  @Singleton
  OperatorSettings settings(
      @ConfigProperty(name = "branchflow.ingress.default-host-pattern") String defaultHostPattern,
      @ConfigProperty(name = "branchflow.ingress.url-scheme") String urlScheme,
      @ConfigProperty(name = "branchflow.migration.retry-delay") Duration migrationRetryDelay,
      @ConfigProperty(name = "branchflow.git.plain-http-hosts")
          Optional<List<String>> plainHttpGitHosts,
      @ConfigProperty(name = "branchflow.rbac.environment-role") Optional<String> environmentRole,
      @ConfigProperty(name = "branchflow.rbac.service-account") Optional<String> serviceAccount) {
    return new OperatorSettings(
        OperatorSettings.FIELD_MANAGER,
        defaultHostPattern,
        urlScheme,
        migrationRetryDelay,
        plainHttpGitHosts.orElse(List.of()).stream()
            .map(String::strip)
            .filter(h -> !h.isEmpty())
            .toList(),
        EnvironmentAccess.of(environmentRole, serviceAccount).orElse(null));
  }
}
