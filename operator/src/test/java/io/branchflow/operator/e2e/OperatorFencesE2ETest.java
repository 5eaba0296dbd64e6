package io.branchflow.operator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.branchflow.api.Labels;
import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.operator.desired.EnvironmentInputs;
import io.branchflow.testing.KubernetesClusterExtension;
import io.branchflow.testing.NeedsKwok;
import io.branchflow.testing.ServiceAccountKubeconfig;
import io.branchflow.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator's own fences, tried with the chart's ServiceAccount token: what it may not do
 * outside Branchflow's namespaces (RBAC and the chart's admission policy), and that it never adopts
 * or deletes a namespace it did not create (docs/security.md, items 1 and 9). That it still does
 * all its work with exactly these rights is what every other e2e test shows.
 */
@NeedsKwok("the environment must become Ready under the fenced identity")
@ExtendWith(KubernetesClusterExtension.class)
class OperatorFencesE2ETest {

  private final TestCluster cluster;
  private final KubernetesClient admin;
  private final Environments environments;
  private String ns;
  private String foreign;
  private OperatorUnderTest operator;
  private KubernetesClient asOperator;

  OperatorFencesE2ETest(TestCluster cluster) {
    this.cluster = cluster;
    this.admin = cluster.client();
    this.environments = new Environments(admin, cluster.kubectl());
  }

  @BeforeEach
  void startOperator() {
    ns = Fixtures.branchflowNamespace(admin, "fences");
    Fixtures.createRepository(admin, ns);
    operator = OperatorUnderTest.start(cluster, ns);
    asOperator =
        new KubernetesClientBuilder()
            .withConfig(
                Config.fromKubeconfig(
                    ServiceAccountKubeconfig.of(cluster, ns, OperatorUnderTest.SERVICE_ACCOUNT)
                        .toFile()))
            .build();
    foreign = "not-branchflow-" + UUID.randomUUID().toString().substring(0, 6);
    admin
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(foreign)
                .addToLabels("branchflow.io/test", "e2e")
                .endMetadata()
                .build())
        .create();
    // The API server loads a new admission policy a moment after it is written; a dry run goes
    // through admission without changing anything, so it tells when the policy is in force.
    await("the admission policy in force")
        .atMost(Duration.ofMinutes(1))
        .until(() -> refused(() -> asOperator.namespaces().withName(foreign).dryRun().delete()));
  }

  private static boolean refused(Runnable call) {
    try {
      call.run();
      return false;
    } catch (KubernetesClientException e) {
      return e.getCode() == 403;
    }
  }

  @AfterEach
  void cleanUp() {
    environments.deleteAllAndAwaitGone(ns);
    asOperator.close();
    operator.closeAndRemove(admin, ns);
    admin.namespaces().withName(foreign).delete();
  }

  @Test
  void outsideItsNamespacesTheOperatorCanReadNoSecretCreateNoPodAndPatchNoDeployment() {
    admin
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("someone-elses")
                .withNamespace(foreign)
                .endMetadata()
                .addToStringData("password", "not-for-branchflow")
                .build())
        .create();
    Deployment deployment =
        admin
            .resource(
                new DeploymentBuilder()
                    .withNewMetadata()
                    .withName("someone-elses")
                    .withNamespace(foreign)
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(0)
                    .withNewSelector()
                    .addToMatchLabels("app", "x")
                    .endSelector()
                    .withNewTemplate()
                    .withNewMetadata()
                    .addToLabels("app", "x")
                    .endMetadata()
                    .withNewSpec()
                    .addNewContainer()
                    .withName("x")
                    .withImage("busybox")
                    .endContainer()
                    .endSpec()
                    .endTemplate()
                    .endSpec()
                    .build())
            .create();

    for (String namespace : new String[] {foreign, "default", "kube-system"}) {
      assertThat(allowed("get", "secrets", namespace)).as("get secrets in " + namespace).isFalse();
      assertThat(allowed("list", "secrets", namespace))
          .as("list secrets in " + namespace)
          .isFalse();
      assertThat(allowed("create", "pods", namespace)).as("create pods in " + namespace).isFalse();
      assertThat(allowed("patch", "deployments", namespace))
          .as("patch deployments in " + namespace)
          .isFalse();
    }

    // Real requests with its token, not only the authorizer's opinion.
    assertForbidden(
        () -> asOperator.secrets().inNamespace(foreign).withName("someone-elses").get());
    assertForbidden(() -> asOperator.secrets().inNamespace("kube-system").list());
    assertForbidden(
        () ->
            asOperator
                .resource(
                    new PodBuilder()
                        .withNewMetadata()
                        .withName("planted")
                        .withNamespace("default")
                        .endMetadata()
                        .withNewSpec()
                        .addNewContainer()
                        .withName("x")
                        .withImage("busybox")
                        .endContainer()
                        .endSpec()
                        .build())
                .create());
    assertForbidden(
        () ->
            asOperator
                .apps()
                .deployments()
                .inNamespace(foreign)
                .withName(deployment.getMetadata().getName())
                .edit(d -> new DeploymentBuilder(d).editSpec().withReplicas(3).endSpec().build()));
    assertThat(admin.apps().deployments().resource(deployment).get().getSpec().getReplicas())
        .isZero();
  }

  @Test
  void theOperatorCannotDeleteOrClaimANamespaceItDidNotCreateNorGrantItselfRightsThere() {
    assertThat(allowed("delete", "namespaces", "")).as("RBAC lets it delete namespaces").isTrue();

    assertForbidden(() -> asOperator.namespaces().withName(foreign).delete(), "labelled");
    assertForbidden(
        () ->
            asOperator
                .namespaces()
                .withName(foreign)
                .edit(
                    n ->
                        new NamespaceBuilder(n)
                            .editMetadata()
                            .addToLabels(EnvironmentInputs.OWNER_NAMESPACE, ns)
                            .endMetadata()
                            .build()),
        "labelled");
    assertForbidden(
        () ->
            asOperator
                .resource(
                    new RoleBindingBuilder()
                        .withNewMetadata()
                        .withName("branchflow-operator")
                        .withNamespace(foreign)
                        .endMetadata()
                        .withNewRoleRef(
                            "rbac.authorization.k8s.io",
                            "ClusterRole",
                            OperatorUnderTest.environmentAccess(ns).clusterRole())
                        .addNewSubject()
                        .withKind("ServiceAccount")
                        .withName(OperatorUnderTest.SERVICE_ACCOUNT)
                        .withNamespace(ns)
                        .endSubject()
                        .build())
                .create(),
        "namespace " + foreign + " is neither");
    assertForbidden(
        () ->
            asOperator
                .resource(
                    new RoleBindingBuilder()
                        .withNewMetadata()
                        .withName("branchflow-admin")
                        .withNamespace("default")
                        .endMetadata()
                        .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "admin")
                        .addNewSubject()
                        .withKind("ServiceAccount")
                        .withName(OperatorUnderTest.SERVICE_ACCOUNT)
                        .withNamespace(ns)
                        .endSubject()
                        .build())
                .create());
    assertThat(admin.namespaces().withName(foreign).get().getMetadata().getDeletionTimestamp())
        .isNull();
  }

  @Test
  void theOperatorBindsItsRightsInEachNamespaceItCreatesAndRecordsItsUid() {
    WorkflowEnvironment env = admin.resource(Fixtures.environment(ns, "feature/fenced")).create();
    String envNs = Environments.namespaceOf(env);

    var status = environments.awaitPhase(env, Phase.Ready);

    Namespace created = admin.namespaces().withName(envNs).get();
    assertThat(status.getNamespaceUid()).isEqualTo(created.getMetadata().getUid());
    assertThat(admin.rbac().roleBindings().inNamespace(envNs).withName("branchflow-operator").get())
        .isNotNull();
    assertThat(allowed("get", "secrets", envNs)).isTrue();
    assertThat(allowed("create", "pods", envNs)).isTrue();
  }

  @Test
  void aNamespaceThatExistedBeforeTheEnvironmentIsRefusedAndSurvivesTheEnvironment() {
    WorkflowEnvironment planned = Fixtures.environment(ns, "feature/squatted");
    String envNs = Environments.namespaceOf(planned);
    // Made beforehand with every label Branchflow puts on its own namespaces.
    admin
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(envNs)
                .addToLabels("branchflow.io/test", "e2e")
                .addToLabels(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
                .addToLabels(Labels.ENVIRONMENT, planned.getMetadata().getName())
                .addToLabels(EnvironmentInputs.OWNER_NAMESPACE, ns)
                .endMetadata()
                .build())
        .create();
    try {
      WorkflowEnvironment env = admin.resource(planned).create();

      var status = environments.awaitPhase(env, Phase.Failed);
      assertThat(status.getConditions())
          .anySatisfy(c -> assertThat(c.getReason()).isEqualTo("NamespaceConflict"));
      assertThat(status.getMessage()).contains(envNs).contains("was not created by Branchflow");
      assertThat(status.getNamespaceUid()).isNull();
      assertThat(admin.rbac().roleBindings().inNamespace(envNs).list().getItems()).isEmpty();
      assertThat(admin.secrets().inNamespace(envNs).withName("airflow-secrets").get()).isNull();

      deleteAndAwaitRemoved(env);
      assertThat(admin.namespaces().withName(envNs).get().getMetadata().getDeletionTimestamp())
          .isNull();
    } finally {
      admin.namespaces().withName(envNs).delete();
    }
  }

  @Test
  void aNamespaceWhoseUidIsNotTheRecordedOneIsNeitherTouchedNorDeleted() {
    WorkflowEnvironment env = admin.resource(Fixtures.environment(ns, "feature/replaced")).create();
    String envNs = Environments.namespaceOf(env);
    environments.awaitPhase(env, Phase.Ready);

    // As if the namespace had been deleted and made again by someone else, labels and all: the
    // UID on record is no longer the namespace's. A status edit alone wakes nobody (events are
    // generation-aware), a label on the namespace does; but the two reach the operator on two
    // watches in either order, and a pass already running may write the real UID back. So the
    // record is replaced and the namespace touched until the operator answers, never assumed.
    String recordedByUs = UUID.randomUUID().toString();
    int[] touches = {0};
    await("phase Failed of " + env.getMetadata().getName() + " with a foreign UID on record")
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofSeconds(2))
        .ignoreExceptionsInstanceOf(KubernetesClientException.class)
        .until(
            () -> {
              WorkflowEnvironment current = environments.get(env);
              if (current.getStatus().getPhase() == Phase.Failed) {
                return true;
              }
              if (!recordedByUs.equals(current.getStatus().getNamespaceUid())) {
                admin
                    .resources(WorkflowEnvironment.class)
                    .inNamespace(ns)
                    .withName(env.getMetadata().getName())
                    .editStatus(
                        e -> {
                          e.getStatus().setNamespaceUid(recordedByUs);
                          return e;
                        });
              }
              admin
                  .namespaces()
                  .withName(envNs)
                  .edit(
                      n ->
                          new NamespaceBuilder(n)
                              .editMetadata()
                              .addToLabels("branchflow.io/test-touched", "t" + touches[0]++)
                              .endMetadata()
                              .build());
              return false;
            });

    var status = environments.awaitPhase(env, Phase.Failed);
    assertThat(status.getMessage()).contains("is not the one Branchflow created");

    deleteAndAwaitRemoved(env);
    assertThat(admin.namespaces().withName(envNs).get().getMetadata().getDeletionTimestamp())
        .isNull();
    admin.namespaces().withName(envNs).delete();
  }

  /** Deletes the environment and waits for it alone: the namespace is not its to take along. */
  private void deleteAndAwaitRemoved(WorkflowEnvironment env) {
    admin.resource(env).delete();
    await("removal of " + env.getMetadata().getName())
        .atMost(Duration.ofMinutes(2))
        .until(() -> environments.get(env) == null);
  }

  private boolean allowed(String verb, String resource, String namespace) {
    String group =
        switch (resource) {
          case "deployments" -> "apps";
          default -> "";
        };
    return admin
        .authorization()
        .v1()
        .subjectAccessReview()
        .create(
            new SubjectAccessReviewBuilder()
                .withNewSpec()
                .withUser("system:serviceaccount:" + ns + ":" + OperatorUnderTest.SERVICE_ACCOUNT)
                .withGroups(
                    "system:serviceaccounts",
                    "system:serviceaccounts:" + ns,
                    "system:authenticated")
                .withNewResourceAttributes()
                .withNamespace(namespace)
                .withVerb(verb)
                .withGroup(group)
                .withResource(resource)
                .endResourceAttributes()
                .endSpec()
                .build())
        .getStatus()
        .getAllowed();
  }

  private static void assertForbidden(ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
  }

  private static void assertForbidden(ThrowingCallable call, String why) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            KubernetesClientException.class,
            e -> {
              assertThat(e.getCode()).isEqualTo(403);
              assertThat(e.getMessage()).contains(why);
            });
  }
}
