package io.branchflow.operator.e2e;

import io.branchflow.api.v1alpha1.EgressRule;
import io.branchflow.api.v1alpha1.NetworkPolicySettings;
import io.branchflow.testing.RealNode;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.util.List;

/**
 * A repository template's NetworkPolicy settings for environments on the local cluster's real node:
 * exactly what a real Airflow there needs outside its namespace. The git host, the warehouse
 * stand-in (hack/warehouse.sh), DNS (CoreDNS runs on the host) and the Kubernetes API are all on
 * the node's own address.
 */
final class RealNodeEgress {

  /** hack/warehouse.sh's default port. */
  static final int WAREHOUSE_PORT = 55432;

  private RealNodeEgress() {}

  static NetworkPolicySettings settings(KubernetesClient client, String cloneUrl) {
    String node = RealNode.address(client) + "/32";
    NetworkPolicySettings settings = new NetworkPolicySettings();
    settings.setEgress(
        List.of(
            rule(node, EgressRule.Protocol.TCP, URI.create(cloneUrl).getPort(), WAREHOUSE_PORT),
            rule(node, EgressRule.Protocol.UDP, 53),
            rule(node, EgressRule.Protocol.TCP, 53)));
    // The kubernetes Service's endpoints, which NetworkPolicies see after Service translation.
    EndpointSlice api =
        client
            .discovery()
            .v1()
            .endpointSlices()
            .inNamespace("default")
            .withName("kubernetes")
            .get();
    settings.setKubernetesApi(
        api.getEndpoints().stream()
            .flatMap(e -> e.getAddresses().stream())
            .map(
                address ->
                    rule(address + "/32", EgressRule.Protocol.TCP, api.getPorts().get(0).getPort()))
            .toList());
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
