package io.branchflow.receiver;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.branchflow.api.branches.BranchEnvironments;
import io.branchflow.api.branches.BranchEnvironments.Outcome;
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
  private final EnvironmentDirectory queue;

  DeliveryHandler(KubernetesClient client, EnvironmentDirectory queue) {
    this.client = client;
    this.environments = new BranchEnvironments(client);
    this.queue = queue;
  }

  /**
   * The outcomes of a pull request opened that reached an environment: noted for the operator to
   * comment at once ({@code UPDATED}), or noted already ({@code UNCHANGED}: a redelivery). The
   * other one, {@code ABSENT}, means the branch has no environment: none is created for a pull
   * request.
   */
  static final java.util.Set<String> PULL_REQUEST_NOTED =
      java.util.Set.of(Outcome.UPDATED.name(), Outcome.UNCHANGED.name());

  /** The outcome of a deletion: the resync was asked to confirm it (nothing deleted yet). */
  static final String RESYNC_REQUESTED = "RESYNC_REQUESTED";

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
            case PULL_REQUEST_OPENED ->
                environments
                    .notePullRequests(repository, delivery.branch(), delivery.pullRequestNote())
                    .name();
            default -> throw new IllegalStateException("not a branch change: " + delivery.kind());
          };
      String queued = queued(delivery, repository, environment, outcome);
      LOG.infof(
          "delivery %s: %s %s%s of %s -> environment %s %s%s",
          id,
          delivery.event(),
          delivery.kind(),
          delivery.pullRequest() == null ? "" : " #" + delivery.pullRequest(),
          repoName,
          environment,
          outcome,
          queued == null ? "" : " (" + queued + ")");
      results.add(new Result(repoName, environment, outcome, queued));
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

  /**
   * Where the pushed branch waits, or null when it runs (or will at once). The operator makes the
   * decision (docs/operator.md); this tells the pusher early, by the same rule.
   */
  private String queued(
      Delivery delivery, WorkflowRepository repository, String environment, String outcome) {
    if (delivery.kind() != Delivery.Kind.BRANCH_PUSHED || Outcome.STALE.name().equals(outcome)) {
      return null;
    }
    return queue
        .queued(repository, environment)
        .map(q -> q.describe(repository.getSpec().getRepository()))
        .orElse(null);
  }
}
