package io.branchflow.operator.announce;

import io.branchflow.operator.config.AnnounceSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The running app's {@link Announcer}, stopped with the app. */
@ApplicationScoped
public class AnnouncerProducer {

  @Produces
  @Singleton
  Announcer announcer(KubernetesClient client, AnnounceSettings settings) {
    return Announcer.create(client, settings);
  }

  void close(@Disposes Announcer announcer) {
    announcer.close();
  }
}
