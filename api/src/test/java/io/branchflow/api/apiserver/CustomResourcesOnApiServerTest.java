package io.branchflow.api.apiserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.SecretKeyRef;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentSpec;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentStatus;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.api.v1alpha1.WorkflowRepositorySpec;
import io.branchflow.testing.Kubectl;
import io.branchflow.testing.KubernetesClusterExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The committed CRDs as a real API server enforces and prints them. */
@ExtendWith(KubernetesClusterExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CustomResourcesOnApiServerTest {

  private final KubernetesClient client;
  private final Kubectl kubectl;
  private final String ns = "api-" + UUID.randomUUID().toString().substring(0, 8);

  CustomResourcesOnApiServerTest(KubernetesClient client, Kubectl kubectl) {
    this.client = client;
    this.kubectl = kubectl;
  }

  @BeforeAll
  void createNamespace() {
    client
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(ns)
                .withLabels(Map.of("branchflow.io/test", "api"))
                .endMetadata()
                .build())
        .create();
  }

  @AfterAll
  void deleteNamespace() {
    client.namespaces().withName(ns).delete();
  }

  @Test
  void crdsAreInstalledAndEstablished() {
    for (String name :
        List.of("workflowenvironments.branchflow.io", "workflowrepositories.branchflow.io")) {
      CustomResourceDefinition crd =
          client.apiextensions().v1().customResourceDefinitions().withName(name).get();
      assertThat(crd).as(name).isNotNull();
      assertThat(crd.getStatus().getConditions())
          .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }
  }

  @Test
  void environmentViolatingTheSchemaIsRejectedNamingTheFields() {
    GenericKubernetesResource invalid =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("branchflow.io/v1alpha1")
            .withKind("WorkflowEnvironment")
            .withMetadata(new ObjectMetaBuilder().withName("invalid").withNamespace(ns).build())
            .withAdditionalProperties(
                Map.of("spec", Map.of("repositoryRef", "acme-dags", "commitSha", "NOT-A-SHA")))
            .build();

    assertThatThrownBy(() -> client.resource(invalid).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getMessage()).contains("spec.branch").contains("spec.commitSha");
            });
    assertThat(
            client.resources(WorkflowEnvironment.class).inNamespace(ns).withName("invalid").get())
        .isNull();
  }

  @ParameterizedTest(name = "{0} / {1}")
  @CsvSource({
    "Dags-Hardy-0123456789, feature/hardy, metadata.name must follow the naming rule",
    "dags-hardy, feature/hardy, metadata.name must follow the naming rule",
    "dags-hardy-012345678z, feature/hardy, metadata.name must follow the naming rule",
    "dags-odd-0123456789, --upload-pack=touch, branch must be a name git accepts",
    "dags-odd-0123456789, feature/../main, branch must be a name git accepts",
    "dags-odd-0123456789, feature/a b, branch must be a name git accepts",
    "dags-odd-0123456789, feature/x.lock, branch must be a name git accepts",
    "dags-odd-0123456789, feature/.hidden, branch must be a name git accepts",
    "dags-odd-0123456789, feature/x@{1}, branch must be a name git accepts",
    "dags-odd-0123456789, 'feature/x\\y', branch must be a name git accepts",
  })
  void environmentWithAnOffRuleNameOrBranchIsRefusedWithTheRulesMessage(
      String name, String branch, String message) {
    WorkflowEnvironment environment = new WorkflowEnvironment();
    environment.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    WorkflowEnvironmentSpec spec = new WorkflowEnvironmentSpec();
    spec.setRepositoryRef("acme-dags");
    spec.setBranch(branch);
    environment.setSpec(spec);

    assertThatThrownBy(() -> client.resource(environment).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getMessage()).contains(message);
            });
    assertThat(client.resources(WorkflowEnvironment.class).inNamespace(ns).withName(name).get())
        .isNull();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "http://github.com/acme/dags.git, cloneUrl must use https or ssh",
    "http://203.0.113.7:8080/acme/dags.git, cloneUrl must use https or ssh",
    "http://git.example.com.svc.evil.example/dags.git, cloneUrl must use https or ssh",
    "file:///var/lib/git/dags.git, spec.cloneUrl",
    "'--upload-pack=touch /tmp/x', spec.cloneUrl",
  })
  void repositoryWithAnInsecureCloneUrlIsRefusedWithTheRulesMessage(String url, String message) {
    WorkflowRepository repository = repository("insecure", url);
    assertThatThrownBy(() -> client.resource(repository).create())
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(422);
              assertThat(e.getMessage()).contains(message);
            });
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "https://github.com/acme/dags.git",
    "ssh://git@github.com/acme/dags.git",
    "git@github.com:acme/dags.git",
    "http://127.0.0.1:35561/git/dags.git",
    "http://localhost/git/dags.git",
    "http://[::1]:8080/git/dags.git",
    "http://10.244.0.1:35561/acme/dags.git",
    "http://git.tools.svc.cluster.local/acme/dags.git",
    "http://git.tools.svc/acme/dags.git",
  })
  void repositoryWithAnEncryptedOrClusterLocalCloneUrlIsAccepted(String url) {
    String name = "ok-" + UUID.randomUUID().toString().substring(0, 8);
    assertThat(client.resource(repository(name, url)).create().getSpec().getCloneUrl())
        .isEqualTo(url);
  }

  private WorkflowRepository repository(String name, String cloneUrl) {
    WorkflowRepository repository = new WorkflowRepository();
    repository.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    WorkflowRepositorySpec spec = new WorkflowRepositorySpec();
    spec.setRepository("acme/dags");
    spec.setCloneUrl(cloneUrl);
    spec.setWebhookSecretRef(new SecretKeyRef("acme-dags-webhook", "secret"));
    repository.setSpec(spec);
    return repository;
  }

  @Test
  void repositoryGetsSchemaDefaultsFromTheApiServer() {
    WorkflowRepository repository = repository("acme-dags", "https://github.com/acme/dags.git");

    WorkflowRepository created = client.resource(repository).create();

    assertThat(created.getSpec().getBranchPattern()).isEqualTo("feature/*");
  }

  @Test
  void validEnvironmentIsAcceptedAndKubectlShowsItsColumns() {
    WorkflowEnvironment environment = new WorkflowEnvironment();
    environment.setMetadata(
        new ObjectMetaBuilder().withName("dags-hardy-0123456789").withNamespace(ns).build());
    WorkflowEnvironmentSpec spec = new WorkflowEnvironmentSpec();
    spec.setRepositoryRef("acme-dags");
    spec.setBranch("feature/hardy");
    spec.setCommitSha("3f786850e387550fdab836ed7e6dc881de23001b");
    spec.setPusher("hardy");
    environment.setSpec(spec);
    WorkflowEnvironment created = client.resource(environment).create();
    assertThat(created.getSpec().getSuspend()).as("defaulted by the API server").isFalse();

    WorkflowEnvironmentStatus status = new WorkflowEnvironmentStatus();
    status.setPhase(Phase.Ready);
    status.setRevision("3f78685");
    status.setUrl("http://dags-hardy.airflow.local");
    created.setStatus(status);
    client.resource(created).updateStatus();

    String table = kubectl.run("get", "wfe", "-n", ns);
    List<String> lines = table.lines().toList();
    assertThat(lines.get(0).split("\\s+"))
        .containsExactly("NAME", "BRANCH", "PHASE", "REVISION", "URL", "AGE");
    assertThat(lines.get(1).split("\\s+"))
        .startsWith(
            "dags-hardy-0123456789",
            "feature/hardy",
            "Ready",
            "3f78685",
            "http://dags-hardy.airflow.local");
    assertThat(kubectl.run("get", "wfenv", "-n", ns)).contains("dags-hardy-0123456789");
  }
}
