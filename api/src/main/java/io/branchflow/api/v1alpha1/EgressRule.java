package io.branchflow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/** One destination an environment's pods may connect to: an address range and its ports. */
public class EgressRule {

  @Required
  @Pattern(Patterns.CIDR)
  @JsonPropertyDescription(
      "IPv4 or IPv6 address range in CIDR notation, e.g. 10.20.0.0/16 or 192.0.2.10/32.")
  private String cidr;

  @JsonPropertyDescription("Destination ports; none means every port of the range.")
  private List<@Min(1) @Max(65535) Integer> ports;

  @Default("TCP")
  @JsonPropertyDescription("Protocol of the ports: TCP, UDP or SCTP.")
  private Protocol protocol;

  /** The protocols a NetworkPolicy port may name. */
  public enum Protocol {
    TCP,
    UDP,
    SCTP
  }

  public String getCidr() {
    return cidr;
  }

  public void setCidr(String cidr) {
    this.cidr = cidr;
  }

  public List<Integer> getPorts() {
    return ports;
  }

  public void setPorts(List<Integer> ports) {
    this.ports = ports;
  }

  public Protocol getProtocol() {
    return protocol;
  }

  public void setProtocol(Protocol protocol) {
    this.protocol = protocol;
  }
}
