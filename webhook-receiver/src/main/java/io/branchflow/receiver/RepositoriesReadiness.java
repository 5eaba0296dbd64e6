package io.branchflow.receiver;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the WorkflowRepositories are known: before that every delivery would be a 404. */
@Readiness
@ApplicationScoped
public class RepositoriesReadiness implements HealthCheck {

  private final RepositoryDirectory repositories;

  RepositoriesReadiness(RepositoryDirectory repositories) {
    this.repositories = repositories;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("workflow-repositories")
        .status(repositories.synced())
        .withData("namespace", repositories.namespace())
        .build();
  }
}
