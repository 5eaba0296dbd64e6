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

  /** The postgres user and group of the official image and of branchflow.local/postgresql. */
  static final long POSTGRES_UID = 999;

  private DatabaseObjects() {}

  public static StatefulSet statefulSet(EnvironmentInputs in) {
    ResolvedTemplate t = in.template();
    Map<String, String> selector = in.selector(Components.DATABASE);
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
            // Group 0 through fsGroup: a volume the kubelet cannot chown (hostPath) is made
            // group-writable for it, as for Airflow's (docs/real-node.md).
            .withSecurityContext(PodSecurity.pod(POSTGRES_UID, POSTGRES_UID, 0))
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
            // A read-only root: PostgreSQL writes only its data, its socket and temporary files.
            .withSecurityContext(PodSecurity.container(true))
            .addToVolumeMounts(PodSecurity.mount("run", "/var/run/postgresql"))
            .addToVolumeMounts(PodSecurity.mount("tmp", "/tmp"))
            .endContainer()
            .addToVolumes(PodSecurity.scratch("run", "16Mi"))
            .addToVolumes(PodSecurity.scratch("tmp", "1Gi"))
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
        .withSelector(in.selector(Components.DATABASE))
        .addNewPort()
        .withName("postgres")
        .withPort(PORT)
        .withTargetPort(new IntOrString(PORT))
        .endPort()
        .endSpec()
        .build();
  }
}
