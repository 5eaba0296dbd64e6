package io.branchflow.receiver;

import io.branchflow.api.branches.BranchEnvironments;
import io.branchflow.api.branches.BranchEnvironments.Outcome;
import io.branchflow.api.branches.BranchPattern;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/** Turns an authenticated delivery into the change it asks for, for each repository it signs. */
@ApplicationScoped
public class DeliveryHandler {

  private static final Logger LOG = Logger.getLogger(DeliveryHandler.class);

  private final BranchEnvironments environments;

  DeliveryHandler(KubernetesClient client) {
    this.environments = new BranchEnvironments(client);
  }

  /** One line per repository: which environment, what happened to it. */
  record Result(String repository, String environment, String outcome) {}

  List<Result> handle(Delivery delivery, List<WorkflowRepository> repositories, String id) {
    List<Result> results = new ArrayList<>();
    for (WorkflowRepository repository : repositories) {
      String repoName = repository.getMetadata().getName();
      if (!BranchPattern.of(repository.getSpec().getBranchPattern()).matches(delivery.branch())) {
        results.add(new Result(repoName, null, "IGNORED_BRANCH"));
        continue;
      }
      String environment = BranchEnvironments.nameOf(repository, delivery.branch());
      Outcome outcome =
          switch (delivery.kind()) {
            case BRANCH_PUSHED ->
                environments.upsert(
                    repository,
                    delivery.branch(),
                    delivery.sha(),
                    delivery.pusher(),
                    delivery.happenedAt());
            case BRANCH_DELETED ->
                environments.delete(repository, delivery.branch(), delivery.happenedAt(), id);
            default -> throw new IllegalStateException("not a branch change: " + delivery.kind());
          };
      LOG.infof(
          "delivery %s: %s %s of %s -> environment %s %s",
          id, delivery.event(), delivery.kind(), repoName, environment, outcome);
      results.add(new Result(repoName, environment, outcome.name()));
    }
    return results;
  }
}
