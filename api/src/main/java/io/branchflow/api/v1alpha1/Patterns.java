package io.branchflow.api.v1alpha1;

/** Regular expressions the API server enforces through the CRD schemas. */
final class Patterns {

  static final String DNS_SUBDOMAIN =
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
  static final String SECRET_KEY = "^[-._a-zA-Z0-9]+$";

  /** GitHub {@code owner/name}. */
  static final String REPOSITORY = "^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$";

  static final String CLONE_URL = "^(https?://|ssh://|git@|file://).+$";
  static final String COMMIT_SHA = "^[0-9a-f]{7,40}$";
  static final String GITHUB_LOGIN = "^[A-Za-z0-9]([A-Za-z0-9-]{0,38})(\\[bot\\])?$";

  /** A Kubernetes resource quantity such as {@code 500m}, {@code 2}, {@code 1Gi}. */
  static final String QUANTITY = "^[0-9]+(\\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$";

  /** A duration such as {@code 90s}, {@code 5m}, {@code 72h}, {@code 7d}, {@code 1h30m}. */
  static final String DURATION = "^([0-9]+(s|m|h|d))+$";

  /** An Airflow option as its environment variable: {@code AIRFLOW__SECTION__KEY}. */
  static final String AIRFLOW_OPTION = "^AIRFLOW__[A-Z0-9_]+__[A-Z0-9_]+$";

  /** An IPv4 or IPv6 address range: {@code 10.0.0.0/8}, {@code 2001:db8::/32}. */
  static final String CIDR =
      "^(([0-9]{1,3}\\.){3}[0-9]{1,3}/([0-9]|[12][0-9]|3[0-2])|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*/([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8]))$";

  private Patterns() {}
}
