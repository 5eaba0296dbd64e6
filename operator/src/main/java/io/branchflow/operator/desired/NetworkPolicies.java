package io.branchflow.operator.desired;

import io.branchflow.api.Labels;
import io.branchflow.api.v1alpha1.EgressRule;
import io.branchflow.api.v1alpha1.EnvironmentTemplate;
import io.branchflow.api.v1alpha1.NetworkPolicySettings;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fences around an environment's network, for code from any branch: every pod is denied every
 * connection in and out except those allowed here. NetworkPolicies only add allowances, so the
 * first policy (all pods, both directions) is the default deny and the others open single doors.
 * The set of names is fixed, whatever the template says: a door the template closes becomes a
 * policy that allows nothing, so nothing has to be pruned.
 */
public final class NetworkPolicies {

  static final String ISOLATE = "isolate-environment";
  static final String INGRESS_CONTROLLER = "allow-ingress-controller";
  static final String EGRESS = "allow-egress";
  static final String KUBERNETES_API = "allow-kubernetes-api";

  /** Where cluster DNS runs in nearly every cluster (CoreDNS, kube-dns). */
  private static final String DNS_NAMESPACE = "kube-system";

  private static final String NAMESPACE_NAME = "kubernetes.io/metadata.name";

  private NetworkPolicies() {}

  public static List<NetworkPolicy> all(EnvironmentInputs in) {
    return List.of(isolate(in), ingressController(in), egress(in), kubernetesApi(in));
  }

  /**
   * Default deny for every pod, in and out, except the environment's own pods (Airflow to its
   * database, task pods to the API server's execution API) and DNS to kube-system.
   */
  static NetworkPolicy isolate(EnvironmentInputs in) {
    NetworkPolicyPeer ownPods = new NetworkPolicyPeerBuilder().withPodSelector(all()).build();
    NetworkPolicyPeer dnsNamespace =
        new NetworkPolicyPeerBuilder()
            .withNamespaceSelector(
                new LabelSelectorBuilder()
                    .withMatchLabels(Map.of(NAMESPACE_NAME, DNS_NAMESPACE))
                    .build())
            .build();
    return new NetworkPolicyBuilder()
        .withMetadata(in.meta(ISOLATE, Components.ENVIRONMENT))
        .withNewSpec()
        .withPodSelector(all())
        .withPolicyTypes("Ingress", "Egress")
        .addNewIngress()
        .withFrom(ownPods)
        .endIngress()
        .addNewEgress()
        .withTo(ownPods)
        .endEgress()
        .addNewEgress()
        .withTo(dnsNamespace)
        .withPorts(port("UDP", 53), port("TCP", 53))
        .endEgress()
        .endSpec()
        .build();
  }

  /**
   * The Airflow UI (API server or webserver) from namespaces that are not Branchflow environments:
   * the ingress controller's, monitoring. Never from another environment, never to another pod.
   */
  static NetworkPolicy ingressController(EnvironmentInputs in) {
    return new NetworkPolicyBuilder()
        .withMetadata(in.meta(INGRESS_CONTROLLER, Components.ENVIRONMENT))
        .withNewSpec()
        .withNewPodSelector()
        .withMatchLabels(in.selector())
        .addNewMatchExpression()
        .withKey(Labels.COMPONENT)
        .withOperator("In")
        .withValues(Components.API_SERVER, Components.WEBSERVER)
        .endMatchExpression()
        .endPodSelector()
        .withPolicyTypes("Ingress")
        .addNewIngress()
        .addNewFrom()
        .withNewNamespaceSelector()
        .addNewMatchExpression()
        .withKey(Labels.ENVIRONMENT)
        .withOperator("DoesNotExist")
        .endMatchExpression()
        .endNamespaceSelector()
        .endFrom()
        .withPorts(port("TCP", Components.UI_PORT))
        .endIngress()
        .endSpec()
        .build();
  }

  /** The template's destinations (production data, the git host), for every pod. */
  static NetworkPolicy egress(EnvironmentInputs in) {
    return new NetworkPolicyBuilder()
        .withMetadata(in.meta(EGRESS, Components.ENVIRONMENT))
        .withNewSpec()
        .withPodSelector(all())
        .withPolicyTypes("Egress")
        .withEgress(rules(settings(in).map(NetworkPolicySettings::getEgress)))
        .endSpec()
        .build();
  }

  /**
   * The Kubernetes API for the one pod that calls it: the scheduler under KubernetesExecutor, which
   * starts and watches task pods. Under LocalExecutor the policy allows nothing.
   */
  static NetworkPolicy kubernetesApi(EnvironmentInputs in) {
    Optional<List<EgressRule>> api =
        in.template().kubernetesExecutor()
            ? settings(in).map(NetworkPolicySettings::getKubernetesApi)
            : Optional.empty();
    return new NetworkPolicyBuilder()
        .withMetadata(in.meta(KUBERNETES_API, Components.SCHEDULER))
        .withNewSpec()
        .withNewPodSelector()
        .withMatchLabels(in.selector(Components.SCHEDULER))
        .endPodSelector()
        .withPolicyTypes("Egress")
        .withEgress(rules(api))
        .endSpec()
        .build();
  }

  private static Optional<NetworkPolicySettings> settings(EnvironmentInputs in) {
    return Optional.ofNullable(in.repository().getSpec().getTemplate())
        .map(EnvironmentTemplate::getNetworkPolicy);
  }

  private static List<NetworkPolicyEgressRule> rules(Optional<List<EgressRule>> rules) {
    return rules.orElse(List.of()).stream().map(NetworkPolicies::rule).toList();
  }

  private static NetworkPolicyEgressRule rule(EgressRule rule) {
    String protocol =
        Optional.ofNullable(rule.getProtocol()).orElse(EgressRule.Protocol.TCP).name();
    return new NetworkPolicyEgressRuleBuilder()
        .addNewTo()
        .withNewIpBlock()
        .withCidr(rule.getCidr())
        .endIpBlock()
        .endTo()
        .withPorts(
            Optional.ofNullable(rule.getPorts()).orElse(List.of()).stream()
                .map(p -> port(protocol, p))
                .toList())
        .build();
  }

  private static NetworkPolicyPort port(String protocol, int port) {
    return new NetworkPolicyPortBuilder()
        .withProtocol(protocol)
        .withPort(new IntOrString(port))
        .build();
  }

  /** An empty selector: every pod (of the policy's namespace, in a peer without namespaces). */
  private static LabelSelector all() {
    return new LabelSelector();
  }
}
