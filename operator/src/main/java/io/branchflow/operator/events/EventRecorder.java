package io.branchflow.operator.events;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Records Kubernetes Events on Branchflow's own objects (what {@code kubectl describe} shows).
 * Recording is a courtesy: a failure is logged, never thrown, so no reconcile fails over it.
 */
public final class EventRecorder {

  private static final Logger LOG = Logger.getLogger(EventRecorder.class);
  private static final String COMPONENT = "branchflow-operator";
  private static final int MAX_MESSAGE = 1000;

  private final KubernetesClient client;

  public EventRecorder(KubernetesClient client) {
    this.client = client;
  }

  /** One Event on the object of {@code kind} named {@code namespace/name}. */
  public void record(
      Class<? extends HasMetadata> kind,
      String namespace,
      String name,
      String uid,
      boolean warning,
      String reason,
      String message) {
    String now = Instant.now().toString();
    String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
    try {
      client
          .v1()
          .events()
          .inNamespace(namespace)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withGenerateName(name + ".")
                  .withNamespace(namespace)
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion(HasMetadata.getApiVersion(kind))
                  .withKind(HasMetadata.getKind(kind))
                  .withName(name)
                  .withNamespace(namespace)
                  .withUid(uid)
                  .endInvolvedObject()
                  .withType(warning ? "Warning" : "Normal")
                  .withReason(reason)
                  .withMessage(text)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource()
                  .withComponent(COMPONENT)
                  .endSource()
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      LOG.debugf("could not record event for %s/%s: %s", namespace, name, e.getMessage());
    }
  }
}
