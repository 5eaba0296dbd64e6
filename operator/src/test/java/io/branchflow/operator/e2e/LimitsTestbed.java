package io.branchflow.operator.e2e;

import io.branchflow.api.v1alpha1.EnvironmentLimits;
import io.branchflow.operator.announce.slack.FakeSlack;
import io.branchflow.operator.config.AnnounceSettings;
import io.branchflow.operator.config.OperatorSettings;
import io.branchflow.operator.config.ResyncSettings;
import io.branchflow.operator.inspect.AirflowRestClient;
import io.branchflow.testing.TestCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * What the e2e tests of a repository's time limits ({@code limits.ttl}, {@code limits.idleAfter})
 * stand on: a Branchflow namespace with the repository {@code acme/dags} under the limits a test
 * sets, announced in a fake Slack, and the operator counting in a clock the test moves.
 *
 * @param namespace the Branchflow namespace the repository and its environments are in
 */
record LimitsTestbed(
    TestCluster cluster, FakeSlack slack, String namespace, OperatorUnderTest operator)
    implements AutoCloseable {

  /**
   * Creates the namespace ({@code purpose} in its name) and the repository with {@code limits} and
   * Slack, then starts the operator announcing to {@code slack} and counting in {@code clock};
   * {@code airflow} answers for every environment's Airflow (null: the real one).
   */
  static LimitsTestbed start(
      TestCluster cluster,
      String purpose,
      EnvironmentLimits limits,
      FakeSlack slack,
      Clock clock,
      AirflowRestClient airflow) {
    KubernetesClient client = cluster.client();
    String ns = Fixtures.branchflowNamespace(client, purpose);
    client
        .resource(Fixtures.secret(ns, "slack-bot", Map.of("token", "xoxb-e2e-not-a-token")))
        .create();
    Fixtures.createRepository(
        client,
        ns,
        r -> {
          r.getSpec().setLimits(limits);
          r.getSpec().setSlack(Fixtures.slack("slack-bot"));
        });
    OperatorUnderTest operator =
        OperatorUnderTest.start(
            cluster,
            ns,
            OperatorSettings.defaults(),
            ResyncSettings.defaults(),
            AnnounceSettings.defaults()
                .withSlackApiUrl(slack.apiUrl())
                .withRetry(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(5)),
            clock,
            airflow);
    return new LimitsTestbed(cluster, slack, ns, operator);
  }

  /** Removes every environment, stops the operator, removes its namespace and closes Slack. */
  @Override
  public void close() {
    new Environments(cluster.client(), cluster.kubectl()).deleteAllAndAwaitGone(namespace);
    operator.closeAndRemove(cluster.client(), namespace);
    slack.close();
  }
}
