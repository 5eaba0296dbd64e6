package io.branchflow.bench;

import io.branchflow.api.Labels;
import io.branchflow.api.naming.EnvironmentNames;
import io.branchflow.api.v1alpha1.EnvironmentLimits;
import io.branchflow.api.v1alpha1.EnvironmentTemplate;
import io.branchflow.api.v1alpha1.ProductionDataAccess;
import io.branchflow.api.v1alpha1.SecretKeyRef;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentSpec;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.api.v1alpha1.WorkflowRepositorySpec;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The repository and environments the benchmark uses: the same shape as the e2e suites' {@code
 * Fixtures} (acme/dags, Airflow 3, one copied production Secret, a workload identity annotation).
 */
final class BenchFixtures {

  static final String REPOSITORY = "acme/dags";
  static final String REPOSITORY_OBJECT = "acme-dags";
  static final String WEBHOOK_SECRET = "bench-webhook-secret";
  static final String PRODUCTION_SECRET = "warehouse-readonly";
  static final int MAX_ENVIRONMENTS = 5000;

  private BenchFixtures() {}

  /** Deletes the namespaces and waits until they are gone, so later runs start quiet. */
  static void deleteNamespaces(KubernetesClient client, List<String> names, Duration timeout) {
    names.forEach(n -> client.namespaces().withName(n).delete());
    for (String n : names) {
      client
          .namespaces()
          .withName(n)
          .waitUntilCondition(x -> x == null, timeout.toSeconds(), TimeUnit.SECONDS);
    }
  }

  static void namespace(KubernetesClient client, String name) {
    client
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("branchflow.io/bench", "true")
                .endMetadata()
                .build())
        .create();
  }

  static WorkflowRepository createRepository(KubernetesClient client, String ns) {
    client
        .resource(secret(ns, "acme-dags-github", Map.of("webhook-secret", WEBHOOK_SECRET)))
        .create();
    client.resource(productionSecret(ns)).create();
    return client.resource(repository(ns)).create();
  }

  /** Labelled as its owner's opt-in, so it is copied into every environment. */
  static Secret productionSecret(String ns) {
    Secret secret = secret(ns, PRODUCTION_SECRET, Map.of("password", "read-only-password"));
    secret
        .getMetadata()
        .setLabels(Map.of(Labels.PRODUCTION_DATA, Labels.PRODUCTION_DATA_READ_ONLY));
    return secret;
  }

  static WorkflowRepository repository(String ns) {
    WorkflowRepositorySpec spec = new WorkflowRepositorySpec();
    spec.setRepository(REPOSITORY);
    spec.setCloneUrl("https://github.com/acme/dags.git");
    spec.setBranchPattern("feature/*");
    SecretKeyRef webhook = new SecretKeyRef();
    webhook.setName("acme-dags-github");
    webhook.setKey("webhook-secret");
    spec.setWebhookSecretRef(webhook);
    EnvironmentTemplate template = new EnvironmentTemplate();
    template.setImage("apache/airflow:3.3.2");
    spec.setTemplate(template);
    ProductionDataAccess data = new ProductionDataAccess();
    data.setSecretNames(List.of(PRODUCTION_SECRET));
    data.setServiceAccountAnnotations(
        Map.of("iam.gke.io/gcp-service-account", "dags-reader@acme-prod.iam.gserviceaccount.com"));
    spec.setProductionData(data);
    // The default (20) would queue most of a run: the bench measures provisioning, not the queue.
    EnvironmentLimits limits = new EnvironmentLimits();
    limits.setMaxEnvironments(MAX_ENVIRONMENTS);
    spec.setLimits(limits);
    WorkflowRepository repository = new WorkflowRepository();
    repository.setMetadata(
        new ObjectMetaBuilder().withName(REPOSITORY_OBJECT).withNamespace(ns).build());
    repository.setSpec(spec);
    return repository;
  }

  /** What the webhook receiver creates for a push to {@code branch}. */
  static WorkflowEnvironment environment(String ns, String branch) {
    WorkflowEnvironmentSpec spec = new WorkflowEnvironmentSpec();
    spec.setRepositoryRef(REPOSITORY_OBJECT);
    spec.setBranch(branch);
    spec.setCommitSha("0123456789abcdef0123456789abcdef01234567");
    spec.setPusher("hardy");
    WorkflowEnvironment env = new WorkflowEnvironment();
    env.setMetadata(
        new ObjectMetaBuilder()
            .withName(EnvironmentNames.of(REPOSITORY, branch).name())
            .withNamespace(ns)
            .build());
    env.setSpec(spec);
    return env;
  }

  static Secret secret(String ns, String name, Map<String, String> values) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(ns)
        .endMetadata()
        .withStringData(values)
        .build();
  }
}
