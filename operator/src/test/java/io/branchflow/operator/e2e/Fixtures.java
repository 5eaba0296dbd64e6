package io.branchflow.operator.e2e;

import io.branchflow.api.Labels;
import io.branchflow.api.naming.EnvironmentNames;
import io.branchflow.api.v1alpha1.EnvironmentOverrides;
import io.branchflow.api.v1alpha1.EnvironmentTemplate;
import io.branchflow.api.v1alpha1.OverridableField;
import io.branchflow.api.v1alpha1.ProductionDataAccess;
import io.branchflow.api.v1alpha1.SecretKeyRef;
import io.branchflow.api.v1alpha1.SlackSettings;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentSpec;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.api.v1alpha1.WorkflowRepositorySpec;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The objects a platform engineer and a webhook would create: for the e2e tests, and the base of
 * the unit tests' inputs.
 */
public final class Fixtures {

  public static final String REPOSITORY = "acme/dags";
  public static final String REPOSITORY_OBJECT = "acme-dags";
  public static final String PRODUCTION_SECRET = "warehouse-readonly";
  public static final String WORKLOAD_IDENTITY = "iam.gke.io/gcp-service-account";
  public static final String IMAGE = "apache/airflow:3.3.2";
  static final String GITHUB_TOKEN = "ghs_e2e-not-a-real-token";
  static final String CLONE_SECRET = "acme-dags-clone";
  static final String CLONE_TOKEN = "github_pat_e2e-read-only-clone";

  /** kwok fails Job pods whose image ends like this (hack/kwok-stages.yaml). */
  static final String IMAGE_WHOSE_MIGRATION_FAILS = "apache/airflow:3.3.2-kwok-exit-1";

  private Fixtures() {}

  /** A fresh Branchflow namespace, as the Helm chart would create. */
  static String branchflowNamespace(KubernetesClient client, String purpose) {
    String name = "bf-system-" + purpose + "-" + UUID.randomUUID().toString().substring(0, 6);
    client
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("branchflow.io/test", "e2e")
                .endMetadata()
                .build())
        .create();
    return name;
  }

  /** The repository {@code acme/dags}, its webhook secret and a read-only production credential. */
  static WorkflowRepository createRepository(KubernetesClient client, String ns) {
    return createRepository(client, ns, repository -> {});
  }

  /** Like {@link #createRepository}, with {@code change} made to the repository first. */
  static WorkflowRepository createRepository(
      KubernetesClient client, String ns, java.util.function.Consumer<WorkflowRepository> change) {
    client.resource(secret(ns, "acme-dags-github", Map.of("webhook-secret", "s3cret"))).create();
    client
        .resource(productionSecret(ns, PRODUCTION_SECRET, Map.of("password", "read-only-password")))
        .create();
    WorkflowRepository repository = repository(ns);
    change.accept(repository);
    return client.resource(repository).create();
  }

  /**
   * Like {@link #createRepository}, with a GitHub token (key {@code token}) for deployments and, in
   * a Secret of its own, a read-only clone credential.
   */
  static WorkflowRepository createRepositoryWithGitHubToken(KubernetesClient client, String ns) {
    client
        .resource(
            secret(
                ns, "acme-dags-github", Map.of("webhook-secret", "s3cret", "token", GITHUB_TOKEN)))
        .create();
    client.resource(secret(ns, CLONE_SECRET, Map.of("token", CLONE_TOKEN))).create();
    client
        .resource(productionSecret(ns, PRODUCTION_SECRET, Map.of("password", "read-only-password")))
        .create();
    WorkflowRepository repository = repository(ns);
    repository.getSpec().setGithubTokenRef(new SecretKeyRef("acme-dags-github", "token"));
    repository.getSpec().setCloneCredentialRef(new SecretKeyRef(CLONE_SECRET, "token"));
    return client.resource(repository).create();
  }

  /**
   * Slack for channel {@code #airflow-envs}, the bot token in key {@code token} of Secret {@code
   * secret}, and login {@code hardy} mapped to a Slack user.
   */
  static SlackSettings slack(String secret) {
    SlackSettings settings = new SlackSettings();
    settings.setChannel("#airflow-envs");
    settings.setTokenSecretRef(new SecretKeyRef(secret, "token"));
    settings.setUserMap(Map.of("hardy", "U024BE7LH"));
    return settings;
  }

  public static WorkflowRepository repository(String ns) {
    WorkflowRepositorySpec spec = new WorkflowRepositorySpec();
    spec.setRepository(REPOSITORY);
    spec.setCloneUrl("https://github.com/acme/dags.git");
    spec.setBranchPattern("feature/*");
    SecretKeyRef webhook = new SecretKeyRef();
    webhook.setName("acme-dags-github");
    webhook.setKey("webhook-secret");
    spec.setWebhookSecretRef(webhook);
    EnvironmentTemplate template = new EnvironmentTemplate();
    template.setImage(IMAGE);
    spec.setTemplate(template);
    ProductionDataAccess data = new ProductionDataAccess();
    data.setSecretNames(List.of(PRODUCTION_SECRET));
    data.setServiceAccountAnnotations(
        Map.of(WORKLOAD_IDENTITY, "dags-reader@acme-prod.iam.gserviceaccount.com"));
    spec.setProductionData(data);
    // Branches may pick their image: how test environments get one whose migration fails.
    spec.setAllowedOverrides(List.of(OverridableField.IMAGE));
    WorkflowRepository repository = new WorkflowRepository();
    repository.setMetadata(
        new ObjectMetaBuilder().withName(REPOSITORY_OBJECT).withNamespace(ns).build());
    repository.setSpec(spec);
    return repository;
  }

  /** What the webhook receiver creates for a push to {@code branch}. */
  public static WorkflowEnvironment environment(String ns, String branch) {
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

  /** The environment for {@code branch} with the image the branch asks for. */
  static WorkflowEnvironment environment(String ns, String branch, String image) {
    WorkflowEnvironment env = environment(ns, branch);
    EnvironmentOverrides overrides = new EnvironmentOverrides();
    overrides.setImage(image);
    env.getSpec().setOverrides(overrides);
    return env;
  }

  /** A production credential whose owner opted in to its copy into environments. */
  static Secret productionSecret(String ns, String name, Map<String, String> values) {
    Secret secret = secret(ns, name, values);
    secret
        .getMetadata()
        .setLabels(Map.of(Labels.PRODUCTION_DATA, Labels.PRODUCTION_DATA_READ_ONLY));
    return secret;
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
