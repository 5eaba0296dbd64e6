package io.branchflow.operator.desired;

import static io.branchflow.operator.desired.TestInputs.assertOwnedByEnvironment;
import static io.branchflow.operator.desired.TestInputs.environmentName;
import static io.branchflow.operator.desired.TestInputs.inputs;
import static io.branchflow.operator.desired.TestInputs.repository;
import static io.branchflow.operator.desired.TestInputs.template;
import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.Labels;
import io.branchflow.api.v1alpha1.Quota;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import org.junit.jupiter.api.Test;

class NamespaceObjectsTest {

  @Test
  void namespaceIsNamedAfterTheEnvironmentAndLabelled() {
    Namespace namespace = NamespaceObjects.namespace(inputs());

    assertThat(namespace.getMetadata().getName()).isEqualTo("bf-" + environmentName());
    assertThat(namespace.getMetadata().getNamespace()).isNull();
    assertThat(namespace.getMetadata().getLabels())
        .containsEntry(Labels.MANAGED_BY, "branchflow")
        .containsEntry(Labels.ENVIRONMENT, environmentName())
        .containsEntry(Labels.REPOSITORY, TestInputs.REPOSITORY_OBJECT);
  }

  @Test
  void namespaceEnforcesPodSecurityRestricted() {
    Namespace namespace = NamespaceObjects.namespace(inputs());

    assertThat(namespace.getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
  }

  @Test
  void noQuotaWhenTheTemplateHasNone() {
    assertThat(NamespaceObjects.resourceQuota(inputs())).isEmpty();
  }

  @Test
  void quotaCarriesTheTemplatesLimits() {
    WorkflowRepository repository = repository();
    Quota quota = new Quota();
    quota.setCpu("4");
    quota.setMemory("8Gi");
    quota.setPods(20);
    quota.setStorage("10Gi");
    template(repository).setQuota(quota);

    ResourceQuota resourceQuota = NamespaceObjects.resourceQuota(inputs(repository)).orElseThrow();

    assertOwnedByEnvironment(resourceQuota);
    assertThat(resourceQuota.getSpec().getHard())
        .containsEntry("requests.cpu", new Quantity("4"))
        .containsEntry("limits.memory", new Quantity("8Gi"))
        .containsEntry("pods", new Quantity("20"))
        .containsEntry("requests.storage", new Quantity("10Gi"));
  }

  @Test
  void quotaLimitsOnlyWhatTheTemplateNames() {
    WorkflowRepository repository = repository();
    Quota quota = new Quota();
    quota.setPods(5);
    template(repository).setQuota(quota);

    ResourceQuota resourceQuota = NamespaceObjects.resourceQuota(inputs(repository)).orElseThrow();

    assertThat(resourceQuota.getSpec().getHard()).containsOnlyKeys("pods");
  }

  @Test
  void limitRangeGivesContainersDefaultRequestsAndAMemoryLimit() {
    LimitRange limitRange = NamespaceObjects.limitRange(inputs());

    assertOwnedByEnvironment(limitRange);
    var limit = limitRange.getSpec().getLimits().get(0);
    assertThat(limit.getType()).isEqualTo("Container");
    assertThat(limit.getDefaultRequest()).containsKeys("cpu", "memory");
    assertThat(limit.getDefault()).containsKey("memory");
  }
}
