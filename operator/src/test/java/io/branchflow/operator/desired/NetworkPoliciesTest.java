package io.branchflow.operator.desired;

import static io.branchflow.operator.desired.TestInputs.assertOwnedByEnvironment;
import static io.branchflow.operator.desired.TestInputs.inputs;
import static io.branchflow.operator.desired.TestInputs.repository;
import static io.branchflow.operator.desired.TestInputs.template;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.branchflow.api.Labels;
import io.branchflow.api.v1alpha1.EgressRule;
import io.branchflow.api.v1alpha1.Executor;
import io.branchflow.api.v1alpha1.NetworkPolicySettings;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetworkPoliciesTest {

  @Test
  void everyPodIsDeniedEverythingInAndOutButItsOwnNamespaceAndDns() {
    NetworkPolicy isolate = policy(inputs(), NetworkPolicies.ISOLATE);

    assertOwnedByEnvironment(isolate);
    assertSelectsEveryPod(isolate);
    assertThat(isolate.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
    assertThat(isolate.getSpec().getIngress())
        .singleElement()
        .satisfies(rule -> assertThat(rule.getFrom()).singleElement().satisfies(this::ownPods));
    assertThat(isolate.getSpec().getEgress())
        .anySatisfy(rule -> assertThat(rule.getTo()).singleElement().satisfies(this::ownPods))
        .anySatisfy(
            rule -> {
              assertThat(rule.getTo())
                  .singleElement()
                  .extracting(NetworkPolicyPeer::getNamespaceSelector)
                  .isNotNull()
                  .satisfies(
                      selector ->
                          assertThat(selector.getMatchLabels())
                              .containsEntry("kubernetes.io/metadata.name", "kube-system"));
              assertThat(rule.getPorts())
                  .extracting(p -> p.getProtocol(), p -> p.getPort().getIntVal())
                  .containsExactlyInAnyOrder(tuple("UDP", 53), tuple("TCP", 53));
            })
        .hasSize(2);
  }

  @Test
  void onlyTheUiIsOpenAndOnlyToNamespacesThatAreNotEnvironments() {
    NetworkPolicy ingress = policy(inputs(), NetworkPolicies.INGRESS_CONTROLLER);

    assertThat(ingress.getSpec().getPodSelector().getMatchExpressions())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getKey()).isEqualTo(Labels.COMPONENT);
              assertThat(e.getValues()).containsExactlyInAnyOrder("api-server", "webserver");
            });
    var rule = ingress.getSpec().getIngress().get(0);
    assertThat(rule.getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactly(8080);
    assertThat(rule.getFrom())
        .singleElement()
        .satisfies(
            peer ->
                assertThat(peer.getNamespaceSelector().getMatchExpressions())
                    .extracting(
                        LabelSelectorRequirement::getKey, LabelSelectorRequirement::getOperator)
                    .containsExactly(tuple(Labels.ENVIRONMENT, "DoesNotExist")));
    // ...and every environment namespace carries that label, so none of them matches.
    Namespace another =
        NamespaceObjects.namespace(inputs(TestInputs.environment("feature/other"), repository()));
    assertThat(another.getMetadata().getLabels()).containsKey(Labels.ENVIRONMENT);
  }

  @Test
  void withoutTemplateEgressNothingOutsideIsAllowed() {
    assertThat(policy(inputs(), NetworkPolicies.EGRESS).getSpec().getEgress()).isEmpty();
  }

  @Test
  void theTemplatesEgressOpensExactlyItsRangesAndPortsToEveryPod() {
    WorkflowRepository repository = repository();
    template(repository)
        .setNetworkPolicy(
            settings(
                List.of(rule("10.20.0.0/16", EgressRule.Protocol.TCP, 5432, 5439)),
                List.of(rule("192.0.2.1/32", null, 6443))));

    NetworkPolicy egress = policy(inputs(repository), NetworkPolicies.EGRESS);

    assertSelectsEveryPod(egress);
    assertThat(egress.getSpec().getPolicyTypes()).containsExactly("Egress");
    assertThat(egress.getSpec().getEgress())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getTo())
                  .singleElement()
                  .satisfies(p -> assertThat(p.getIpBlock().getCidr()).isEqualTo("10.20.0.0/16"));
              assertThat(r.getPorts())
                  .extracting(p -> p.getProtocol(), p -> p.getPort().getIntVal())
                  .containsExactly(tuple("TCP", 5432), tuple("TCP", 5439));
            });
    // LocalExecutor: no pod calls the Kubernetes API, whatever the template says.
    assertThat(policy(inputs(repository), NetworkPolicies.KUBERNETES_API).getSpec().getEgress())
        .isEmpty();
  }

  @Test
  void underKubernetesExecutorOnlyTheSchedulerMayReachTheKubernetesApi() {
    WorkflowRepository repository = repository();
    template(repository).setExecutor(Executor.KubernetesExecutor);
    template(repository)
        .setNetworkPolicy(settings(null, List.of(rule("192.0.2.1/32", null, 6443))));

    NetworkPolicy api = policy(inputs(repository), NetworkPolicies.KUBERNETES_API);

    assertThat(api.getSpec().getPodSelector().getMatchLabels())
        .containsEntry(Labels.COMPONENT, "scheduler");
    assertThat(api.getSpec().getEgress())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getTo().get(0).getIpBlock().getCidr()).isEqualTo("192.0.2.1/32");
              assertThat(r.getPorts())
                  .extracting(p -> p.getProtocol(), p -> p.getPort().getIntVal())
                  .containsExactly(tuple("TCP", 6443));
            });
    assertThat(policy(inputs(repository), NetworkPolicies.EGRESS).getSpec().getEgress()).isEmpty();
  }

  @Test
  void theSetOfPoliciesIsTheSameWhateverTheTemplateSaysSoNoneIsLeftBehind() {
    WorkflowRepository repository = repository();
    template(repository).setExecutor(Executor.KubernetesExecutor);

    assertThat(NetworkPolicies.all(inputs(repository)))
        .extracting(p -> p.getMetadata().getName())
        .containsExactlyElementsOf(
            NetworkPolicies.all(inputs()).stream().map(p -> p.getMetadata().getName()).toList());
  }

  private void ownPods(NetworkPolicyPeer peer) {
    // A pod selector without a namespace selector means: pods of this namespace.
    assertThat(peer.getNamespaceSelector()).isNull();
    assertThat(peer.getIpBlock()).isNull();
    assertThat(peer.getPodSelector().getMatchLabels()).isNullOrEmpty();
    assertThat(peer.getPodSelector().getMatchExpressions()).isNullOrEmpty();
  }

  private static void assertSelectsEveryPod(NetworkPolicy policy) {
    assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
    assertThat(policy.getSpec().getPodSelector().getMatchExpressions()).isNullOrEmpty();
  }

  private static NetworkPolicy policy(EnvironmentInputs in, String name) {
    return NetworkPolicies.all(in).stream()
        .filter(p -> p.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static NetworkPolicySettings settings(
      List<EgressRule> egress, List<EgressRule> kubernetesApi) {
    NetworkPolicySettings settings = new NetworkPolicySettings();
    settings.setEgress(egress);
    settings.setKubernetesApi(kubernetesApi);
    return settings;
  }

  private static EgressRule rule(String cidr, EgressRule.Protocol protocol, Integer... ports) {
    EgressRule rule = new EgressRule();
    rule.setCidr(cidr);
    rule.setProtocol(protocol);
    rule.setPorts(List.of(ports));
    return rule;
  }
}
