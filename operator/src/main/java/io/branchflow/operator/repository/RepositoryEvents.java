package io.branchflow.operator.repository;

import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.operator.events.EventRecorder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.jboss.logging.Logger;

/** Kubernetes Events on a WorkflowRepository: what a resync did or refused to do. */
final class RepositoryEvents {

  private static final Logger LOG = Logger.getLogger(RepositoryEvents.class);

  private final EventRecorder recorder;

  RepositoryEvents(KubernetesClient client) {
    this.recorder = new EventRecorder(client);
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
    recorder.record(
        WorkflowRepository.class,
        ns,
        name,
        repository.getMetadata().getUid(),
        type.equals("Warning"),
        reason,
        message);
  }
}
