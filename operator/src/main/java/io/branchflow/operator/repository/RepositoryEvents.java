package io.branchflow.operator.repository;

import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import org.jboss.logging.Logger;

/** Kubernetes Events on a WorkflowRepository: what a resync did or refused to do. */
final class RepositoryEvents {

  private static final Logger LOG = Logger.getLogger(RepositoryEvents.class);
  private static final String COMPONENT = "branchflow-operator";

  private final KubernetesClient client;

  RepositoryEvents(KubernetesClient client) {
    this.client = client;
  }

  void normal(WorkflowRepository repository, String reason, String message) {
    record(repository, "Normal", reason, message);
  }

  void warning(WorkflowRepository repository, String reason, String message) {
    record(repository, "Warning", reason, message);
  }

  private void record(WorkflowRepository repository, String type, String reason, String message) {
    String ns = repository.getMetadata().getNamespace();
    String name = repository.getMetadata().getName();
    if (type.equals("Warning")) {
      LOG.warnf("repository %s/%s: %s: %s", ns, name, reason, message);
    } else {
      LOG.infof("repository %s/%s: %s: %s", ns, name, reason, message);
    }
    String now = Instant.now().toString();
    try {
      client
          .v1()
          .events()
          .inNamespace(ns)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withGenerateName(name + ".")
                  .withNamespace(ns)
                  .endMetadata()
                  .withNewInvolvedObject()
                  .withApiVersion(repository.getApiVersion())
                  .withKind(repository.getKind())
                  .withName(name)
                  .withNamespace(ns)
                  .withUid(repository.getMetadata().getUid())
                  .endInvolvedObject()
                  .withType(type)
                  .withReason(reason)
                  .withMessage(message.length() > 1000 ? message.substring(0, 1000) : message)
                  .withFirstTimestamp(now)
                  .withLastTimestamp(now)
                  .withCount(1)
                  .withNewSource()
                  .withComponent(COMPONENT)
                  .endSource()
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      // An event is a courtesy; never fail a resync over it.
      LOG.debugf("could not record event for repository %s: %s", name, e.getMessage());
    }
  }
}
