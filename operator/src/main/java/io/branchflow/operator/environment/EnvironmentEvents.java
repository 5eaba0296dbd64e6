package io.branchflow.operator.environment;

import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import org.jboss.logging.Logger;

/** Kubernetes Events on the WorkflowEnvironment for the transitions its users care about. */
final class EnvironmentEvents {

  private static final Logger LOG = Logger.getLogger(EnvironmentEvents.class);
  private static final String COMPONENT = "branchflow-operator";

  private final KubernetesClient client;

  EnvironmentEvents(KubernetesClient client) {
    this.client = client;
  }

  void phaseChanged(WorkflowEnvironment env, Phase from, Phase to, String message) {
    boolean warning = to == Phase.Failed || to == Phase.Degraded;
    LOG.infof(
        "%s/%s: %s -> %s: %s",
        env.getMetadata().getNamespace(), env.getMetadata().getName(), from, to, message);
    String now = Instant.now().toString();
    try {
      client
          .v1()
          .events()
          .inNamespace(env.getMetadata().getNamespace())
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withGenerateName(env.getMetadata().getName() + ".")
                  .withNamespace(env.getMetadata().getNamespace())
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion(env.getApiVersion())
                  .withKind(env.getKind())
                  .withName(env.getMetadata().getName())
                  .withNamespace(env.getMetadata().getNamespace())
                  .withUid(env.getMetadata().getUid())
                  .endInvolvedObject()
                  .withType(warning ? "Warning" : "Normal")
                  .withReason(to.name())
                  .withMessage((from == null ? "" : from + " -> " + to + ": ") + message)
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
      LOG.debugf("could not record event for %s: %s", env.getMetadata().getName(), e.getMessage());
    }
  }
}
