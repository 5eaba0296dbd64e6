package io.branchflow.operator.desired;

import io.branchflow.operator.config.EnvironmentAccess;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import java.util.Optional;

/**
 * The operator's own rights inside an environment namespace: a RoleBinding of the chart's
 * environment ClusterRole to the operator's ServiceAccount, written first in every namespace the
 * operator creates. Cluster-wide the operator may only create namespaces and this binding, so its
 * rights to Secrets, workloads and pods exist in Branchflow's namespaces and nowhere else.
 */
public final class OperatorAccess {

  public static final String ROLE_BINDING = "branchflow-operator";

  private OperatorAccess() {}

  /** Empty when the operator binds nothing (no {@link EnvironmentAccess} configured). */
  public static Optional<RoleBinding> roleBinding(EnvironmentInputs in) {
    EnvironmentAccess access = in.settings().environmentAccess();
    if (access == null) {
      return Optional.empty();
    }
    return Optional.of(
        new RoleBindingBuilder()
            .withMetadata(in.meta(ROLE_BINDING, Components.ENVIRONMENT))
            .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", access.clusterRole())
            .addNewSubject()
            .withKind("ServiceAccount")
            .withName(access.serviceAccountName())
            .withNamespace(access.serviceAccountNamespace())
            .endSubject()
            .build());
  }
}
