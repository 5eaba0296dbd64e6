package io.branchflow.operator.desired;

import io.branchflow.operator.secrets.SecretData;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

/** Secrets of an environment: generated once, copied from the repository, git credentials. */
public final class SecretObjects {

  public static final String POSTGRES_PASSWORD = "POSTGRES_PASSWORD";
  public static final String FERNET_KEY = "AIRFLOW__CORE__FERNET_KEY";
  public static final String API_SECRET_KEY = "AIRFLOW__API__SECRET_KEY";
  public static final String WEBSERVER_SECRET_KEY = "AIRFLOW__WEBSERVER__SECRET_KEY";
  public static final String JWT_SECRET = "AIRFLOW__API_AUTH__JWT_SECRET";
  public static final String SQL_ALCHEMY_CONN = "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN";
  public static final String LOGIN_SECRET = AirflowLogin.SECRET;
  public static final String COPIED_FROM = "branchflow.io/copied-from";

  /** Random secrets and how many random bytes each gets. */
  static final Map<String, Integer> GENERATED = new LinkedHashMap<>();

  static {
    GENERATED.put(POSTGRES_PASSWORD, 24);
    GENERATED.put(FERNET_KEY, 32); // Fernet wants exactly 32 url-safe base64 bytes
    GENERATED.put(API_SECRET_KEY, 32);
    GENERATED.put(WEBSERVER_SECRET_KEY, 32);
    // 64 bytes: Airflow signs with HS512 and warns (InsecureKeyLengthWarning) below that. An
    // existing shorter secret is kept: replacing it would log everyone out of a running install.
    GENERATED.put(JWT_SECRET, 64);
  }

  private SecretObjects() {}

  /**
   * The environment's generated secrets, reusing every value that already exists: a new database
   * password would lock Airflow out of its database, and a new JWT secret breaks running Airflow 3
   * installs. Only missing keys get fresh values from {@code randomBytes}. The keys are Airflow's
   * environment variable names, so pods load them with envFrom.
   */
  public static Secret generated(
      EnvironmentInputs in, Map<String, String> existing, IntFunction<byte[]> randomBytes) {
    Map<String, String> values = new TreeMap<>();
    GENERATED.forEach(
        (key, length) -> {
          String current = existing.get(key);
          values.put(
              key,
              current != null && !current.isEmpty()
                  ? current
                  : Base64.getUrlEncoder().encodeToString(randomBytes.apply(length)));
        });
    values.put(
        SQL_ALCHEMY_CONN,
        "postgresql+psycopg2://airflow:"
            + values.get(POSTGRES_PASSWORD)
            + "@"
            + Components.DATABASE_NAME
            + ":5432/airflow");
    return new SecretBuilder()
        .withMetadata(in.meta(Components.GENERATED_SECRET, Components.ENVIRONMENT))
        .withType("Opaque")
        .withData(encode(values))
        .build();
  }

  /** A read-only production credential, copied under the same name and kept in sync. */
  public static Secret copy(EnvironmentInputs in, Secret source) {
    Secret copy =
        new SecretBuilder()
            .withMetadata(in.meta(source.getMetadata().getName(), Components.ENVIRONMENT))
            .withType(source.getType())
            .withData(source.getData() == null ? null : new TreeMap<>(source.getData()))
            .build();
    copy.getMetadata().getLabels().put(COPIED_FROM, source.getMetadata().getName());
    return copy;
  }

  /**
   * How the environment's pods reach the repository: with Airflow 3 the git bundle's connection
   * (always, it names the repository; with the clone credential when there is one), with Airflow 2
   * git-sync's credentials (only for private repositories). Empty when there is nothing to say.
   * {@code token} is the read-only clone credential: DAG code can read this Secret.
   */
  public static java.util.Optional<Secret> gitCredentials(EnvironmentInputs in, String token) {
    Map<String, String> values = new TreeMap<>();
    if (in.template().airflow3()) {
      values.put(DagDelivery.GIT_CONNECTION_ENV, DagDelivery.gitConnection(in, token));
    } else if (token != null) {
      values.put("GITSYNC_USERNAME", "x-access-token");
      values.put("GITSYNC_PASSWORD", token);
    } else {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(
        new SecretBuilder()
            .withMetadata(in.meta(Components.GIT_CREDENTIALS, Components.ENVIRONMENT))
            .withType("Opaque")
            .withData(encode(values))
            .build());
  }

  /**
   * The DAG author's login to Airflow 3 ({@link AirflowLogin}): generated once, then kept, like the
   * other generated secrets. Airflow 2 has no such login (its UI uses its own user database).
   */
  public static java.util.Optional<Secret> login(
      EnvironmentInputs in, Map<String, String> existing, IntFunction<byte[]> randomBytes) {
    if (!in.template().airflow3()) {
      return java.util.Optional.empty();
    }
    String password = existing.get(AirflowLogin.PASSWORD_KEY);
    if (password == null || password.isEmpty()) {
      password = Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes.apply(18));
    }
    Map<String, String> values = new TreeMap<>();
    values.put(AirflowLogin.USERNAME_KEY, AirflowLogin.USERNAME);
    values.put(AirflowLogin.PASSWORD_KEY, password);
    return java.util.Optional.of(
        new SecretBuilder()
            .withMetadata(in.meta(AirflowLogin.SECRET, Components.API_SERVER))
            .withType("Opaque")
            .withData(encode(values))
            .build());
  }

  /** Decodes a Secret's data; what {@link #generated} takes as {@code existing}. */
  public static Map<String, String> decode(Secret secret) {
    return SecretData.decode(secret);
  }

  private static Map<String, String> encode(Map<String, String> values) {
    Map<String, String> data = new TreeMap<>();
    values.forEach(
        (k, v) ->
            data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return data;
  }
}
