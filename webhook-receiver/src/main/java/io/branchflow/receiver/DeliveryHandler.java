package io.branchflow.receiver;

import com.fasterxml.jackson.annotation.JsonInclude;
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
  private final EnvironmentDirectory queue;

  DeliveryHandler(KubernetesClient client, EnvironmentDirectory queue) {
    this.environments = new BranchEnvironments(client);
    this.queue = queue;
  }

  /**
   * One line per repository: which environment, what happened to it and, when the repository is at
   * its limits.maxEnvironments, where the branch waits ({@code queued}, absent otherwise).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Result(String repository, String environment, String outcome, String queued) {

    Result(String repository, String environment, String outcome) {
      this(repository, environment, outcome, null);
    }
  }

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
      String queued = queued(delivery, repository, environment, outcome);
      LOG.infof(
          "delivery %s: %s %s of %s -> environment %s %s%s",
          id,
          delivery.event(),
          delivery.kind(),
          repoName,
          environment,
          outcome,
          queued == null ? "" : " (" + queued + ")");
      results.add(new Result(repoName, environment, outcome.name(), queued));
    }
    return results;
  }

  /**
   * Where the pushed branch waits, or null when it runs (or will at once). The operator makes the
   * decision (docs/operator.md); this tells the pusher early, by the same rule.
   */
  private String queued(
      Delivery delivery, WorkflowRepository repository, String environment, Outcome outcome) {
    if (delivery.kind() != Delivery.Kind.BRANCH_PUSHED || outcome == Outcome.STALE) {
      return null;
    }
    return queue
        .queued(repository, environment)
        .map(q -> q.describe(repository.getSpec().getRepository()))
        .orElse(null);
  }
}
