package io.branchflow.operator.config;

import java.util.Optional;

/**
 * How the operator gets its rights inside an environment namespace: it holds none there until it
 * binds {@code clusterRole} to its own ServiceAccount with a RoleBinding, the first object it
 * writes in each namespace it creates (docs/security.md). The chart sets both; unset (the operator
 * run from source with an admin kubeconfig), the operator binds nothing.
 *
 * @param clusterRole the chart's environment ClusterRole, which the operator may {@code bind}
 * @param serviceAccountNamespace namespace of the operator's ServiceAccount
 * @param serviceAccountName name of the operator's ServiceAccount
 */
public record EnvironmentAccess(
    String clusterRole, String serviceAccountNamespace, String serviceAccountName) {

  /**
   * From the settings {@code branchflow.rbac.environment-role} and {@code
   * branchflow.rbac.service-account} ({@code namespace/name}); empty when either is unset.
   */
  public static Optional<EnvironmentAccess> of(
      Optional<String> clusterRole, Optional<String> serviceAccount) {
    String role = clusterRole.map(String::strip).orElse("");
    String account = serviceAccount.map(String::strip).orElse("");
    if (role.isEmpty() || account.isEmpty()) {
      return Optional.empty();
    }
    int slash = account.indexOf('/');
    if (slash <= 0 || slash == account.length() - 1 || account.indexOf('/', slash + 1) >= 0) {
      throw new IllegalArgumentException(
          "branchflow.rbac.service-account must be namespace/name, not '" + account + "'");
    }
    return Optional.of(
        new EnvironmentAccess(role, account.substring(0, slash), account.substring(slash + 1)));
  }
}
