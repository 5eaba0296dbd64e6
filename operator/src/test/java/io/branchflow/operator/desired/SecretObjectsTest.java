package io.branchflow.operator.desired;

import static io.branchflow.operator.desired.TestInputs.assertOwnedByEnvironment;
import static io.branchflow.operator.desired.TestInputs.inputs;
import static io.branchflow.operator.desired.TestInputs.repository;
import static io.branchflow.operator.desired.TestInputs.template;
import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

class SecretObjectsTest {

  private static final List<String> GENERATED_KEYS =
      List.of(
          SecretObjects.POSTGRES_PASSWORD,
          SecretObjects.FERNET_KEY,
          SecretObjects.API_SECRET_KEY,
          SecretObjects.WEBSERVER_SECRET_KEY,
          SecretObjects.JWT_SECRET);

  /** Random bytes that differ on every call, and a record of the lengths asked for. */
  private final List<Integer> requested = new ArrayList<>();

  private final IntFunction<byte[]> random =
      length -> {
        requested.add(length);
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
          bytes[i] = (byte) (requested.size() * 31 + i);
        }
        return bytes;
      };

  @Test
  void freshEnvironmentGetsEveryGeneratedKeyAndTheDatabaseConnection() {
    Secret secret = SecretObjects.generated(inputs(), Map.of(), random);

    assertOwnedByEnvironment(secret);
    assertThat(secret.getMetadata().getName()).isEqualTo("airflow-secrets");
    assertThat(SecretObjects.decode(secret))
        .containsKeys(GENERATED_KEYS.toArray(String[]::new))
        .containsKey(SecretObjects.SQL_ALCHEMY_CONN);
    assertThat(SecretObjects.decode(secret).values()).allSatisfy(v -> assertThat(v).isNotBlank());
  }

  @Test
  void generatedValuesDifferFromEachOther() {
    Map<String, String> values =
        SecretObjects.decode(SecretObjects.generated(inputs(), Map.of(), random));

    assertThat(GENERATED_KEYS.stream().map(values::get)).doesNotHaveDuplicates();
  }

  @Test
  void fernetKeyIsUrlSafeBase64Of32Bytes() {
    Map<String, String> values =
        SecretObjects.decode(SecretObjects.generated(inputs(), Map.of(), random));

    byte[] key = Base64.getUrlDecoder().decode(values.get(SecretObjects.FERNET_KEY));
    assertThat(key).hasSize(32);
  }

  @Test
  void existingValuesAreNeverRegenerated() {
    Map<String, String> existing = new HashMap<>();
    GENERATED_KEYS.forEach(k -> existing.put(k, "kept-" + k));

    Map<String, String> values =
        SecretObjects.decode(SecretObjects.generated(inputs(), existing, random));

    GENERATED_KEYS.forEach(k -> assertThat(values).containsEntry(k, "kept-" + k));
    assertThat(requested).isEmpty();
  }

  @Test
  void onlyMissingKeysAreFilledIn() {
    Map<String, String> existing =
        Map.of(
            SecretObjects.POSTGRES_PASSWORD, "db-password",
            SecretObjects.JWT_SECRET, "jwt-secret");

    Map<String, String> values =
        SecretObjects.decode(SecretObjects.generated(inputs(), existing, random));

    assertThat(values)
        .containsEntry(SecretObjects.POSTGRES_PASSWORD, "db-password")
        .containsEntry(SecretObjects.JWT_SECRET, "jwt-secret");
    assertThat(values.get(SecretObjects.FERNET_KEY)).isNotBlank();
    assertThat(requested).hasSize(GENERATED_KEYS.size() - 2);
  }

  @Test
  void emptyExistingValueIsReplaced() {
    Map<String, String> values =
        SecretObjects.decode(
            SecretObjects.generated(inputs(), Map.of(SecretObjects.JWT_SECRET, ""), random));

    assertThat(values.get(SecretObjects.JWT_SECRET)).isNotEmpty();
  }

  @Test
  void regeneratingFromItsOwnOutputChangesNothing() {
    Secret first = SecretObjects.generated(inputs(), Map.of(), random);

    Secret second = SecretObjects.generated(inputs(), SecretObjects.decode(first), random);

    assertThat(second.getData()).isEqualTo(first.getData());
  }

  @Test
  void databaseConnectionUsesTheKeptPasswordAndTheDatabaseService() {
    Map<String, String> values =
        SecretObjects.decode(
            SecretObjects.generated(
                inputs(), Map.of(SecretObjects.POSTGRES_PASSWORD, "db-password"), random));

    assertThat(values.get(SecretObjects.SQL_ALCHEMY_CONN))
        .isEqualTo("postgresql+psycopg2://airflow:db-password@postgres:5432/airflow");
  }

  @Test
  void copyKeepsNameTypeAndDataAndSaysWhereItCameFrom() {
    Secret source =
        new SecretBuilder()
            .withNewMetadata()
            .withName("warehouse-readonly")
            .withNamespace(TestInputs.BRANCHFLOW_NAMESPACE)
            .addToLabels("team", "data")
            .endMetadata()
            .withType("kubernetes.io/basic-auth")
            .withData(Map.of("password", encode("read-only-password")))
            .build();

    Secret copy = SecretObjects.copy(inputs(), source);

    assertOwnedByEnvironment(copy);
    assertThat(copy.getMetadata().getName()).isEqualTo("warehouse-readonly");
    assertThat(copy.getType()).isEqualTo("kubernetes.io/basic-auth");
    assertThat(SecretObjects.decode(copy))
        .containsExactlyEntriesOf(Map.of("password", "read-only-password"));
    assertThat(copy.getMetadata().getLabels())
        .containsEntry(SecretObjects.COPIED_FROM, "warehouse-readonly");
    // The source's own labels and namespace stay behind.
    assertThat(source.getMetadata().getLabels()).doesNotContainKey(SecretObjects.COPIED_FROM);
  }

  @Test
  void airflow3ClonesThroughAConnectionThatCarriesTheTokenOnlyWhenThereIsOne() {
    Secret secret = SecretObjects.gitCredentials(inputs(), "ghp_token").orElseThrow();

    assertOwnedByEnvironment(secret);
    assertThat(secret.getMetadata().getName()).isEqualTo("git-credentials");
    assertThat(
            Serialization.unmarshal(
                SecretObjects.decode(secret).get("AIRFLOW_CONN_BRANCHFLOW_GIT"), Map.class))
        .containsEntry("conn_type", "git")
        .containsEntry("host", TestInputs.CLONE_URL)
        .containsEntry("login", "x-access-token")
        .containsEntry("password", "ghp_token");

    Secret publicRepository = SecretObjects.gitCredentials(inputs(), null).orElseThrow();
    assertThat(
            Serialization.unmarshal(
                SecretObjects.decode(publicRepository).get("AIRFLOW_CONN_BRANCHFLOW_GIT"),
                Map.class))
        .containsOnlyKeys("conn_type", "host");
  }

  @Test
  void airflow2GitSyncGetsTheTokenAsPasswordAndNothingWithoutOne() {
    WorkflowRepository repository = repository();
    template(repository).setAirflowMajorVersion(2);

    Secret secret = SecretObjects.gitCredentials(inputs(repository), "ghp_token").orElseThrow();

    assertThat(SecretObjects.decode(secret))
        .containsEntry("GITSYNC_USERNAME", "x-access-token")
        .containsEntry("GITSYNC_PASSWORD", "ghp_token");
    assertThat(SecretObjects.gitCredentials(inputs(repository), null)).isEmpty();
  }

  @Test
  void loginIsGeneratedOnceThenKept() {
    Secret first = SecretObjects.login(inputs(), Map.of(), n -> new byte[n]).orElseThrow();

    assertOwnedByEnvironment(first);
    assertThat(first.getMetadata().getName()).isEqualTo("airflow-login");
    Map<String, String> values = SecretObjects.decode(first);
    assertThat(values).containsOnlyKeys("username", "password").containsEntry("username", "admin");
    assertThat(values.get("password")).hasSizeGreaterThanOrEqualTo(24);

    Secret again = SecretObjects.login(inputs(), values, n -> new byte[] {1, 2, 3}).orElseThrow();
    assertThat(SecretObjects.decode(again)).isEqualTo(values);
  }

  @Test
  void airflow2HasNoLoginSecret() {
    WorkflowRepository repository = repository();
    template(repository).setAirflowMajorVersion(2);

    assertThat(SecretObjects.login(inputs(repository), Map.of(), n -> new byte[n])).isEmpty();
  }

  @Test
  void decodeOfNothingIsEmpty() {
    assertThat(SecretObjects.decode(null)).isEmpty();
    assertThat(SecretObjects.decode(new Secret())).isEmpty();
  }

  private static String encode(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
