package io.branchflow.operator.desired;

import io.branchflow.api.Labels;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The identity Airflow runs as, and the little it may do in its own namespace. */
public final class RbacObjects {

  static final String EXECUTOR_ROLE = "airflow-executor";
  static final String DATA_READER_ROLE = "production-data-reader";

  private RbacObjects() {}

  /**
   * Two identities: {@value Components#TASK_SERVICE_ACCOUNT} for the pods that run tasks, carrying
   * the repository's annotations (e.g. a cloud workload identity with read-only data), and {@value
   * Components#SERVICE_ACCOUNT}, without them, for every other Airflow pod.
   */
  public static List<ServiceAccount> serviceAccounts(EnvironmentInputs in) {
    Map<String, String> annotations =
        Optional.ofNullable(in.repository().getSpec().getProductionData())
            .map(p -> p.getServiceAccountAnnotations())
            .orElse(Map.of());
    return List.of(
        new ServiceAccountBuilder()
            .withMetadata(in.meta(Components.SERVICE_ACCOUNT, Components.ENVIRONMENT))
            .build(),
        new ServiceAccountBuilder()
            .withMetadata(in.meta(Components.TASK_SERVICE_ACCOUNT, Components.ENVIRONMENT))
            .editMetadata()
            .withAnnotations(annotations.isEmpty() ? null : annotations)
            .endMetadata()
            .build());
  }

  /**
   * What Airflow may do through the Kubernetes API, in its own namespace only: read the production
   * data Secrets copied there (tasks that fetch credentials through the API rather than from
   * mounted files), and with KubernetesExecutor create, watch and delete task pods and read their
   * logs. LocalExecutor needs no pod access at all.
   */
  public static List<Role> roles(EnvironmentInputs in) {
    List<Role> roles = new ArrayList<>();
    List<String> copied = productionSecretNames(in);
    if (!copied.isEmpty()) {
      roles.add(
          new RoleBuilder()
              .withMetadata(in.meta(DATA_READER_ROLE, Components.ENVIRONMENT))
              .withRules(
                  new PolicyRuleBuilder()
                      .withApiGroups("")
                      .withResources("secrets")
                      .withResourceNames(copied)
                      .withVerbs("get")
                      .build())
              .build());
    }
    if (in.template().kubernetesExecutor()) {
      roles.add(
          new RoleBuilder()
              .withMetadata(in.meta(EXECUTOR_ROLE, Components.SCHEDULER))
              .withRules(
                  new PolicyRuleBuilder()
                      .withApiGroups("")
                      .withResources("pods")
                      .withVerbs("create", "get", "list", "watch", "patch", "delete")
                      .build(),
                  new PolicyRuleBuilder()
                      .withApiGroups("")
                      .withResources("pods/log")
                      .withVerbs("get")
                      .build(),
                  new PolicyRuleBuilder()
                      .withApiGroups("")
                      .withResources("events")
                      .withVerbs("get", "list", "watch")
                      .build())
              .build());
    }
    return roles;
  }

  /**
   * One binding per role: the executor's to the scheduler's ServiceAccount, the production data
   * reader's to the task pods'.
   */
  public static List<RoleBinding> roleBindings(EnvironmentInputs in) {
    return roles(in).stream()
        .map(
            role ->
                new RoleBindingBuilder()
                    .withMetadata(in.meta(role.getMetadata().getName(), componentOf(role)))
                    .withNewRoleRef(
                        "rbac.authorization.k8s.io", "Role", role.getMetadata().getName())
                    .addNewSubject()
                    .withKind("ServiceAccount")
                    .withName(
                        EXECUTOR_ROLE.equals(role.getMetadata().getName())
                            ? Components.SERVICE_ACCOUNT
                            : Components.TASK_SERVICE_ACCOUNT)
                    .withNamespace(in.namespace())
                    .endSubject()
                    .build())
        .toList();
  }

  /**
   * The Roles (each with its RoleBinding of the same name) this class makes for some environment
   * but not for this one now: left from an earlier spec (KubernetesExecutor switched to
   * LocalExecutor, productionData emptied), so the provisioner removes them.
   */
  public static List<String> unwantedRoles(EnvironmentInputs in) {
    List<String> wanted = roles(in).stream().map(r -> r.getMetadata().getName()).toList();
    return java.util.stream.Stream.of(DATA_READER_ROLE, EXECUTOR_ROLE)
        .filter(name -> !wanted.contains(name))
        .toList();
  }

  static List<String> productionSecretNames(EnvironmentInputs in) {
    return Optional.ofNullable(in.repository().getSpec().getProductionData())
        .map(p -> p.getSecretNames())
        .orElse(List.of());
  }

  private static String componentOf(Role role) {
    return role.getMetadata().getLabels().get(Labels.COMPONENT);
  }
}
