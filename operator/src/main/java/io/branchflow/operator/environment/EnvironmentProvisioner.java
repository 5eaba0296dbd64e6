package io.branchflow.operator.environment;

import io.branchflow.api.Labels;
import io.branchflow.operator.desired.AirflowComponents;
import io.branchflow.operator.desired.AirflowConfig;
import io.branchflow.operator.desired.Components;
import io.branchflow.operator.desired.DatabaseObjects;
import io.branchflow.operator.desired.EnvironmentInputs;
import io.branchflow.operator.desired.Exposure;
import io.branchflow.operator.desired.MigrationJob;
import io.branchflow.operator.desired.NamespaceObjects;
import io.branchflow.operator.desired.NetworkPolicies;
import io.branchflow.operator.desired.RbacObjects;
import io.branchflow.operator.desired.SecretObjects;
import io.branchflow.operator.desired.ShortHash;
import io.branchflow.operator.desired.TaskLogs;
import io.branchflow.operator.environment.ProvisioningState.Migration;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Brings an environment's namespace to its desired state, in order: fences, identity, secrets and
 * configuration -> database -> migration -> Airflow components and exposure. Every step is an
 * idempotent server-side apply, so a pass interrupted anywhere is finished by the next.
 */
final class EnvironmentProvisioner {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final List<String> STUCK =
      List.of(
          "CrashLoopBackOff",
          "ImagePullBackOff",
          "ErrImagePull",
          "CreateContainerConfigError",
          "InvalidImageName");

  private final KubernetesClient client;
  private final ServerSideApplier applier;
  private final Duration migrationRetryDelay;
  private final Leftovers leftovers;

  EnvironmentProvisioner(
      KubernetesClient client, ServerSideApplier applier, Duration migrationRetryDelay) {
    this.client = client;
    this.applier = applier;
    this.migrationRetryDelay = migrationRetryDelay;
    this.leftovers = new Leftovers(client, applier, Clock.systemUTC());
  }

  ProvisioningState provision(EnvironmentInputs in, References refs, InformerCaches cache) {
    // The namespace and the operator's access to it come first: NamespaceClaim.
    String ns = in.namespace();
    NamespaceObjects.resourceQuota(in).ifPresent(applier::applyUnwatched);
    applier.applyUnwatched(NamespaceObjects.limitRange(in));
    NetworkPolicies.all(in).forEach(applier::applyUnwatched);
    RbacObjects.serviceAccounts(in).forEach(applier::applyUnwatched);
    RbacObjects.roles(in).forEach(applier::applyUnwatched);
    RbacObjects.roleBindings(in).forEach(applier::applyUnwatched);
    leftovers.removeUnwantedRoles(in);

    // Secrets are read (never cached: see AppliedObjects), so generated values stay stable.
    Secret existing = client.secrets().inNamespace(ns).withName(Components.GENERATED_SECRET).get();
    Secret generated =
        SecretObjects.generated(in, SecretObjects.decode(existing), EnvironmentProvisioner::random);
    applier.applyUnwatched(generated);
    List<Secret> copies =
        refs.productionSecrets().stream().map(s -> SecretObjects.copy(in, s)).toList();
    copies.forEach(applier::applyUnwatched);
    leftovers.removeCopiesExcept(ns, copies);
    List<Secret> access = new ArrayList<>();
    var git = SecretObjects.gitCredentials(in, refs.cloneCredential().orElse(null));
    git.ifPresent(access::add);
    leftovers.gitCredentials(ns, git.isPresent());
    Secret existingLogin =
        client.secrets().inNamespace(ns).withName(SecretObjects.LOGIN_SECRET).get();
    SecretObjects.login(in, SecretObjects.decode(existingLogin), EnvironmentProvisioner::random)
        .ifPresent(access::add);
    access.forEach(applier::applyUnwatched);
    String url = Exposure.url(in);
    ConfigMap config = AirflowConfig.configMap(in, url);
    applier.applyUnwatched(config);
    var podTemplate = AirflowComponents.podTemplate(in);
    podTemplate.ifPresent(applier::applyUnwatched);

    applier.applyUnwatched(DatabaseObjects.service(in));
    applier.applyUnwatched(TaskLogs.claim(in));
    StatefulSet desiredDatabase = DatabaseObjects.statefulSet(in);
    StatefulSet database =
        applier.applyWatched(
            desiredDatabase,
            cache.get(StatefulSet.class, ns, desiredDatabase.getMetadata().getName()).orElse(null));
    List<Pod> pods = cache.inNamespace(Pod.class, ns);
    boolean databaseReady = readyReplicas(database) >= 1;
    if (!databaseReady) {
      replaceUnschedulableDatabasePod(ns, database, pods);
    }

    String jobName = MigrationJob.name(in);
    Migration migration = Migration.WAITING_FOR_DATABASE;
    if (databaseReady) {
      List<Job> jobs = cache.inNamespace(Job.class, ns);
      Job job =
          jobs.stream()
              .filter(j -> jobName.equals(j.getMetadata().getName()))
              .findFirst()
              // Not cached yet (just created, or the cache trails): ask before creating it again.
              .orElseGet(() -> client.batch().v1().jobs().inNamespace(ns).withName(jobName).get());
      if (job == null) {
        job = applier.apply(MigrationJob.job(in));
      }
      migration = migrationOf(job);
      if (migration == Migration.FAILED && retryDue(job)) {
        // A Job never runs again once failed; deleting it lets the next pass start a fresh one.
        deleteJob(ns, jobName);
      }
      if (migration == Migration.COMPLETE) {
        jobs.stream()
            .filter(
                j -> Components.MIGRATION.equals(j.getMetadata().getLabels().get(Labels.COMPONENT)))
            .filter(j -> j.getMetadata().getDeletionTimestamp() == null)
            .map(j -> j.getMetadata().getName())
            .filter(name -> !name.equals(jobName))
            .forEach(name -> deleteJob(ns, name));
      }
    }

    boolean suspended = Boolean.TRUE.equals(in.environment().getSpec().getSuspend());
    List<String> notReady = new ArrayList<>(AirflowComponents.components(in));
    if (migration == Migration.COMPLETE) {
      List<Secret> loaded = new ArrayList<>(copies);
      loaded.addAll(access);
      String hash = configHash(config, generated, loaded, podTemplate.orElse(null));
      List<Deployment> deployments = AirflowComponents.deployments(in, hash, suspended);
      notReady.clear();
      for (Deployment desired : deployments) {
        Deployment applied =
            applier.applyWatched(
                desired,
                cache.get(Deployment.class, ns, desired.getMetadata().getName()).orElse(null));
        if (!suspended && !rolledOut(applied)) {
          notReady.add(applied.getMetadata().getLabels().get(Labels.COMPONENT));
        }
      }
      applier.applyUnwatched(Exposure.service(in));
      applier.applyUnwatched(Exposure.ingress(in));
    }
    return new ProvisioningState(
        databaseReady,
        migration,
        jobName,
        migration == Migration.COMPLETE && notReady.isEmpty(),
        List.copyOf(notReady),
        podProblems(ns, pods),
        suspended,
        migration == Migration.COMPLETE ? url : null,
        unschedulable(pods));
  }

  /** The namespace is going: forget what was applied and checked in it. */
  void forgetNamespace(String ns) {
    applier.forgetNamespace(ns);
    leftovers.forgetNamespace(ns);
  }

  /**
   * A StatefulSet never replaces a pod that is not Running and Ready (its rolling update waits for
   * it), so a PostgreSQL pod left Pending by a placement no node fits would stay Pending after the
   * repository's placement is fixed. An unschedulable pod of an older revision has no data on any
   * node: deleting it lets the StatefulSet create it from the current template.
   */
  private void replaceUnschedulableDatabasePod(String ns, StatefulSet database, List<Pod> pods) {
    var status = database.getStatus();
    if (status == null
        || status.getUpdateRevision() == null
        || !Objects.equals(
            status.getObservedGeneration(), database.getMetadata().getGeneration())) {
      return;
    }
    String podName = Components.DATABASE_NAME + "-0";
    Pod pod =
        pods.stream()
            .filter(p -> podName.equals(p.getMetadata().getName()))
            .findFirst()
            .orElse(null);
    if (pod != null
        && !unschedulable(List.of(pod)).isEmpty()
        && !status
            .getUpdateRevision()
            .equals(pod.getMetadata().getLabels().get("controller-revision-hash"))) {
      client.pods().inNamespace(ns).withName(podName).delete();
    }
  }

  /** Failed migrations are retried after a pause, so a transient cause heals by itself. */
  private boolean retryDue(Job job) {
    return job.getStatus().getConditions().stream()
        .filter(c -> "Failed".equals(c.getType()) && c.getLastTransitionTime() != null)
        .map(c -> Instant.parse(c.getLastTransitionTime()))
        .anyMatch(failedAt -> failedAt.plus(migrationRetryDelay).isBefore(Instant.now()));
  }

  private void deleteJob(String ns, String name) {
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(ns)
        .withName(name)
        .withPropagationPolicy(DeletionPropagation.BACKGROUND)
        .delete();
  }

  private static Migration migrationOf(Job job) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return Migration.RUNNING;
    }
    for (var condition : job.getStatus().getConditions()) {
      if ("True".equals(condition.getStatus())) {
        if ("Complete".equals(condition.getType())) {
          return Migration.COMPLETE;
        }
        if ("Failed".equals(condition.getType())) {
          return Migration.FAILED;
        }
      }
    }
    return Migration.RUNNING;
  }

  private static boolean rolledOut(Deployment d) {
    var status = d.getStatus();
    int wanted = Objects.requireNonNullElse(d.getSpec().getReplicas(), 1);
    return status != null
        && Objects.equals(status.getObservedGeneration(), d.getMetadata().getGeneration())
        && Objects.requireNonNullElse(status.getUpdatedReplicas(), 0) >= wanted
        && Objects.requireNonNullElse(status.getReadyReplicas(), 0) >= wanted
        && Objects.requireNonNullElse(status.getReplicas(), 0) == wanted;
  }

  private static int readyReplicas(StatefulSet s) {
    return s.getStatus() == null
        ? 0
        : Objects.requireNonNullElse(s.getStatus().getReadyReplicas(), 0);
  }

  /** Pods that will not get better by waiting, described so a DAG author knows where to look. */
  private static List<String> podProblems(String ns, List<Pod> pods) {
    List<String> problems = new ArrayList<>();
    for (Pod pod : pods) {
      if (pod.getStatus() == null) {
        continue;
      }
      Stream.concat(
              stream(pod.getStatus().getInitContainerStatuses()),
              stream(pod.getStatus().getContainerStatuses()))
          .filter(c -> c.getState() != null && c.getState().getWaiting() != null)
          .filter(c -> STUCK.contains(c.getState().getWaiting().getReason()))
          .forEach(
              c ->
                  problems.add(
                      c.getState().getWaiting().getReason()
                          + " in pod "
                          + pod.getMetadata().getName()
                          + " (container "
                          + c.getName()
                          + "): see `kubectl describe pod "
                          + pod.getMetadata().getName()
                          + " -n "
                          + ns
                          + "`"));
    }
    return problems;
  }

  /**
   * Pending pods the scheduler reports it cannot place (condition PodScheduled=False, reason
   * Unschedulable), each with the scheduler's message: usually the template's placement matches no
   * node. Not a pod problem: a node that fits (a scaled-up pool) places them without any change.
   */
  static List<String> unschedulable(List<Pod> pods) {
    List<String> unschedulable = new ArrayList<>();
    for (Pod pod : pods) {
      if (pod.getStatus() == null
          || !"Pending".equals(pod.getStatus().getPhase())
          || pod.getStatus().getConditions() == null
          || pod.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      pod.getStatus().getConditions().stream()
          .filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
          .filter(c -> "Unschedulable".equals(c.getReason()))
          .findFirst()
          .ifPresent(
              c ->
                  unschedulable.add(
                      "pod "
                          + pod.getMetadata().getName()
                          + ": "
                          + Objects.requireNonNullElse(c.getMessage(), "no node fits").strip()));
    }
    unschedulable.sort(null);
    return unschedulable;
  }

  private static Stream<ContainerStatus> stream(List<ContainerStatus> statuses) {
    return statuses == null ? Stream.empty() : statuses.stream();
  }

  /** Changes whenever anything the pods load changes, so they roll: computed from what we apply. */
  static String configHash(
      ConfigMap config, Secret generated, List<Secret> copies, ConfigMap podTemplate) {
    List<String> parts = new ArrayList<>();
    parts.add(sorted(config.getData()));
    parts.add(sorted(generated.getData()));
    copies.forEach(c -> parts.add(c.getMetadata().getName() + sorted(c.getData())));
    if (podTemplate != null) {
      parts.add(sorted(podTemplate.getData()));
    }
    return ShortHash.ofParts(parts, 16);
  }

  /** The desired objects' maps come in builder order: the hash must not depend on it. */
  private static String sorted(Map<String, String> data) {
    return String.valueOf(data == null ? null : new TreeMap<>(data));
  }

  private static byte[] random(int length) {
    byte[] bytes = new byte[length];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
