package io.branchflow.operator.desired;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The long-running Airflow components, one Deployment each. */
public final class AirflowComponents {

  /** Pod-template annotation whose change rolls the pods when configuration or secrets change. */
  public static final String CONFIG_HASH = "branchflow.io/config-hash";

  private AirflowComponents() {}

  /** Which components this environment runs, in start order. */
  public static List<String> components(EnvironmentInputs in) {
    ResolvedTemplate t = in.template();
    List<String> components = new ArrayList<>();
    components.add(Components.SCHEDULER);
    if (t.airflow3()) {
      components.add(Components.DAG_PROCESSOR);
      components.add(Components.API_SERVER);
    } else {
      components.add(Components.WEBSERVER);
    }
    if (t.triggerer()) {
      components.add(Components.TRIGGERER);
    }
    return components;
  }

  /**
   * @param configHash hash of the configuration and secrets the pods load
   * @param suspended scale to zero, keeping everything else
   */
  public static List<Deployment> deployments(
      EnvironmentInputs in, String configHash, boolean suspended) {
    return components(in).stream()
        .map(component -> deployment(in, component, configHash, suspended ? 0 : 1))
        .toList();
  }

  static Deployment deployment(
      EnvironmentInputs in, String component, String configHash, int replicas) {
    List<String> args =
        switch (component) {
          case Components.API_SERVER -> List.of("api-server", "--port", "" + Components.UI_PORT);
          case Components.WEBSERVER -> List.of("webserver", "--port", "" + Components.UI_PORT);
          default -> List.of(component);
        };
    var podSpec = AirflowPods.podSpec(in, component, args, true);
    if (isUi(component)) {
      var container = podSpec.getContainers().get(0);
      container.setPorts(
          List.of(
              new io.fabric8.kubernetes.api.model.ContainerPortBuilder()
                  .withName("http")
                  .withContainerPort(Components.UI_PORT)
                  .build()));
    }
    return new DeploymentBuilder()
        .withMetadata(in.meta(Components.deploymentName(component), component))
        .withNewSpec()
        .withReplicas(replicas)
        .withNewStrategy()
        .withType("Recreate") // one replica; never two schedulers on one database
        .endStrategy()
        .withNewSelector()
        .withMatchLabels(in.selector(component))
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(in.labels(component))
        .withAnnotations(Map.of(CONFIG_HASH, configHash))
        .endMetadata()
        .withSpec(podSpec)
        .endTemplate()
        .endSpec()
        .build();
  }

  /** KubernetesExecutor's task pod template, mounted into the scheduler. */
  public static Optional<ConfigMap> podTemplate(EnvironmentInputs in) {
    if (!in.template().kubernetesExecutor()) {
      return Optional.empty();
    }
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withLabels(in.labels(Components.WORKER))
            .endMetadata()
            .withSpec(AirflowPods.podSpec(in, Components.WORKER, List.of(), false))
            .build();
    pod.getSpec().setRestartPolicy("Never");
    return Optional.of(
        new ConfigMapBuilder()
            .withMetadata(in.meta(Components.POD_TEMPLATE_CONFIG_MAP, Components.WORKER))
            .withData(Map.of(AirflowConfig.POD_TEMPLATE_FILE, Serialization.asYaml(pod)))
            .build());
  }

  public static boolean isUi(String component) {
    return Components.API_SERVER.equals(component) || Components.WEBSERVER.equals(component);
  }
}
