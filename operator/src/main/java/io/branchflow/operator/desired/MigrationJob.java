package io.branchflow.operator.desired;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.List;

/**
 * {@code airflow db migrate}, once per image and Airflow configuration: changing either (the usual
 * fix for a failed migration) names a new Job, hence a new migration. So does changing the
 * template's placement: a Job's pod template is immutable, and a migration pod left Pending by a
 * node selector no node matches must be replaced by one the fixed placement can schedule.
 */
public final class MigrationJob {

  /** One retry inside the Job; the operator retries a failed Job itself, with back-off. */
  static final int BACKOFF_LIMIT = 1;

  private MigrationJob() {}

  public static String name(EnvironmentInputs in) {
    ResolvedTemplate t = in.template();
    String placement = t.placementKey(); // empty without placement: names as before
    return "airflow-migrate-"
        + ShortHash.of(
            t.image() + "\n" + t.airflowConfig() + (placement.isEmpty() ? "" : "\n" + placement),
            8);
  }

  public static Job job(EnvironmentInputs in) {
    var podSpec = AirflowPods.podSpec(in, Components.MIGRATION, List.of("db", "migrate"), false);
    podSpec.setInitContainers(List.of()); // migrations need the database, not the DAGs
    podSpec.setRestartPolicy("Never");
    return new JobBuilder()
        .withMetadata(in.meta(name(in), Components.MIGRATION))
        .withNewSpec()
        .withBackoffLimit(BACKOFF_LIMIT)
        .withActiveDeadlineSeconds(1800L)
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(in.labels(Components.MIGRATION))
        .endMetadata()
        .withSpec(podSpec)
        .endTemplate()
        .endSpec()
        .build();
  }
}
