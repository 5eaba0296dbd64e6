package io.branchflow.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.Quota;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.testing.HelmChart;
import io.branchflow.testing.KubernetesClusterExtension;
import io.branchflow.testing.NeedsKwok;
import io.branchflow.testing.RepositoryRoot;
import io.branchflow.testing.TestCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Helm chart as a user installs it: it lints, and what it renders (every option switched on) is
 * accepted by the real API server (server-side dry run: schema, RBAC objects, the CRDs and a
 * WorkflowRepository validated against them). That the operator works with exactly the chart's RBAC
 * is shown by every other e2e test: {@link OperatorUnderTest} runs with its rules.
 */
@ExtendWith(KubernetesClusterExtension.class)
class ChartE2ETest {

  private final HelmChart chart = new HelmChart();

  @Test
  void chartLintsClean() {
    assertThat(chart.lint()).contains("1 chart(s) linted, 0 chart(s) failed");
  }

  @Test
  void renderedChartIsAcceptedByTheApiServer(TestCluster cluster) throws Exception {
    String namespace = "bf-chart-" + UUID.randomUUID().toString().substring(0, 6);
    cluster
        .client()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(namespace)
                .addToLabels("branchflow.io/test", "chart")
                .endMetadata()
                .build())
        .create();
    try {
      Path rendered =
          chart.render(
              "branchflow",
              namespace,
              true,
              "operator.replicas=2",
              "receiver.ingress.enabled=true",
              "receiver.ingress.tlsSecretName=webhooks-tls",
              "repositories[0].name=acme-dags",
              "repositories[0].repository=acme/dags",
              "repositories[0].cloneUrl=https://github.com/acme/dags.git",
              "repositories[0].webhookSecretRef.name=acme-dags-github",
              "repositories[0].webhookSecretRef.key=webhook-secret",
              "repositories[0].githubTokenRef.name=acme-dags-github",
              "repositories[0].githubTokenRef.key=token",
              "repositories[0].cloneCredentialRef.name=acme-dags-clone",
              "repositories[0].cloneCredentialRef.key=token",
              "defaultTemplate.image=apache/airflow:3.3.2");
      String manifest = Files.readString(rendered);
      // A strict YAML reader: duplicate keys, which kubectl would let pass, fail here.
      try (var in = Files.newInputStream(rendered)) {
        assertThat(cluster.client().load(in).items()).hasSizeGreaterThan(10);
      }
      assertThat(manifest)
          .containsPattern("kind: \"?CustomResourceDefinition")
          .contains("kind: WorkflowRepository")
          .contains("cloneCredentialRef:")
          .contains("kind: Ingress")
          .as("no wildcard in any RBAC rule")
          .doesNotContainPattern("(?m)^\\s*- ['\"]?\\*['\"]?\\s*$");

      String applied =
          cluster
              .kubectl()
              .run(
                  "apply",
                  "--server-side",
                  "--force-conflicts", // the suite installed the CRDs under its own manager
                  "--dry-run=server",
                  "-f",
                  rendered.toString());

      assertThat(applied)
          .contains("deployment.apps/branchflow-operator serverside-applied (server dry run)")
          .contains("deployment.apps/branchflow-webhook-receiver serverside-applied")
          .contains("clusterrole.rbac.authorization.k8s.io/branchflow-operator-" + namespace)
          .contains("role.rbac.authorization.k8s.io/branchflow-webhook-receiver")
          .contains("ingress.networking.k8s.io/branchflow-webhook-receiver")
          .contains("workflowrepository.branchflow.io/acme-dags serverside-applied");
    } finally {
      cluster.client().namespaces().withName(namespace).delete();
    }
  }

  /**
   * A repository the chart renders gets a ResourceQuota by default, and the operator's LimitRange
   * with it admit every pod of its Airflow: the components, PostgreSQL and the migration Job (the
   * environment becomes Ready) and then KubernetesExecutor task pods up to Airflow's parallelism,
   * all at once. kwok runs no Airflow, but quota admission only reads the pods' specs, which are
   * the ones a real node runs.
   */
  @Test
  @NeedsKwok("the environment's pods must be admitted under the quota and become Ready")
  void chartRepositoriesGetADefaultQuotaTheirWholeAirflowFitsIn(TestCluster cluster)
      throws Exception {
    KubernetesClient client = cluster.client();
    String ns = Fixtures.branchflowNamespace(client, "quota");
    Path rendered =
        chart.render(
            "branchflow",
            ns,
            false,
            "repositories[0].name=" + Fixtures.REPOSITORY_OBJECT,
            "repositories[0].repository=" + Fixtures.REPOSITORY,
            "repositories[0].cloneUrl=https://github.com/acme/dags.git",
            "repositories[0].webhookSecretRef.name=acme-dags-github",
            "repositories[0].webhookSecretRef.key=webhook-secret",
            "repositories[0].template.executor=KubernetesExecutor",
            "repositories[0].template.triggerer=true");
    WorkflowRepository repository;
    try (var in = Files.newInputStream(rendered)) {
      repository =
          client.load(in).items().stream()
              .filter(o -> "WorkflowRepository".equals(o.getKind()))
              .map(o -> Serialization.unmarshal(Serialization.asJson(o), WorkflowRepository.class))
              .findFirst()
              .orElseThrow();
    }
    Quota quota = repository.getSpec().getTemplate().getQuota();
    assertThat(quota).as("default quota of a chart repository").isNotNull();
    assertThat(List.of(quota.getCpu(), quota.getMemory(), quota.getStorage())).doesNotContainNull();
    assertThat(quota.getPods()).isNotNull();

    Environments environments = new Environments(client, cluster.kubectl());
    client
        .resource(Fixtures.secret(ns, "acme-dags-github", Map.of("webhook-secret", "chart-quota")))
        .create();
    client.resource(repository).create();
    OperatorUnderTest operator = OperatorUnderTest.start(cluster, ns);
    try {
      WorkflowEnvironment env = client.resource(Fixtures.environment(ns, "feature/quota")).create();
      environments.awaitPhase(env, Phase.Ready);
      String envNs = Environments.namespaceOf(env);
      assertThat(client.resourceQuotas().inNamespace(envNs).list().getItems())
          .singleElement()
          .satisfies(q -> assertThat(q.getSpec().getHard()).containsKeys("requests.cpu", "pods"));

      String taskPod =
          client
              .configMaps()
              .inNamespace(envNs)
              .withName("airflow-pod-template")
              .get()
              .getData()
              .values()
              .iterator()
              .next();
      int parallelism =
          Integer.parseInt(
              client
                  .configMaps()
                  .inNamespace(envNs)
                  .withName("airflow-config")
                  .get()
                  .getData()
                  .get("AIRFLOW__CORE__PARALLELISM"));
      for (int i = 0; i < parallelism; i++) {
        Pod pod = Serialization.unmarshal(taskPod, Pod.class);
        pod.getMetadata().setName("task-" + i);
        pod.getMetadata().setNamespace(envNs);
        client.resource(pod).create(); // 403 "exceeded quota" when it does not fit
      }
    } finally {
      environments.deleteAllAndAwaitGone(ns);
      operator.closeAndRemove(client, ns);
    }
  }

  /** The WorkflowRepository the README tells users to apply is one the API server accepts. */
  @Test
  void readmeRepositoryExampleIsAccepted(TestCluster cluster) throws Exception {
    String readme = Files.readString(RepositoryRoot.find().resolve("README.md"));
    Matcher example =
        Pattern.compile("(?s)kubectl apply -f - <<'EOF'\n(.*?)\nEOF\n").matcher(readme);
    assertThat(example.find()).as("README has a WorkflowRepository heredoc").isTrue();
    String yaml = example.group(1);
    assertThat(yaml).contains("kind: WorkflowRepository");
    Path file = Files.createTempFile("readme-repository-", ".yaml");
    Files.writeString(file, yaml.replace("namespace: branchflow-system", "namespace: default"));

    String applied =
        cluster.kubectl().run("apply", "--server-side", "--dry-run=server", "-f", file.toString());

    assertThat(applied).contains("workflowrepository.branchflow.io/acme-dags serverside-applied");
  }
}
