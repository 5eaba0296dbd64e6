package io.branchflow.operator.config;

/**
 * Operator-wide settings, from application.properties in the app and built directly in tests.
 *
 * @param fieldManager the server-side-apply field manager of every object the operator writes
 * @param defaultHostPattern Ingress host when a repository's template names none; {@code {name}} is
 *     replaced by the environment name
 * @param urlScheme scheme of the environment URL when the template has no TLS secret
 * @param migrationRetryDelay how long a failed migration Job stays failed before it is retried
 * @param plainHttpGitHosts hosts besides loopback that clone URLs may reach over plain http ({@link
 *     CloneUrlPolicy})
 * @param environmentAccess the RoleBinding that gives the operator its rights in each environment
 *     namespace; null when it binds none (run with an admin kubeconfig)
 */
public record OperatorSettings(
    String fieldManager,
    String defaultHostPattern,
    String urlScheme,
    java.time.Duration migrationRetryDelay,
    java.util.List<String> plainHttpGitHosts,
    EnvironmentAccess environmentAccess) {

  public static final String FIELD_MANAGER = "branchflow-operator";

  public static OperatorSettings defaults() {
    return new OperatorSettings(
        FIELD_MANAGER,
        "{name}.airflow.localhost",
        "http",
        java.time.Duration.ofMinutes(5),
        java.util.List.of(),
        null);
  }

  /** The same settings, with plain http also allowed to {@code hosts}. */
  public OperatorSettings allowingPlainHttpGitHosts(String... hosts) {
    return new OperatorSettings(
        fieldManager,
        defaultHostPattern,
        urlScheme,
        migrationRetryDelay,
        java.util.List.of(hosts),
        environmentAccess);
  }

  /** The same settings, binding {@code access} in each environment namespace. */
  public OperatorSettings withEnvironmentAccess(EnvironmentAccess access) {
    return new OperatorSettings(
        fieldManager,
        defaultHostPattern,
        urlScheme,
        migrationRetryDelay,
        plainHttpGitHosts,
        access);
  }
}
