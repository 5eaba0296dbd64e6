package io.branchflow.bench;

import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.operator.config.OperatorSettings;
import io.branchflow.operator.desired.AirflowComponents;
import io.branchflow.operator.desired.AirflowConfig;
import io.branchflow.operator.desired.DatabaseObjects;
import io.branchflow.operator.desired.EnvironmentInputs;
import io.branchflow.operator.desired.Exposure;
import io.branchflow.operator.desired.MigrationJob;
import io.branchflow.operator.desired.NamespaceObjects;
import io.branchflow.operator.desired.NetworkPolicies;
import io.branchflow.operator.desired.RbacObjects;
import io.branchflow.operator.desired.SecretObjects;
import io.branchflow.operator.desired.TaskLogs;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the API server alone costs: single ConfigMap creates, and one environment's objects applied
 * by {@code kubectl apply --server-side} in one call, with no operator in between.
 */
final class Floor {

  private final KubernetesClient client;
  private final Path kubectl;
  private final Path kubeconfig;
  private final Path workDir;

  Floor(KubernetesClient client, Path kubectl, Path kubeconfig, Path workDir) {
    this.client = client;
    this.kubectl = kubectl;
    this.kubeconfig = kubeconfig;
    this.workDir = workDir;
  }

  /** Sequential ConfigMap creates from this JVM's fabric8 client, after a warm-up. */
  Map<String, Object> writeLatency(String ns, int warmup, int count) {
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < warmup + count; i++) {
      var cm =
          new ConfigMapBuilder()
              .withNewMetadata()
              .withName("write-" + i)
              .withNamespace(ns)
              .endMetadata()
              .addToData("key", "value-" + i)
              .build();
      long t0 = System.nanoTime();
      client.resource(cm).create();
      if (i >= warmup) {
        ms.add((System.nanoTime() - t0) / 1e6);
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("what", "ConfigMap create, one at a time, fabric8 client over loopback TLS");
    m.put("warmup", warmup);
    m.put("latencyMs", Stats.of(ms).json());
    return m;
  }

  /**
   * One environment's objects (the desired-state builders' output, in the operator's order) applied
   * by one {@code kubectl apply --server-side} into a fresh namespace; {@code runs} times, each
   * into its own namespace. Also times a trivial kubectl call, the process's own start-up cost.
   */
  Map<String, Object> kubectlApply(String branchflowNs, int runs) {
    List<Double> applyMs = new ArrayList<>();
    List<Double> kubectlMs = new ArrayList<>();
    List<String> namespaces = new ArrayList<>();
    int objects = 0;
    for (int i = 0; i < runs; i++) {
      kubectlMs.add(time(List.of("get", "--raw", "/readyz")));
      WorkflowEnvironment env = BenchFixtures.environment(branchflowNs, "feature/floor-" + i);
      List<HasMetadata> all = objects(env, BenchFixtures.repository(branchflowNs));
      objects = all.size();
      Path file = workDir.resolve("floor-" + i + ".yaml");
      StringBuilder yaml = new StringBuilder();
      for (HasMetadata o : all) {
        String doc = Serialization.asYaml(o);
        yaml.append(doc.startsWith("---") ? "" : "---\n").append(doc);
      }
      write(file, yaml.toString());
      namespaces.add(EnvironmentInputs.namespaceOf(env));
      applyMs.add(
          time(
              List.of(
                  "apply", "--server-side", "--field-manager=bench-floor", "-f", file.toString())));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("objects", objects);
    m.put("runs", runs);
    m.put("applyMs", Stats.of(applyMs).json());
    m.put("kubectlStartupMs", Stats.of(kubectlMs).json());
    m.put("namespaces", namespaces);
    return m;
  }

  /** The objects of one environment at steady state, as EnvironmentProvisioner applies them. */
  static List<HasMetadata> objects(WorkflowEnvironment env, WorkflowRepository repository) {
    EnvironmentInputs in = EnvironmentInputs.of(env, repository, OperatorSettings.defaults());
    List<HasMetadata> out = new ArrayList<>();
    out.add(NamespaceObjects.namespace(in));
    NamespaceObjects.resourceQuota(in).ifPresent(out::add);
    out.add(NamespaceObjects.limitRange(in));
    out.addAll(NetworkPolicies.all(in));
    out.addAll(RbacObjects.serviceAccounts(in));
    out.addAll(RbacObjects.roles(in));
    out.addAll(RbacObjects.roleBindings(in));
    out.add(SecretObjects.generated(in, Map.of(), Floor::random));
    Secret production = BenchFixtures.productionSecret(env.getMetadata().getNamespace());
    production.setData(
        Map.of("password", java.util.Base64.getEncoder().encodeToString("x".getBytes())));
    production.setStringData(null);
    out.add(SecretObjects.copy(in, production));
    SecretObjects.gitCredentials(in, null).ifPresent(out::add);
    SecretObjects.login(in, Map.of(), Floor::random).ifPresent(out::add);
    out.add(AirflowConfig.configMap(in, Exposure.url(in)));
    AirflowComponents.podTemplate(in).ifPresent(out::add);
    out.add(DatabaseObjects.service(in));
    out.add(TaskLogs.claim(in));
    out.add(DatabaseObjects.statefulSet(in));
    out.add(MigrationJob.job(in));
    out.addAll(AirflowComponents.deployments(in, "0123456789abcdef", false));
    out.add(Exposure.service(in));
    out.add(Exposure.ingress(in));
    return out;
  }

  private double time(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(kubectl.toString());
    command.add("--kubeconfig=" + kubeconfig);
    command.addAll(args);
    long t0 = System.nanoTime();
    Commands.run(Duration.ofMinutes(1), command);
    return (System.nanoTime() - t0) / 1e6;
  }

  private static byte[] random(int length) {
    byte[] b = new byte[length];
    new java.security.SecureRandom().nextBytes(b);
    return b;
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
