package io.branchflow.api.v1alpha1;

/** Regular expressions the API server enforces through the CRD schemas. */
final class Patterns {

  static final String DNS_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
  static final String SECRET_KEY = "^[-._a-zA-Z0-9]+$";

  /** GitHub {@code owner/name}. */
  static final String REPOSITORY = "^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$";

  /** Encrypted transports, and plain http for CLONE_URL_RULE's hosts; never a local path. */
  static final String CLONE_URL = "^(https?://|ssh://|git@).+$";

  /**
   * CEL: plain {@code http://} only to hosts on the machine or the cluster's own network: loopback,
   * {@code *.svc} / {@code *.cluster.local} names and private IPv4 addresses (the local cluster's
   * Git host is {@code http://10.244.0.1:PORT}). The operator's CloneUrlPolicy narrows this further
   * to loopback and {@code branchflow.git.plain-http-hosts} (docs/security.md).
   */
  static final String CLONE_URL_RULE =
      "!self.startsWith('http://') || self.matches(r'^http://(localhost|127\\.[0-9.]+|\\[::1\\]"
          + "|[a-z0-9.-]+\\.svc|[a-z0-9.-]+\\.cluster\\.local|10\\.[0-9.]+|192\\.168\\.[0-9.]+"
          + "|172\\.(1[6-9]|2[0-9]|3[01])\\.[0-9.]+)(:[0-9]+)?(/.*)?$')";

  static final String CLONE_URL_MESSAGE =
      "cloneUrl must use https or ssh: plain http:// is only for loopback and cluster-local hosts"
          + " (*.svc, *.cluster.local, private IPv4), since Airflow would fetch the branch and the"
          + " repository's token unencrypted";

  /**
   * CEL: git's rules for a branch name ({@code git check-ref-format --branch}, the receiver's
   * BranchNames): nothing git would read as an option ({@code -...}) or a revision expression.
   */
  static final String BRANCH_RULE =
      "self != '@' && !self.startsWith('-') && !self.startsWith('/') && !self.endsWith('/')"
          + " && !self.endsWith('.') && !self.contains('..') && !self.contains('@{')"
          + " && !self.contains('//') && !self.matches(r'[\\x00-\\x20\\x7f~^:?*\\[\\\\]')"
          + " && !self.matches(r'(^|/)\\.') && !self.matches(r'\\.lock(/|$)')";

  static final String BRANCH_MESSAGE =
      "branch must be a name git accepts (git check-ref-format --branch): no leading '-' or '/',"
          + " no '..', '@{', '//', spaces, control characters or any of ~^:?*[\\, no component"
          + " starting with '.' or ending in '.lock'";

  /**
   * CEL: the environment's name as docs/naming.md makes it: a readable part, then '-' and 10 hex
   * digits, 60 characters at most so {@code bf-<name>} fits a namespace. The hash itself (SHA-256
   * of repository and branch) is beyond CEL; the operator derives every name it creates.
   */
  static final String ENVIRONMENT_NAME_RULE =
      "size(self.metadata.name) <= 60"
          + " && self.metadata.name.matches(r'^[a-z0-9]([-a-z0-9]*[a-z0-9])?-[0-9a-f]{10}$')";

  static final String ENVIRONMENT_NAME_MESSAGE =
      "metadata.name must follow the naming rule (docs/naming.md): <repository>-<branch>-<10 hex"
          + " digits>, lower case, at most 60 characters";
  static final String COMMIT_SHA = "^[0-9a-f]{7,40}$";
  static final String GITHUB_LOGIN = "^[A-Za-z0-9]([A-Za-z0-9-]{0,38})(\\[bot\\])?$";

  /** A Kubernetes resource quantity such as {@code 500m}, {@code 2}, {@code 1Gi}. */
  static final String QUANTITY = "^[0-9]+(\\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$";

  /** A duration such as {@code 90s}, {@code 5m}, {@code 72h}, {@code 7d}, {@code 1h30m}. */
  static final String DURATION = "^([0-9]+(s|m|h|d))+$";

  /** {@link #DURATION} with at least one part that is not zero: {@code 0h} would mean "at once". */
  static final String POSITIVE_DURATION = "^([0-9]+[smhd])*0*[1-9][0-9]*[smhd]([0-9]+[smhd])*$";

  /** An Airflow option as its environment variable: {@code AIRFLOW__SECTION__KEY}. */
  static final String AIRFLOW_OPTION = "^AIRFLOW__[A-Z0-9_]+__[A-Z0-9_]+$";

  /** An IPv4 or IPv6 address range: {@code 10.0.0.0/8}, {@code 2001:db8::/32}. */
  static final String CIDR =
      "^(([0-9]{1,3}\\.){3}[0-9]{1,3}/([0-9]|[12][0-9]|3[0-2])|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*/([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8]))$";

  private Patterns() {}
}
