package io.branchflow.receiver;

import io.branchflow.api.branches.BranchEnvironments;
import io.branchflow.api.branches.BranchPattern;
import io.branchflow.api.branches.ResyncRequest;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/** Turns an authenticated delivery into the change it asks for, for each repository it signs. */
@ApplicationScoped
public class DeliveryHandler {

  private static final Logger LOG = Logger.getLogger(DeliveryHandler.class);

  private final KubernetesClient client;
  private final BranchEnvironments environments;

  DeliveryHandler(KubernetesClient client) {
    this.client = client;
    this.environments = new BranchEnvironments(client);
  }

  /** The outcome of a deletion: the resync was asked to confirm it (nothing deleted yet). */
  static final String RESYNC_REQUESTED = "RESYNC_REQUESTED";

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
      String outcome =
          switch (delivery.kind()) {
            case BRANCH_PUSHED ->
                environments
                    .upsert(
                        repository,
                        delivery.branch(),
                        delivery.sha(),
                        delivery.pusher(),
                        delivery.happenedAt())
                    .name();
            case BRANCH_DELETED -> requestResync(repository);
            default -> throw new IllegalStateException("not a branch change: " + delivery.kind());
          };
      LOG.infof(
          "delivery %s: %s %s of %s -> environment %s %s",
          id, delivery.event(), delivery.kind(), repoName, environment, outcome);
      results.add(new Result(repoName, environment, outcome));
    }
    return results;
  }

  /**
   * A deletion is a hint, not an order: a signed body can be captured and replayed, and its time
   * cannot tell a replay from a branch deleted again. The resync lists the branches with the Git
   * host and deletes the environment only if the branch is really gone (docs/events-in.md).
   */
  private String requestResync(WorkflowRepository repository) {
    ResyncRequest.request(client, repository, Instant.now());
    return RESYNC_REQUESTED;
  }
}
