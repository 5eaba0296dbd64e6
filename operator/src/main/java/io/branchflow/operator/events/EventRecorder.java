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
    create(kind, namespace, name, uid, warning, reason, message, null);
  }

  /**
   * Like {@link #record} on {@code involved}, but at most one Event per {@code key} (a DNS label):
   * the Event is named after it, so a second pass deciding the same thing (JOSDK may start one
   * before the informer has the first pass's status write) finds it there and records nothing.
   */
  public void recordOnce(
      HasMetadata involved, boolean warning, String reason, String message, String key) {
    create(
        involved.getClass(),
        involved.getMetadata().getNamespace(),
        involved.getMetadata().getName(),
        involved.getMetadata().getUid(),
        warning,
        reason,
        message,
        involved.getMetadata().getName() + "." + key);
  }

  private void create(
      Class<? extends HasMetadata> kind,
      String namespace,
      String name,
      String uid,
      boolean warning,
      String reason,
      String message,
      String eventName) {
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
                  .withName(eventName)
                  .withGenerateName(eventName == null ? name + "." : null)
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
      if (e.getCode() == 409 && eventName != null) {
        return; // recorded already
      }
      LOG.debugf("could not record event for %s/%s: %s", namespace, name, e.getMessage());
    }
  }
}
