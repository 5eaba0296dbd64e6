package io.branchflow.operator.environment;

import io.branchflow.api.Labels;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.operator.desired.EnvironmentInputs;
import io.branchflow.operator.inspect.AirflowObservations;
import io.branchflow.operator.inspect.AirflowRestClient;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What wakes an environment's reconcile: changes to the objects it runs (found by their labels,
 * since owner references cannot cross namespaces), to its WorkflowRepository, and to what its
 * Airflow reports ({@link AirflowObservations}).
 */
final class EnvironmentEventSources {

  private static final List<Class<? extends HasMetadata>> WATCHED =
      List.of(Namespace.class, StatefulSet.class, Job.class, Deployment.class, Pod.class);

  /**
   * Reconciles read what they need from the informers' caches ({@link InformerCaches}), never
   * through JOSDK's secondary-resource lookup, so no informer keeps JOSDK's primary-to-secondary
   * index. That index is filled by calling the secondary-to-primary mapper on every event, filtered
   * or not: for the queued-siblings source it held every environment under every sibling not yet
   * decided, 1.1 million entries at 1,000 environments created at once, most of them still held
   * after all were deleted (make bench, live heap by class). Mapping a primary to no secondaries
   * tells JOSDK to keep no index.
   */
  private static final PrimaryToSecondaryMapper<WorkflowEnvironment> NO_INDEX = primary -> Set.of();

  private EnvironmentEventSources() {}

  /**
   * @param airflow how the poller reaches environments' Airflow; null: through the API server's
   *     service proxy (tests on kwok, where no Airflow runs, give a stand-in)
   */
  static List<EventSource<?, WorkflowEnvironment>> create(
      EventSourceContext<WorkflowEnvironment> context, AirflowRestClient airflow) {
    InformerEventSource<WorkflowRepository, WorkflowEnvironment> repositories =
        informer(repositories(context), context);
    List<EventSource<?, WorkflowEnvironment>> sources = new java.util.ArrayList<>();
    sources.add(repositories);
    withoutRepositories(context).forEach(c -> sources.add(informer(c, context)));
    AskableAirflows targets = new AskableAirflows(repositories::get);
    sources.add(
        airflow == null
            ? AirflowObservations.create(context, targets)
            : AirflowObservations.create(context, targets, airflow));
    return sources;
  }

  /** The informers' configurations; their mappers use {@code context} only when events arrive. */
  static List<InformerEventSourceConfiguration<?>> configurations(
      EventSourceContext<WorkflowEnvironment> context) {
    List<InformerEventSourceConfiguration<?>> configurations =
        new java.util.ArrayList<>(withoutRepositories(context));
    configurations.add(repositories(context));
    return configurations;
  }

  private static List<InformerEventSourceConfiguration<?>> withoutRepositories(
      EventSourceContext<WorkflowEnvironment> context) {
    List<InformerEventSourceConfiguration<?>> configurations =
        new java.util.ArrayList<>(WATCHED.stream().map(EnvironmentEventSources::labelled).toList());
    configurations.add(repositorySecrets(context));
    configurations.add(queuedSiblings(context));
    return configurations;
  }

  private static <R extends HasMetadata> InformerEventSource<R, WorkflowEnvironment> informer(
      InformerEventSourceConfiguration<R> configuration,
      EventSourceContext<WorkflowEnvironment> context) {
    return new InformerEventSource<>(configuration, context);
  }

  private static <R extends HasMetadata> InformerEventSourceConfiguration<R> labelled(
      Class<R> type) {
    return InformerEventSourceConfiguration.from(type, WorkflowEnvironment.class)
        .withName(type.getSimpleName().toLowerCase())
        .withWatchAllNamespaces()
        .withLabelSelector(Labels.MANAGED_SELECTOR)
        .withSecondaryToPrimaryMapper(EnvironmentEventSources::ownerOf)
        .withPrimaryToSecondaryMapper(NO_INDEX)
        .withItemStore(new PrunedStore<>())
        .build();
  }

  static Set<ResourceID> ownerOf(HasMetadata object) {
    Map<String, String> labels = object.getMetadata().getLabels();
    if (labels == null
        || !labels.containsKey(Labels.ENVIRONMENT)
        || !labels.containsKey(EnvironmentInputs.OWNER_NAMESPACE)) {
      return Set.of();
    }
    return Set.of(
        new ResourceID(
            labels.get(Labels.ENVIRONMENT), labels.get(EnvironmentInputs.OWNER_NAMESPACE)));
  }

  /**
   * A change to a Secret a repository names (production credentials, clone credential) reaches the
   * environments of that repository, so their copies follow the source, including its opt-in label
   * coming or going.
   */
  private static InformerEventSourceConfiguration<Secret> repositorySecrets(
      EventSourceContext<WorkflowEnvironment> context) {
    return InformerEventSourceConfiguration.from(Secret.class, WorkflowEnvironment.class)
        .withName("repositorysecret")
        .withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper(
            (Secret secret) -> {
              String ns = secret.getMetadata().getNamespace();
              Set<String> repositories =
                  context
                      .getClient()
                      .resources(WorkflowRepository.class)
                      .inNamespace(ns)
                      .list()
                      .getItems()
                      .stream()
                      .filter(r -> names(r).contains(secret.getMetadata().getName()))
                      .map(r -> r.getMetadata().getName())
                      .collect(Collectors.toSet());
              return context
                  .getPrimaryCache()
                  .list(ns)
                  .filter(env -> repositories.contains(env.getSpec().getRepositoryRef()))
                  .map(ResourceID::fromResource)
                  .collect(Collectors.toSet());
            })
        .withPrimaryToSecondaryMapper(NO_INDEX)
        .build();
  }

  /** Names of the Secrets whose content ends up in a repository's environments. */
  private static Set<String> names(WorkflowRepository repository) {
    Set<String> names = new java.util.HashSet<>();
    var spec = repository.getSpec();
    if (spec.getProductionData() != null && spec.getProductionData().getSecretNames() != null) {
      names.addAll(spec.getProductionData().getSecretNames());
    }
    if (spec.getCloneCredentialRef() != null) {
      names.add(spec.getCloneCredentialRef().getName());
    }
    return names;
  }

  /**
   * An environment gone frees a slot of its repository (limits.maxEnvironments): its waiting
   * siblings are decided again at once, so the first of them is provisioned and the rest learn
   * their new position. Only deletions matter: the delete event comes once the finalizer is
   * released, i.e. once the namespace is gone and no longer holds the slot.
   */
  private static InformerEventSourceConfiguration<WorkflowEnvironment> queuedSiblings(
      EventSourceContext<WorkflowEnvironment> context) {
    return InformerEventSourceConfiguration.from(
            WorkflowEnvironment.class, WorkflowEnvironment.class)
        .withName("queuedsibling")
        .withNamespacesInheritedFromController()
        .withOnAddFilter(added -> false)
        .withOnUpdateFilter((newer, older) -> false)
        .withSecondaryToPrimaryMapper((WorkflowEnvironment gone) -> waitingSiblings(context, gone))
        .withPrimaryToSecondaryMapper(NO_INDEX)
        .build();
  }

  static Set<ResourceID> waitingSiblings(
      EventSourceContext<WorkflowEnvironment> context, WorkflowEnvironment gone) {
    return context
        .getPrimaryCache()
        .list(gone.getMetadata().getNamespace())
        .filter(env -> !env.getMetadata().getName().equals(gone.getMetadata().getName()))
        .filter(
            env ->
                java.util.Objects.equals(
                    env.getSpec().getRepositoryRef(), gone.getSpec().getRepositoryRef()))
        .filter(
            env ->
                env.getStatus() == null
                    || env.getStatus().getPhase() == null
                    || env.getStatus().getPhase() == io.branchflow.api.v1alpha1.Phase.Queued)
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  /** A repository change (template, secrets it names) reaches all of its environments. */
  private static InformerEventSourceConfiguration<WorkflowRepository> repositories(
      EventSourceContext<WorkflowEnvironment> context) {
    return InformerEventSourceConfiguration.from(
            WorkflowRepository.class, WorkflowEnvironment.class)
        .withName("workflowrepository")
        .withNamespacesInheritedFromController()
        // The resync writes the repository's status every period; only spec changes matter
        // to its environments.
        .withOnUpdateFilter(
            (WorkflowRepository newer, WorkflowRepository older) ->
                !java.util.Objects.equals(
                    newer.getMetadata().getGeneration(), older.getMetadata().getGeneration()))
        .withSecondaryToPrimaryMapper(
            (WorkflowRepository repository) ->
                context
                    .getPrimaryCache()
                    .list(repository.getMetadata().getNamespace())
                    .filter(
                        env ->
                            repository
                                .getMetadata()
                                .getName()
                                .equals(env.getSpec().getRepositoryRef()))
                    .map(ResourceID::fromResource)
                    .collect(Collectors.toSet()))
        .withPrimaryToSecondaryMapper(NO_INDEX)
        .build();
  }
}
