package io.branchflow.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.branchflow.api.naming.EnvironmentNames;
import io.branchflow.api.v1alpha1.ConditionStatus;
import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.ResyncPolicy;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.testing.FakeGitHost;
import io.branchflow.testing.NeedsKwok;
import io.branchflow.testing.TestCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator as it ships: the Quarkus application, its CDI wiring and application.properties, not
 * the reconcilers registered by hand as {@link OperatorUnderTest} does. A reconciler that the
 * application leaves out (no bean, a property not mapped) shows here and nowhere else.
 */
@NeedsKwok("the environment the resync creates must become Ready")
@QuarkusTest
@QuarkusTestResource(value = ClusterForOperator.class, restrictToAnnotatedClass = true)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackagedOperatorTest {

  private final KubernetesClient client = TestCluster.shared().client();
  private final Environments environments =
      new Environments(client, TestCluster.shared().kubectl());
  @TempDir static Path gitRoot;

  @TestHTTPResource("/q/metrics")
  URL metricsUrl;

  private FakeGitHost host;

  @BeforeAll
  void startGitHost() {
    host = FakeGitHost.start(gitRoot);
  }

  @AfterAll
  void cleanUp() {
    String ns = ClusterForOperator.namespace;
    // The repository first, so no resync recreates what is deleted; then the environments, while
    // the operator still runs to release their finalizers.
    client.resources(WorkflowRepository.class).inNamespace(ns).delete();
    environments.deleteAllAndAwaitGone(ns);
    host.close();
  }

  @Test
  void aBranchWithoutAnyWebhookGetsAReadyEnvironment() {
    String ns = ClusterForOperator.namespace;
    client
        .resource(Fixtures.secret(ns, "acme-dags-github", Map.of("webhook-secret", "s3cret")))
        .create();
    client
        .resource(
            Fixtures.productionSecret(
                ns, Fixtures.PRODUCTION_SECRET, Map.of("password", "read-only")))
        .create();
    WorkflowRepository repository = Fixtures.repository(ns);
    repository.getSpec().setCloneUrl(host.createRepository("dags"));
    ResyncPolicy resync = new ResyncPolicy();
    resync.setPeriod("2s");
    repository.getSpec().setResync(resync);
    host.push("dags", "feature/hardy");
    client.resource(repository).create();

    // The resync (the repository reconciler) creates it; the environment reconciler provisions it.
    String name = EnvironmentNames.of(repository.getSpec().getRepository(), "feature/hardy").name();
    WorkflowEnvironment env =
        await("environment of feature/hardy")
            .atMost(Environments.PATIENCE)
            .until(
                () ->
                    client
                        .resources(WorkflowEnvironment.class)
                        .inNamespace(ns)
                        .withName(name)
                        .get(),
                e -> e != null);
    assertThat(environments.awaitPhase(env, Phase.Ready).getNamespace()).isNotBlank();
    WorkflowRepository now = client.resource(repository).get();
    assertThat(now.getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("ResyncSucceeded");
              assertThat(c.getStatus()).isEqualTo(ConditionStatus.True);
            });

    // Reconcile metrics per controller, never per environment (ReconcileMetrics): per-resource
    // meters ran the heap out of memory at 1,000 environments.
    String metrics = scrape();
    assertThat(metrics.lines())
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("operator_sdk_reconciliations_success_total")
                    .containsIgnoringCase("workflowenvironment"));
    assertThat(metrics.lines()).noneSatisfy(l -> assertThat(l).contains(name));
  }

  private String scrape() {
    try {
      return HttpClient.newHttpClient()
          .send(HttpRequest.newBuilder(metricsUrl.toURI()).build(), BodyHandlers.ofString())
          .body();
    } catch (Exception e) {
      throw new IllegalStateException("GET " + metricsUrl, e);
    }
  }
}
