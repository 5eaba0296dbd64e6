package io.branchflow.operator.desired;

import static io.branchflow.operator.desired.TestInputs.assertOwnedByEnvironment;
import static io.branchflow.operator.desired.TestInputs.environmentName;
import static io.branchflow.operator.desired.TestInputs.inputs;
import static io.branchflow.operator.desired.TestInputs.repository;
import static io.branchflow.operator.desired.TestInputs.template;
import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.v1alpha1.IngressTemplate;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExposureTest {

  @Test
  void withoutIngressTemplateTheOperatorsDefaultHostAndSchemeApply() {
    EnvironmentInputs in = inputs();

    assertThat(Exposure.host(in)).isEqualTo(environmentName() + ".airflow.localhost");
    assertThat(Exposure.url(in)).isEqualTo("http://" + environmentName() + ".airflow.localhost/");
  }

  @Test
  void hostPatternOfTheTemplateNamesTheEnvironment() {
    WorkflowRepository repository = withIngress("{name}.airflow.acme.dev", null);

    assertThat(Exposure.url(inputs(repository)))
        .isEqualTo("http://" + environmentName() + ".airflow.acme.dev/");
  }

  @Test
  void tlsSecretMakesTheUrlHttps() {
    WorkflowRepository repository = withIngress("{name}.airflow.acme.dev", "airflow-tls");

    assertThat(Exposure.url(inputs(repository)))
        .isEqualTo("https://" + environmentName() + ".airflow.acme.dev/");
  }

  @Test
  void ingressRoutesTheHostToTheUiService() {
    WorkflowRepository repository = withIngress("{name}.airflow.acme.dev", null);
    template(repository).getIngress().setClassName("nginx");
    template(repository).getIngress().setAnnotations(Map.of("team", "data"));
    EnvironmentInputs in = inputs(repository);

    Ingress ingress = Exposure.ingress(in);

    assertOwnedByEnvironment(ingress);
    assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
    assertThat(ingress.getMetadata().getAnnotations()).containsEntry("team", "data");
    assertThat(ingress.getSpec().getTls()).isNullOrEmpty();
    assertThat(ingress.getSpec().getRules())
        .singleElement()
        .satisfies(
            rule -> {
              assertThat(rule.getHost()).isEqualTo(Exposure.host(in));
              var backend = rule.getHttp().getPaths().get(0).getBackend().getService();
              assertThat(backend.getName()).isEqualTo(Exposure.service(in).getMetadata().getName());
              assertThat(backend.getPort().getNumber()).isEqualTo(8080);
            });
  }

  @Test
  void ingressTerminatesTlsForTheHostWithTheTemplatesSecret() {
    EnvironmentInputs in = inputs(withIngress("{name}.airflow.acme.dev", "airflow-tls"));

    assertThat(Exposure.ingress(in).getSpec().getTls())
        .singleElement()
        .satisfies(
            tls -> {
              assertThat(tls.getSecretName()).isEqualTo("airflow-tls");
              assertThat(tls.getHosts()).containsExactly(Exposure.host(in));
            });
  }

  @Test
  void ingressWithoutTemplateUsesTheDefaultHost() {
    Ingress ingress = Exposure.ingress(inputs());

    assertThat(ingress.getSpec().getRules().get(0).getHost())
        .isEqualTo(environmentName() + ".airflow.localhost");
    assertThat(ingress.getMetadata().getAnnotations()).isNullOrEmpty();
  }

  @Test
  void uiServiceSelectsTheApiServerPods() {
    EnvironmentInputs in = inputs();
    Service service = Exposure.service(in);
    Deployment apiServer =
        AirflowComponents.deployments(in, "h", false).stream()
            .filter(d -> d.getMetadata().getName().equals("airflow-api-server"))
            .findFirst()
            .orElseThrow();

    assertOwnedByEnvironment(service);
    assertThat(service.getMetadata().getName()).isEqualTo("airflow-ui");
    assertThat(apiServer.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(service.getSpec().getSelector());
    assertThat(service.getSpec().getPorts())
        .singleElement()
        .satisfies(p -> assertThat(p.getPort()).isEqualTo(8080));
  }

  @Test
  void uiServiceSelectsTheWebserverOnAirflow2() {
    WorkflowRepository repository = repository();
    template(repository).setAirflowMajorVersion(2);
    EnvironmentInputs in = inputs(repository);
    Deployment webserver =
        AirflowComponents.deployments(in, "h", false).stream()
            .filter(d -> d.getMetadata().getName().equals("airflow-webserver"))
            .findFirst()
            .orElseThrow();

    assertThat(webserver.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(Exposure.service(in).getSpec().getSelector());
  }

  private static WorkflowRepository withIngress(String hostPattern, String tlsSecret) {
    WorkflowRepository repository = repository();
    IngressTemplate ingress = new IngressTemplate();
    ingress.setHostPattern(hostPattern);
    ingress.setTlsSecretName(tlsSecret);
    template(repository).setIngress(ingress);
    return repository;
  }
}
