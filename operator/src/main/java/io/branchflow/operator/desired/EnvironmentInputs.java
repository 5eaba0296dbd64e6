package io.branchflow.operator.desired;

import io.branchflow.api.Labels;
import io.branchflow.api.naming.EnvironmentNames;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.operator.config.OperatorSettings;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.Map;

/**
 * Everything desired state depends on: the environment, its repository and operator settings. Every
 * builder in this package is a pure function of it.
 */
public record EnvironmentInputs(
    WorkflowEnvironment environment,
    WorkflowRepository repository,
    ResolvedTemplate template,
    OperatorSettings settings) {

  /** Label on every object naming the namespace of the owning WorkflowEnvironment. */
  public static final String OWNER_NAMESPACE = "branchflow.io/owner-namespace";

  public static EnvironmentInputs of(
      WorkflowEnvironment environment, WorkflowRepository repository, OperatorSettings settings) {
    return new EnvironmentInputs(
        environment, repository, ResolvedTemplate.of(repository, environment), settings);
  }

  public String name() {
    return environment.getMetadata().getName();
  }

  /** The environment's own namespace: everything it runs lives there. */
  public String namespace() {
    return namespaceOf(environment);
  }

  public static String namespaceOf(WorkflowEnvironment environment) {
    return EnvironmentNames.NAMESPACE_PREFIX + environment.getMetadata().getName();
  }

  /** Where the WorkflowEnvironment and WorkflowRepository live (the Branchflow namespace). */
  public String ownerNamespace() {
    return environment.getMetadata().getNamespace();
  }

  public Map<String, String> labels(String component) {
    Map<String, String> labels = Labels.forComponent(name(), component);
    labels.put(OWNER_NAMESPACE, ownerNamespace());
    labels.put(Labels.REPOSITORY, repository.getMetadata().getName());
    return labels;
  }

  /**
   * Selects the environment's pods of one component (what its Service, Deployment or StatefulSet
   * and affinities match): the two labels of {@link #labels} that say whose and which they are.
   */
  public Map<String, String> selector(String component) {
    return Map.of(Labels.ENVIRONMENT, name(), Labels.COMPONENT, component);
  }

  /** Selects every pod of the environment. */
  public Map<String, String> selector() {
    return Map.of(Labels.ENVIRONMENT, name());
  }

  /** Metadata for an object of one component in the environment's namespace. */
  public ObjectMeta meta(String objectName, String component) {
    return new ObjectMetaBuilder()
        .withName(objectName)
        .withNamespace(namespace())
        .withLabels(labels(component))
        .build();
  }

  public String branch() {
    return environment.getSpec().getBranch();
  }
}
