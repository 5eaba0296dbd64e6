package io.branchflow.api.crd;

import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Generates the CRDs from the model classes, as committed in {@code crds/}.
 *
 * <p>fabric8's generator sorts printer columns by JSON path; a post-processor restores the order of
 * the {@link AdditionalPrinterColumn} annotations, which is the order users see in {@code kubectl
 * get}. Fields of Kubernetes' own types embedded in the model (a pod's affinity, tolerations) come
 * without descriptions: another post-processor points each at the pod field {@code kubectl explain}
 * documents.
 */
public final class CrdGeneration {

  static final List<Class<? extends HasMetadata>> RESOURCES =
      List.of(WorkflowEnvironment.class, WorkflowRepository.class);

  /**
   * Kubernetes pod fields embedded in a resource: path in its schema -> path for kubectl explain.
   */
  static final Map<String, Map<List<String>, String>> POD_FIELDS =
      Map.of(
          "WorkflowRepository",
          Map.of(
              List.of("spec", "template", "affinity"), "pod.spec.affinity",
              List.of("spec", "template", "tolerations"), "pod.spec.tolerations"));

  private CrdGeneration() {}

  /** Writes one {@code <plural>.<group>-v1.yml} per custom resource into {@code dir}. */
  public static void generateInto(Path dir) {
    int generated =
        new CRDGenerator()
            .inOutputDir(dir.toFile())
            .forCRDVersions("v1")
            // one post-processor only: a second one would replace the first
            .withPostProcessor(new PostProcessing())
            .customResourceClasses(RESOURCES)
            .generate();
    if (generated != RESOURCES.size()) {
      throw new IllegalStateException("expected " + RESOURCES.size() + " CRDs, got " + generated);
    }
  }

  private static final class PostProcessing implements CRDPostProcessor {
    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
      return new PodFieldDescriptions()
          .process(new PrinterColumnOrder().process(crd, crdSpecVersion), crdSpecVersion);
    }
  }

  private static final class PrinterColumnOrder implements CRDPostProcessor {
    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
      CustomResourceDefinition definition = (CustomResourceDefinition) crd;
      String kind = definition.getSpec().getNames().getKind();
      RESOURCES.stream()
          .filter(type -> type.getSimpleName().equals(kind))
          .findFirst()
          .ifPresent(type -> definition.getSpec().getVersions().forEach(v -> reorder(v, type)));
      return crd;
    }

    private static void reorder(CustomResourceDefinitionVersion version, Class<?> type) {
      List<String> declared =
          Arrays.stream(type.getAnnotationsByType(AdditionalPrinterColumn.class))
              .map(AdditionalPrinterColumn::name)
              .toList();
      if (version.getAdditionalPrinterColumns() != null) {
        version
            .getAdditionalPrinterColumns()
            .sort(
                Comparator.comparingInt(
                    (CustomResourceColumnDefinition c) -> declared.indexOf(c.getName())));
      }
    }
  }

  private static final class PodFieldDescriptions implements CRDPostProcessor {
    @Override
    public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
      CustomResourceDefinition definition = (CustomResourceDefinition) crd;
      Map<List<String>, String> fields =
          POD_FIELDS.getOrDefault(definition.getSpec().getNames().getKind(), Map.of());
      for (CustomResourceDefinitionVersion version : definition.getSpec().getVersions()) {
        fields.forEach(
            (path, podPath) -> {
              JSONSchemaProps schema = version.getSchema().getOpenAPIV3Schema();
              for (String step : path) {
                schema = schema.getProperties().get(step);
              }
              describe(schema, podPath);
            });
      }
      return crd;
    }

    /** Every undescribed property below {@code schema} gets the pod field it is. */
    private static void describe(JSONSchemaProps schema, String podPath) {
      if (schema.getItems() != null && schema.getItems().getSchema() != null) {
        describe(schema.getItems().getSchema(), podPath);
      }
      if (schema.getProperties() == null) {
        return;
      }
      schema
          .getProperties()
          .forEach(
              (name, property) -> {
                String at = podPath + "." + name;
                if (property.getDescription() == null || property.getDescription().isBlank()) {
                  property.setDescription(
                      "As the Kubernetes pod field " + at + ": `kubectl explain " + at + "`.");
                }
                describe(property, at);
              });
    }
  }
}
