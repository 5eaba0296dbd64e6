package io.branchflow.testing;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Runs a component with exactly the RBAC we ship: creates a ServiceAccount bound to a committed
 * Role file and writes a kubeconfig that authenticates as it with a token from the TokenRequest API
 * (what a pod's projected token is), so a missing rule fails the test as it would fail in a
 * cluster.
 */
public final class ServiceAccountKubeconfig {

  private ServiceAccountKubeconfig() {}

  /**
   * Binds {@code serviceAccount} in {@code namespace} to the Role in {@code roleFile} (a path under
   * the repository root) and returns a kubeconfig for it.
   */
  public static Path forNamespacedRole(
      TestCluster cluster, String namespace, String serviceAccount, String roleFile) {
    KubernetesClient admin = cluster.client();
    HasMetadata role = load(admin, RepositoryRoot.find().resolve(roleFile));
    role.getMetadata().setNamespace(namespace);
    admin.resource(role).serverSideApply();
    admin
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(serviceAccount)
                .withNamespace(namespace)
                .endMetadata()
                .build())
        .serverSideApply();
    admin
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName(serviceAccount)
                .withNamespace(namespace)
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "Role", role.getMetadata().getName())
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(serviceAccount)
                .withNamespace(namespace)
                .endSubject()
                .build())
        .serverSideApply();
    return write(cluster, token(admin, namespace, serviceAccount), serviceAccount);
  }

  private static String token(KubernetesClient admin, String namespace, String serviceAccount) {
    TokenRequest request =
        new TokenRequestBuilder().withNewSpec().withExpirationSeconds(6 * 3600L).endSpec().build();
    return admin
        .serviceAccounts()
        .inNamespace(namespace)
        .withName(serviceAccount)
        .tokenRequest(request)
        .getStatus()
        .getToken();
  }

  private static Path write(TestCluster cluster, String token, String user) {
    Config admin = cluster.client().getConfiguration();
    try {
      String ca =
          admin.getCaCertData() != null
              ? admin.getCaCertData()
              : Base64.getEncoder()
                  .encodeToString(Files.readAllBytes(Path.of(admin.getCaCertFile())));
      String kubeconfig =
          """
          apiVersion: v1
          kind: Config
          clusters:
          - name: test
            cluster:
              server: %s
              certificate-authority-data: %s
          users:
          - name: %s
            user:
              token: %s
          contexts:
          - name: %s
            context:
              cluster: test
              user: %s
          current-context: %s
          """
              .formatted(admin.getMasterUrl(), ca, user, token, user, user, user);
      Path file = Files.createTempFile("kubeconfig-" + user + "-", ".yaml");
      file.toFile().deleteOnExit();
      Files.writeString(file, kubeconfig, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a kubeconfig for " + user, e);
    }
  }

  private static HasMetadata load(KubernetesClient client, Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return client.getKubernetesSerialization().unmarshal(in);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }
}
