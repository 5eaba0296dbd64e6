package io.branchflow.operator.desired;

import io.branchflow.api.v1alpha1.IngressTemplate;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.util.Map;
import java.util.Optional;

/** How people reach the environment's UI: a Service and an Ingress, and the URL they make. */
public final class Exposure {

  private Exposure() {}

  public static String host(EnvironmentInputs in) {
    String pattern =
        Optional.ofNullable(in.template().ingress())
            .map(IngressTemplate::getHostPattern)
            .orElse(in.settings().defaultHostPattern());
    return pattern.replace("{name}", in.name());
  }

  public static String url(EnvironmentInputs in) {
    boolean tls =
        Optional.ofNullable(in.template().ingress())
            .map(IngressTemplate::getTlsSecretName)
            .isPresent();
    return (tls ? "https" : in.settings().urlScheme()) + "://" + host(in) + "/";
  }

  public static Service service(EnvironmentInputs in) {
    String ui = in.template().airflow3() ? Components.API_SERVER : Components.WEBSERVER;
    return new ServiceBuilder()
        .withMetadata(in.meta(Components.UI_SERVICE, ui))
        .withNewSpec()
        .withSelector(in.selector(ui))
        .addNewPort()
        .withName("http")
        .withPort(Components.UI_PORT)
        .withTargetPort(new IntOrString("http"))
        .endPort()
        .endSpec()
        .build();
  }

  public static Ingress ingress(EnvironmentInputs in) {
    IngressTemplate template =
        Optional.ofNullable(in.template().ingress()).orElseGet(IngressTemplate::new);
    String ui = in.template().airflow3() ? Components.API_SERVER : Components.WEBSERVER;
    Map<String, String> annotations = template.getAnnotations();
    IngressBuilder ingress =
        new IngressBuilder()
            .withMetadata(in.meta(Components.INGRESS, ui))
            .editMetadata()
            .withAnnotations(annotations == null || annotations.isEmpty() ? null : annotations)
            .endMetadata()
            .withNewSpec()
            .withIngressClassName(template.getClassName())
            .addNewRule()
            .withHost(host(in))
            .withNewHttp()
            .addNewPath()
            .withPath("/")
            .withPathType("Prefix")
            .withNewBackend()
            .withNewService()
            .withName(Components.UI_SERVICE)
            .withNewPort()
            .withNumber(Components.UI_PORT)
            .endPort()
            .endService()
            .endBackend()
            .endPath()
            .endHttp()
            .endRule()
            .endSpec();
    if (template.getTlsSecretName() != null) {
      ingress
          .editSpec()
          .addNewTl()
          .withHosts(host(in))
          .withSecretName(template.getTlsSecretName())
          .endTl()
          .endSpec();
    }
    return ingress.build();
  }
}
