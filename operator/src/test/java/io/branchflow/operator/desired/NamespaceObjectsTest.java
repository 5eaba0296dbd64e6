package io.branchflow.operator.desired;

import static io.branchflow.operator.desired.TestInputs.assertOwnedByEnvironment;
import static io.branchflow.operator.desired.TestInputs.environmentName;
import static io.branchflow.operator.desired.TestInputs.inputs;
import static io.branchflow.operator.desired.TestInputs.repository;
import static io.branchflow.operator.desired.TestInputs.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.branchflow.api.Labels;
import io.branchflow.api.v1alpha1.Quota;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;
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
  void namespaceEnforcesPodSecurityBaselineAndWarnsOnRestricted() {
    Namespace namespace = NamespaceObjects.namespace(inputs());

    assertThat(namespace.getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "baseline")
        .containsEntry("pod-security.kubernetes.io/warn", "restricted");
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

  @Test
  void networkPolicyCoversEveryPodInTheNamespaceForIngressOnly() {
    NetworkPolicy policy = NamespaceObjects.networkPolicy(inputs());

    assertOwnedByEnvironment(policy);
    assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
    assertThat(policy.getSpec().getPodSelector().getMatchExpressions()).isNullOrEmpty();
    // No egress rules: task pods must still reach the API server's execution API and the world.
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
  }

  @Test
  void networkPolicyAllowsTheEnvironmentsOwnPodsSoTaskPodsReachTheExecutionApi() {
    List<NetworkPolicyPeer> from = peers(NamespaceObjects.networkPolicy(inputs()));

    assertThat(from)
        .anySatisfy(
            peer -> {
              // A pod selector without a namespace selector means: pods of this namespace.
              assertThat(peer.getNamespaceSelector()).isNull();
              assertThat(peer.getPodSelector()).isNotNull();
              assertThat(peer.getPodSelector().getMatchLabels()).isNullOrEmpty();
              assertThat(peer.getPodSelector().getMatchExpressions()).isNullOrEmpty();
            });
  }

  @Test
  void networkPolicyDeniesNamespacesOfOtherEnvironments() {
    NetworkPolicy policy = NamespaceObjects.networkPolicy(inputs());
    List<NetworkPolicyPeer> crossNamespace =
        peers(policy).stream().filter(p -> p.getNamespaceSelector() != null).toList();

    assertThat(crossNamespace)
        .singleElement()
        .satisfies(
            peer -> {
              assertThat(peer.getNamespaceSelector().getMatchLabels()).isNullOrEmpty();
              assertThat(peer.getNamespaceSelector().getMatchExpressions())
                  .extracting(
                      LabelSelectorRequirement::getKey, LabelSelectorRequirement::getOperator)
                  .containsExactly(tuple(Labels.ENVIRONMENT, "DoesNotExist"));
            });
    // ...and every environment namespace carries that label, so none of them matches.
    Namespace another =
        NamespaceObjects.namespace(inputs(TestInputs.environment("feature/other"), repository()));
    assertThat(another.getMetadata().getLabels()).containsKey(Labels.ENVIRONMENT);
  }

  private static List<NetworkPolicyPeer> peers(NetworkPolicy policy) {
    return policy.getSpec().getIngress().stream().flatMap(rule -> rule.getFrom().stream()).toList();
  }
}
