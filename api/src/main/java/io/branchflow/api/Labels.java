package io.branchflow.api;

import java.util.LinkedHashMap;
import java.util.Map;

/** The one place that names the labels on every object Branchflow creates. */
public final class Labels {

  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGED_BY_VALUE = "branchflow";
  public static final String PART_OF = "app.kubernetes.io/part-of";
  public static final String PART_OF_VALUE = "branchflow";
  public static final String NAME = "app.kubernetes.io/name";
  public static final String INSTANCE = "app.kubernetes.io/instance";
  public static final String COMPONENT = "app.kubernetes.io/component";

  /** The WorkflowEnvironment an object belongs to; value: the environment's name. */
  public static final String ENVIRONMENT = "branchflow.io/environment";

  /** The WorkflowRepository an environment belongs to; value: the repository object's name. */
  public static final String REPOSITORY = "branchflow.io/repository";

  /**
   * On a Secret in the Branchflow namespace: its owner agrees that environments (branch code) get a
   * copy of it. Without it, naming the Secret in productionData copies nothing.
   */
  public static final String PRODUCTION_DATA = "branchflow.io/production-data";

  public static final String PRODUCTION_DATA_READ_ONLY = "read-only";

  /** Selects everything Branchflow created, in any namespace. */
  public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGED_BY_VALUE;

  private Labels() {}

  /** Labels for an object that belongs to an environment as a whole (namespace, secrets...). */
  public static Map<String, String> forEnvironment(String environmentName) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MANAGED_BY, MANAGED_BY_VALUE);
    labels.put(PART_OF, PART_OF_VALUE);
    labels.put(INSTANCE, environmentName);
    labels.put(ENVIRONMENT, environmentName);
    return labels;
  }

  /** Labels for one component of an environment, e.g. {@code scheduler} or {@code database}. */
  public static Map<String, String> forComponent(String environmentName, String component) {
    Map<String, String> labels = forEnvironment(environmentName);
    labels.put(NAME, component);
    labels.put(COMPONENT, component);
    return labels;
  }
}
