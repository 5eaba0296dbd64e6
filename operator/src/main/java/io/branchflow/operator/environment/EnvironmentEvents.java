package io.branchflow.operator.environment;

import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import org.jboss.logging.Logger;

/** Kubernetes Events on the WorkflowEnvironment for the transitions its users care about. */
public final class EnvironmentEvents {

  private static final Logger LOG = Logger.getLogger(EnvironmentEvents.class);
  private static final String COMPONENT = "branchflow-operator";

  private final KubernetesClient client;

  public EnvironmentEvents(KubernetesClient client) {
    this.client = client;
  }

  void phaseChanged(WorkflowEnvironment env, Phase from, Phase to, String message) {
    boolean warning = to == Phase.Failed || to == Phase.Degraded;
    LOG.infof(
        "%s/%s: %s -> %s: %s",
        env.getMetadata().getNamespace(), env.getMetadata().getName(), from, to, message);
    emit(
        env.getMetadata().getNamespace(),
        env.getMetadata().getName(),
        env.getMetadata().getUid(),
        warning,
        to.name(),
        (from == null ? "" : from + " -> " + to + ": ") + message);
  }

  /** One Event on the named WorkflowEnvironment; failing to record it is only logged. */
  public void emit(
      String namespace, String name, String uid, boolean warning, String reason, String message) {
    String now = Instant.now().toString();
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
                  .withApiVersion(HasMetadata.getApiVersion(WorkflowEnvironment.class))
                  .withKind(HasMetadata.getKind(WorkflowEnvironment.class))
                  .withName(name)
                  .withNamespace(namespace)
                  .withUid(uid)
                  .endInvolvedObject()
                  .withType(warning ? "Warning" : "Normal")
                  .withReason(reason)
                  .withMessage(message)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource()
                  .withComponent(COMPONENT)
                  .endSource()
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      // An event is a courtesy; never fail a reconcile over it.
      LOG.debugf("could not record event for %s: %s", name, e.getMessage());
    }
  }
}
