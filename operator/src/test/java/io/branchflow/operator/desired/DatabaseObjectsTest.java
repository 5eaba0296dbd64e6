package io.branchflow.operator.desired;

import static io.branchflow.operator.desired.TestInputs.assertOwnedByEnvironment;
import static io.branchflow.operator.desired.TestInputs.env;
import static io.branchflow.operator.desired.TestInputs.inputs;
import static io.branchflow.operator.desired.TestInputs.repository;
import static io.branchflow.operator.desired.TestInputs.template;
import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.v1alpha1.DatabaseStorage;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DatabaseObjectsTest {

  @Test
  void statefulSetRunsOnePostgresWithTheDefaultImage() {
    StatefulSet set = DatabaseObjects.statefulSet(inputs());

    assertOwnedByEnvironment(set);
    assertThat(set.getMetadata().getName()).isEqualTo("postgres");
    assertThat(set.getSpec().getReplicas()).isEqualTo(1);
    assertThat(container(set).getImage()).isEqualTo("postgres:16");
  }

  @Test
  void selectorMatchesThePodLabels() {
    StatefulSet set = DatabaseObjects.statefulSet(inputs());

    assertThat(set.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(set.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void volumeClaimTemplateHasTheTemplatesSizeAndStorageClass() {
    WorkflowRepository repository = repository();
    DatabaseStorage storage = new DatabaseStorage();
    storage.setSize("5Gi");
    storage.setStorageClassName("fast-ssd");
    storage.setImage("postgres:17");
    template(repository).setDatabase(storage);

    StatefulSet set = DatabaseObjects.statefulSet(inputs(repository));

    assertThat(set.getSpec().getVolumeClaimTemplates())
        .singleElement()
        .satisfies(
            claim -> {
              assertThat(claim.getSpec().getResources().getRequests())
                  .containsEntry("storage", new Quantity("5Gi"));
              assertThat(claim.getSpec().getStorageClassName()).isEqualTo("fast-ssd");
              assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
            });
    assertThat(container(set).getImage()).isEqualTo("postgres:17");
  }

  @Test
  void volumeClaimDefaultsTo1GiOnTheDefaultStorageClass() {
    PersistentVolumeClaim claim =
        DatabaseObjects.statefulSet(inputs()).getSpec().getVolumeClaimTemplates().get(0);

    assertThat(claim.getSpec().getResources().getRequests())
        .containsEntry("storage", new Quantity("1Gi"));
    assertThat(claim.getSpec().getStorageClassName()).isNull();
  }

  @Test
  void dataVolumeIsMountedWhereThePostgresDataLives() {
    StatefulSet set = DatabaseObjects.statefulSet(inputs());
    String claimName = set.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName();

    assertThat(container(set).getVolumeMounts())
        .anySatisfy(
            mount -> {
              assertThat(mount.getName()).isEqualTo(claimName);
              assertThat(mount.getMountPath()).isEqualTo("/var/lib/postgresql/data");
            });
    assertThat(env(container(set).getEnv(), "PGDATA")).startsWith("/var/lib/postgresql/data/");
  }

  @Test
  void passwordComesFromTheGeneratedSecretAndMatchesTheAirflowConnection() {
    Container postgres = container(DatabaseObjects.statefulSet(inputs()));

    assertThat(postgres.getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("POSTGRES_PASSWORD");
              assertThat(e.getValue()).isNull();
              assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("airflow-secrets");
              assertThat(e.getValueFrom().getSecretKeyRef().getKey())
                  .isEqualTo(SecretObjects.POSTGRES_PASSWORD);
            });
    // Airflow connects as user airflow to database airflow: what the container creates.
    assertThat(env(postgres.getEnv(), "POSTGRES_USER")).isEqualTo("airflow");
    assertThat(env(postgres.getEnv(), "POSTGRES_DB")).isEqualTo("airflow");
    String connection =
        SecretObjects.decode(
                SecretObjects.generated(
                    inputs(), Map.of("POSTGRES_PASSWORD", "pw"), n -> new byte[n]))
            .get(SecretObjects.SQL_ALCHEMY_CONN);
    assertThat(connection).contains("://airflow:pw@").endsWith("/airflow");
  }

  @Test
  void serviceIsWhatAirflowConnectsTo() {
    EnvironmentInputs in = inputs();
    Service service = DatabaseObjects.service(in);
    StatefulSet set = DatabaseObjects.statefulSet(in);

    assertOwnedByEnvironment(service);
    assertThat(service.getMetadata().getName()).isEqualTo("postgres");
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(port -> assertThat(port.getPort()).isEqualTo(5432));
    assertThat(set.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(service.getSpec().getSelector());
    String connection =
        SecretObjects.decode(SecretObjects.generated(in, Map.of(), n -> new byte[n]))
            .get(SecretObjects.SQL_ALCHEMY_CONN);
    assertThat(connection).contains("@postgres:5432/");
  }

  @Test
  void databaseSelectorsDoNotMatchOtherEnvironments() {
    Service mine = DatabaseObjects.service(inputs());
    Service theirs =
        DatabaseObjects.service(inputs(TestInputs.environment("feature/other"), repository()));

    assertThat(mine.getSpec().getSelector()).isNotEqualTo(theirs.getSpec().getSelector());
  }

  private static Container container(StatefulSet set) {
    return set.getSpec().getTemplate().getSpec().getContainers().get(0);
  }
}
