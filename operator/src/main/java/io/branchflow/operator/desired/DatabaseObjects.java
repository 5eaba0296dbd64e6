package io.branchflow.operator.desired;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.Map;

/** The environment's own PostgreSQL: one replica on a volume that lives as long as it does. */
public final class DatabaseObjects {

  static final int PORT = 5432;

  private DatabaseObjects() {}

  public static StatefulSet statefulSet(EnvironmentInputs in) {
    ResolvedTemplate t = in.template();
    Map<String, String> selector = selector(in);
    StatefulSet statefulSet =
        new StatefulSetBuilder()
            .withMetadata(in.meta(Components.DATABASE_NAME, Components.DATABASE))
            .withNewSpec()
            .withServiceName(Components.DATABASE_NAME)
            .withReplicas(1)
            .withNewSelector()
            .withMatchLabels(selector)
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(in.labels(Components.DATABASE))
            .endMetadata()
            .withNewSpec()
            .withAutomountServiceAccountToken(false)
            .addNewContainer()
            .withName("postgres")
            .withImage(t.databaseImage())
            .addNewPort()
            .withName("postgres")
            .withContainerPort(PORT)
            .endPort()
            .addNewEnv()
            .withName("POSTGRES_USER")
            .withValue("airflow")
            .endEnv()
            .addNewEnv()
            .withName("POSTGRES_DB")
            .withValue("airflow")
            .endEnv()
            .addNewEnv()
            .withName("PGDATA")
            .withValue("/var/lib/postgresql/data/pgdata")
            .endEnv()
            .addNewEnv()
            .withName(SecretObjects.POSTGRES_PASSWORD)
            .withNewValueFrom()
            .withNewSecretKeyRef(
                SecretObjects.POSTGRES_PASSWORD, Components.GENERATED_SECRET, false)
            .endValueFrom()
            .endEnv()
            .withNewReadinessProbe()
            .withNewExec()
            .withCommand("pg_isready", "-U", "airflow", "-d", "airflow")
            .endExec()
            .withPeriodSeconds(5)
            .endReadinessProbe()
            .withResources(
                ResourceRequirementsMapper.of(
                    // measured peak 97 MiB (PostgreSQL 15 under Airflow 3.3.2, real node)
                    t.resources().getDatabase(), "100m", "128Mi", "256Mi"))
            .addNewVolumeMount()
            .withName("data")
            .withMountPath("/var/lib/postgresql/data")
            .endVolumeMount()
            .endContainer()
            .endSpec()
            .endTemplate()
            .addNewVolumeClaimTemplate()
            .withNewMetadata()
            .withName("data")
            .withLabels(in.labels(Components.DATABASE))
            .endMetadata()
            .withNewSpec()
            .withAccessModes("ReadWriteOnce")
            .withStorageClassName(t.storageClassName())
            .withNewResources()
            .withRequests(Map.of("storage", new Quantity(t.databaseSize())))
            .endResources()
            .endSpec()
            .endVolumeClaimTemplate()
            .endSpec()
            .build();
    t.place(statefulSet.getSpec().getTemplate().getSpec());
    return statefulSet;
  }

  public static Service service(EnvironmentInputs in) {
    return new ServiceBuilder()
        .withMetadata(in.meta(Components.DATABASE_NAME, Components.DATABASE))
        .withNewSpec()
        .withSelector(selector(in))
        .addNewPort()
        .withName("postgres")
        .withPort(PORT)
        .withTargetPort(new IntOrString(PORT))
        .endPort()
        .endSpec()
        .build();
  }

  private static Map<String, String> selector(EnvironmentInputs in) {
    return Map.of(
        io.branchflow.api.Labels.ENVIRONMENT,
        in.name(),
        io.branchflow.api.Labels.COMPONENT,
        Components.DATABASE);
  }
}
