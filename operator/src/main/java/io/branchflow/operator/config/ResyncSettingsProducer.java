package io.branchflow.operator.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Builds {@link ResyncSettings} from {@code branchflow.resync.*} in the running app. */
@ApplicationScoped
public class ResyncSettingsProducer {

  @Produces
  @Singleton
  ResyncSettings resyncSettings(
      @ConfigProperty(name = "branchflow.resync.list-timeout") Duration listTimeout,
      @ConfigProperty(name = "branchflow.resync.grace-period") Duration gracePeriod) {
    return new ResyncSettings(listTimeout, gracePeriod);
  }
}
