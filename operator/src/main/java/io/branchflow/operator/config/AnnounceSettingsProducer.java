package io.branchflow.operator.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Builds {@link AnnounceSettings} from configuration in the running app. */
@ApplicationScoped
public class AnnounceSettingsProducer {

  @Produces
  @Singleton
  AnnounceSettings announceSettings(
      @ConfigProperty(name = "branchflow.github.api-url") String githubApiUrl,
      @ConfigProperty(name = "branchflow.slack.api-url") String slackApiUrl,
      @ConfigProperty(name = "branchflow.announce.request-timeout") Duration requestTimeout,
      @ConfigProperty(name = "branchflow.announce.retry-max") Duration retryMax,
      @ConfigProperty(name = "branchflow.announce.rejected-retry") Duration rejectedRetry) {
    return new AnnounceSettings(
        githubApiUrl,
        slackApiUrl,
        requestTimeout,
        AnnounceSettings.defaults().retryMin(),
        retryMax,
        rejectedRetry);
  }
}
