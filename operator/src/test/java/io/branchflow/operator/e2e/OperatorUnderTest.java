package io.branchflow.operator.e2e;

import io.branchflow.operator.announce.Announcer;
import io.branchflow.operator.config.AnnounceSettings;
import io.branchflow.operator.config.OperatorSettings;
import io.branchflow.operator.environment.WorkflowEnvironmentReconciler;
import io.branchflow.testing.RepositoryRoot;
import io.branchflow.testing.TestCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The operator, running in the test JVM against the test cluster as it runs in production: with the
 * reviewed RBAC of {@code charts/branchflow/files/rbac} and nothing more (its client impersonates a
 * ServiceAccount bound to exactly those rules), watching one Branchflow namespace.
 */
final class OperatorUnderTest implements AutoCloseable {

  static final String SERVICE_ACCOUNT = "branchflow-operator";

  private final KubernetesClient client;
  private final Operator operator;
  private final Announcer announcer;

  private OperatorUnderTest(KubernetesClient client, Operator operator, Announcer announcer) {
    this.client = client;
    this.operator = operator;
    this.announcer = announcer;
  }

  /** Grants the operator's RBAC in {@code namespace} and starts the operator watching it. */
  static OperatorUnderTest start(TestCluster cluster, String namespace, OperatorSettings settings) {
    return start(cluster, namespace, settings, null);
  }

  /** With announcements (GitHub, Slack) as configured by {@code announce}; none when null. */
  static OperatorUnderTest start(
      TestCluster cluster, String namespace, OperatorSettings settings, AnnounceSettings announce) {
    grantRbac(cluster.client(), namespace);
    Config config = Config.fromKubeconfig(cluster.kubeconfig().toFile());
    config.setImpersonateUsername("system:serviceaccount:" + namespace + ":" + SERVICE_ACCOUNT);
    config.setImpersonateGroups(
        "system:serviceaccounts", "system:serviceaccounts:" + namespace, "system:authenticated");
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    Operator operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withStopOnInformerErrorDuringStartup(true)
                    .withCacheSyncTimeout(Duration.ofMinutes(1)));
    Announcer announcer = announce == null ? Announcer.none() : Announcer.create(client, announce);
    operator.register(
        new WorkflowEnvironmentReconciler(client, settings, announcer),
        c -> c.settingNamespace(namespace));
    operator.start();
    return new OperatorUnderTest(client, operator, announcer);
  }

  static OperatorUnderTest start(TestCluster cluster, String namespace) {
    return start(cluster, namespace, OperatorSettings.defaults());
  }

  /** Stops at once, wherever reconciles are: what a killed pod does to its in-flight work. */
  @Override
  public void close() {
    operator.stop();
    announcer.close();
    client.close();
  }

  private static void grantRbac(KubernetesClient admin, String namespace) {
    Path rbac = RepositoryRoot.find().resolve("charts/branchflow/files/rbac");
    HasMetadata clusterRole = load(admin, rbac.resolve("clusterrole.yaml"));
    admin.resource(clusterRole).serverSideApply();
    HasMetadata role = load(admin, rbac.resolve("role.yaml"));
    role.getMetadata().setNamespace(namespace);
    admin.resource(role).serverSideApply();
    admin
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(SERVICE_ACCOUNT)
                .withNamespace(namespace)
                .endMetadata()
                .build())
        .serverSideApply();
    admin
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName(SERVICE_ACCOUNT)
                .withNamespace(namespace)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", role.getMetadata().getName())
                .withSubjects(subject(namespace))
                .build())
        .serverSideApply();
    admin
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName(SERVICE_ACCOUNT + "-" + namespace)
                .addToLabels("branchflow.io/test", "e2e")
                .endMetadata()
                .withNewRoleRef(
                    "rbac.authorization.k8s.io", "ClusterRole", clusterRole.getMetadata().getName())
                .withSubjects(subject(namespace))
                .build())
        .serverSideApply();
  }

  private static Subject subject(String namespace) {
    return new SubjectBuilder()
        .withKind("ServiceAccount")
        .withName(SERVICE_ACCOUNT)
        .withNamespace(namespace)
        .build();
  }

  /** Removes what {@link #grantRbac} made outside the test namespace. */
  static void revokeRbac(KubernetesClient admin, String namespace) {
    admin.rbac().clusterRoleBindings().withName(SERVICE_ACCOUNT + "-" + namespace).delete();
  }

  private static HasMetadata load(KubernetesClient client, Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return client.getKubernetesSerialization().unmarshal(in);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }
}
