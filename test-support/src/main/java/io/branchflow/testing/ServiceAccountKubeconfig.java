package io.branchflow.testing;

import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * A kubeconfig that authenticates as a ServiceAccount with a token from the TokenRequest API (what
 * a pod's projected token is): a component run with it has exactly that ServiceAccount's RBAC, so a
 * missing rule fails a test as it would fail in a cluster.
 */
public final class ServiceAccountKubeconfig {

  private ServiceAccountKubeconfig() {}

  /**
   * A kubeconfig authenticating as the existing ServiceAccount {@code namespace/serviceAccount},
   * with a fresh token from the TokenRequest API.
   */
  public static Path of(TestCluster cluster, String namespace, String serviceAccount) {
    return write(cluster, token(cluster.client(), namespace, serviceAccount), serviceAccount);
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
}
