package io.branchflow.operator.desired;

import static io.branchflow.operator.desired.TestInputs.assertOwnedByEnvironment;
import static io.branchflow.operator.desired.TestInputs.environmentName;
import static io.branchflow.operator.desired.TestInputs.inputs;
import static io.branchflow.operator.desired.TestInputs.repository;
import static io.branchflow.operator.desired.TestInputs.template;
import static io.branchflow.operator.desired.TestInputs.withProductionData;
import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.v1alpha1.Executor;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.List;
import org.junit.jupiter.api.Test;

class RbacObjectsTest {

  @Test
  void serviceAccountsAreAirflowAndAirflowTasksWithoutAnnotationsByDefault() {
    List<ServiceAccount> accounts = RbacObjects.serviceAccounts(inputs());

    assertOwnedByEnvironment(accounts);
    assertThat(accounts)
        .extracting(a -> a.getMetadata().getName())
        .containsExactly("airflow", "airflow-tasks");
    assertThat(accounts)
        .allSatisfy(a -> assertThat(a.getMetadata().getAnnotations()).isNullOrEmpty());
  }

  @Test
  void onlyTheTaskServiceAccountCarriesTheWorkloadIdentityOfProductionData() {
    List<ServiceAccount> accounts =
        RbacObjects.serviceAccounts(
            inputs(withProductionData(repository(), TestInputs.PRODUCTION_SECRET)));

    assertThat(accounts)
        .filteredOn(a -> a.getMetadata().getName().equals("airflow-tasks"))
        .singleElement()
        .satisfies(
            a ->
                assertThat(a.getMetadata().getAnnotations())
                    .containsEntry(
                        TestInputs.WORKLOAD_IDENTITY,
                        "dags-reader@acme-prod.iam.gserviceaccount.com"));
    assertThat(accounts)
        .filteredOn(a -> a.getMetadata().getName().equals("airflow"))
        .singleElement()
        .satisfies(a -> assertThat(a.getMetadata().getAnnotations()).isNullOrEmpty());
  }

  @Test
  void localExecutorWithoutProductionDataGetsNoRoles() {
    EnvironmentInputs in = inputs();

    assertThat(RbacObjects.roles(in)).isEmpty();
    assertThat(RbacObjects.roleBindings(in)).isEmpty();
  }

  @Test
  void productionDataReaderMayOnlyGetTheCopiedSecrets() {
    EnvironmentInputs in = inputs(withProductionData(repository(), "warehouse-readonly", "s3-ro"));

    List<Role> roles = RbacObjects.roles(in);

    assertOwnedByEnvironment(roles);
    assertThat(roles)
        .extracting(r -> r.getMetadata().getName())
        .containsExactly("production-data-reader");
    assertThat(roles.get(0).getRules())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getApiGroups()).containsExactly("");
              assertThat(rule.getResources()).containsExactly("secrets");
              assertThat(rule.getResourceNames())
                  .containsExactlyInAnyOrder("warehouse-readonly", "s3-ro");
              assertThat(rule.getVerbs()).containsExactly("get");
            });
  }

  @Test
  void emptyProductionSecretListGetsNoReaderRole() {
    EnvironmentInputs in = inputs(withProductionData(repository()));

    assertThat(RbacObjects.roles(in)).isEmpty();
  }

  @Test
  void rolesNoLongerCalledForAreTheOnesToRemove() {
    assertThat(RbacObjects.unwantedRoles(inputs()))
        .containsExactlyInAnyOrder("production-data-reader", "airflow-executor");
    assertThat(
            RbacObjects.unwantedRoles(
                inputs(withProductionData(repository(), "warehouse-readonly"))))
        .containsExactly("airflow-executor");
  }

  @Test
  void kubernetesExecutorMayManageTaskPodsAndReadTheirLogs() {
    WorkflowRepository repository = repository();
    template(repository).setExecutor(Executor.KubernetesExecutor);

    List<Role> roles = RbacObjects.roles(inputs(repository));

    assertOwnedByEnvironment(roles);
    assertThat(roles)
        .extracting(r -> r.getMetadata().getName())
        .containsExactly("airflow-executor");
    List<PolicyRule> rules = roles.get(0).getRules();
    assertThat(rules)
        .anySatisfy(
            rule -> {
              assertThat(rule.getResources()).containsExactly("pods");
              assertThat(rule.getVerbs()).contains("create", "get", "list", "watch", "delete");
            })
        .anySatisfy(
            rule -> {
              assertThat(rule.getResources()).containsExactly("pods/log");
              assertThat(rule.getVerbs()).containsExactly("get");
            });
    // Never secrets: the executor role must not widen access to credentials.
    assertThat(rules).allSatisfy(rule -> assertThat(rule.getResources()).doesNotContain("secrets"));
  }

  @Test
  void bothRolesWithProductionDataAndKubernetesExecutor() {
    WorkflowRepository repository = withProductionData(repository(), "warehouse-readonly");
    template(repository).setExecutor(Executor.KubernetesExecutor);

    assertThat(RbacObjects.roles(inputs(repository)))
        .extracting(r -> r.getMetadata().getName())
        .containsExactlyInAnyOrder("production-data-reader", "airflow-executor");
  }

  @Test
  void theExecutorRoleIsBoundToTheSchedulersServiceAccountTheReaderToTheTaskPods() {
    WorkflowRepository repository = withProductionData(repository(), "warehouse-readonly");
    template(repository).setExecutor(Executor.KubernetesExecutor);
    EnvironmentInputs in = inputs(repository);

    List<RoleBinding> bindings = RbacObjects.roleBindings(in);

    assertOwnedByEnvironment(bindings);
    assertThat(bindings)
        .extracting(b -> b.getRoleRef().getName())
        .containsExactlyInAnyOrderElementsOf(
            RbacObjects.roles(in).stream().map(r -> r.getMetadata().getName()).toList());
    assertThat(bindings)
        .allSatisfy(
            binding -> {
              assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
              assertThat(binding.getRoleRef().getApiGroup()).isEqualTo("rbac.authorization.k8s.io");
              assertThat(binding.getSubjects())
                  .singleElement()
                  .satisfies(
                      subject -> {
                        assertThat(subject.getKind()).isEqualTo("ServiceAccount");
                        assertThat(subject.getName())
                            .isEqualTo(
                                binding.getRoleRef().getName().equals("airflow-executor")
                                    ? "airflow"
                                    : "airflow-tasks");
                        assertThat(subject.getNamespace()).isEqualTo("bf-" + environmentName());
                      });
            });
  }
}
