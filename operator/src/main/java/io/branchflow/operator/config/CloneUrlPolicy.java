package io.branchflow.operator.config;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which clone URLs an environment may use. Airflow's pods clone with the repository's token, so a
 * plain {@code http://} URL would send it, and the branch's code, unencrypted: allowed only for
 * loopback and for the hosts a platform engineer names ({@code branchflow.git.plain-http-hosts}),
 * such as a Git host on the cluster's own network (the local cluster's {@code hack/git-host.sh}).
 */
public final class CloneUrlPolicy {

  private CloneUrlPolicy() {}

  /** Why {@code cloneUrl} may not be used, or empty when it may. */
  public static Optional<String> problem(String cloneUrl, List<String> plainHttpHosts) {
    if (cloneUrl == null || !cloneUrl.regionMatches(true, 0, "http://", 0, 7)) {
      return Optional.empty();
    }
    String host;
    try {
      host = Optional.ofNullable(URI.create(cloneUrl).getHost()).orElse("");
    } catch (IllegalArgumentException e) {
      return Optional.of("spec.cloneUrl is not a URL: " + e.getMessage());
    }
    host = host.toLowerCase(Locale.ROOT);
    if (host.equals("localhost")
        || host.startsWith("127.")
        || host.equals("[::1]")
        || plainHttpHosts.contains(host)) {
      return Optional.empty();
    }
    return Optional.of(
        "spec.cloneUrl uses plain http to "
            + host
            + ": Airflow would fetch the branch (with the repository's token) unencrypted; use"
            + " https or ssh, or name the host in branchflow.git.plain-http-hosts");
  }
}
