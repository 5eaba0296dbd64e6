package io.branchflow.operator.e2e;

import static org.awaitility.Awaitility.await;

import io.branchflow.operator.announce.Announcer;
import io.branchflow.operator.config.AnnounceSettings;
import io.branchflow.operator.config.EnvironmentAccess;
import io.branchflow.operator.config.OperatorSettings;
import io.branchflow.operator.config.ResyncSettings;
import io.branchflow.operator.environment.WorkflowEnvironmentReconciler;
import io.branchflow.operator.inspect.AirflowRestClient;
import io.branchflow.operator.repository.WorkflowRepositoryReconciler;
import io.branchflow.testing.HelmChart;
import io.branchflow.testing.TestCluster;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * The operator, running in the test JVM against the test cluster as it runs in production: as the
 * ServiceAccount the Helm chart creates, with the RBAC the chart renders and nothing more (its
 * client authenticates with a TokenRequest token of that ServiceAccount), watching one Branchflow
 * namespace with both reconcilers (environments, and repositories for the branch resync) and, when
 * asked, the announcements (GitHub, Slack).
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

  /**
   * Installs the chart's identity for the operator in {@code namespace} and starts the operator
   * watching it; {@code announce} null announces nothing.
   */
  static OperatorUnderTest start(
      TestCluster cluster,
      String namespace,
      OperatorSettings settings,
      ResyncSettings resync,
      AnnounceSettings announce) {
    return start(cluster, namespace, settings, resync, announce, Clock.systemUTC());
  }

  /** Like the above, with environments' TTLs counted in {@code clock} (a test moves it). */
  static OperatorUnderTest start(
      TestCluster cluster,
      String namespace,
      OperatorSettings settings,
      ResyncSettings resync,
      AnnounceSettings announce,
      Clock clock) {
    return start(cluster, namespace, settings, resync, announce, clock, null);
  }

  /**
   * Like the above, with every environment's Airflow answered by {@code airflow} (null: the real
   * one, through the API server): on kwok no Airflow runs.
   */
  static OperatorUnderTest start(
      TestCluster cluster,
      String namespace,
      OperatorSettings settings,
      ResyncSettings resync,
      AnnounceSettings announce,
      Clock clock,
      AirflowRestClient airflow) {
    Config config =
        Config.fromKubeconfig(
            new HelmChart().installIdentity(cluster, namespace, SERVICE_ACCOUNT).toFile());
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    awaitRightsInForce(client, namespace);
    settings = settings.withEnvironmentAccess(environmentAccess(namespace));
    Operator operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withStopOnInformerErrorDuringStartup(true)
                    .withCacheSyncTimeout(Duration.ofMinutes(1)));
    Announcer announcer = announce == null ? Announcer.none() : Announcer.create(client, announce);
    operator.register(
        new WorkflowEnvironmentReconciler(client, settings, announcer, clock, airflow),
        c -> c.settingNamespace(namespace));
    operator.register(
        new WorkflowRepositoryReconciler(client, resync), c -> c.settingNamespace(namespace));
    operator.start();
    return new OperatorUnderTest(client, operator, announcer);
  }

  static OperatorUnderTest start(
      TestCluster cluster, String namespace, OperatorSettings settings, ResyncSettings resync) {
    return start(cluster, namespace, settings, resync, null);
  }

  static OperatorUnderTest start(
      TestCluster cluster, String namespace, OperatorSettings settings, AnnounceSettings announce) {
    return start(cluster, namespace, settings, ResyncSettings.defaults(), announce);
  }

  static OperatorUnderTest start(TestCluster cluster, String namespace, OperatorSettings settings) {
    return start(cluster, namespace, settings, ResyncSettings.defaults(), null);
  }

  static OperatorUnderTest start(TestCluster cluster, String namespace) {
    return start(cluster, namespace, OperatorSettings.defaults());
  }

  /**
   * A RoleBinding takes effect once the API server's authorizer has seen it, a moment after it is
   * written; informers started before that fail their first LIST with 403. A pod of the chart would
   * restart and then find its rights; the test waits for them instead.
   */
  private static void awaitRightsInForce(KubernetesClient client, String namespace) {
    await("the chart's RBAC in force for " + SERVICE_ACCOUNT)
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                // Its own namespace (Role) and cluster-wide (ClusterRole), one of each group.
                Stream.of(
                        new String[] {namespace, "branchflow.io", "workflowrepositories"},
                        new String[] {namespace, "branchflow.io", "workflowenvironments"},
                        new String[] {null, "", "namespaces"},
                        new String[] {null, "apps", "deployments"})
                    .allMatch(
                        what ->
                            Boolean.TRUE.equals(
                                client
                                    .authorization()
                                    .v1()
                                    .selfSubjectAccessReview()
                                    .create(
                                        new SelfSubjectAccessReviewBuilder()
                                            .withNewSpec()
                                            .withNewResourceAttributes()
                                            .withNamespace(what[0])
                                            .withGroup(what[1])
                                            .withResource(what[2])
                                            .withVerb("watch")
                                            .endResourceAttributes()
                                            .endSpec()
                                            .build())
                                    .getStatus()
                                    .getAllowed())));
  }

  /** Stops at once, wherever reconciles are: what a killed pod does to its in-flight work. */
  @Override
  public void close() {
    operator.stop();
    announcer.close();
    client.close();
  }

  /** What the chart tells the operator about its identity (its environment variables). */
  static EnvironmentAccess environmentAccess(String namespace) {
    return new EnvironmentAccess(
        SERVICE_ACCOUNT + "-" + namespace + "-environment", namespace, SERVICE_ACCOUNT);
  }

  /** Stops the operator, then removes its RBAC and its Branchflow namespace. */
  void closeAndRemove(KubernetesClient admin, String namespace) {
    close();
    revokeRbac(admin, namespace);
    admin.namespaces().withName(namespace).delete();
  }

  /** Removes what {@link HelmChart#installIdentity} made outside the test namespace. */
  static void revokeRbac(KubernetesClient admin, String namespace) {
    String name = SERVICE_ACCOUNT + "-" + namespace;
    admin.rbac().clusterRoleBindings().withName(name).delete();
    admin.rbac().clusterRoles().withName(name).delete();
    admin.rbac().clusterRoles().withName(environmentAccess(namespace).clusterRole()).delete();
    var admission = admin.admissionRegistration().v1();
    admission.validatingAdmissionPolicyBindings().withName(name).delete();
    admission.validatingAdmissionPolicies().withName(name).delete();
  }
}
