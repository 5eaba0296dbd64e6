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
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Generates the CRDs from the model classes, as committed in {@code crds/}.
 *
 * <p>fabric8's generator sorts printer columns by JSON path; a post-processor restores the order of
 * the {@link AdditionalPrinterColumn} annotations, which is the order users see in {@code kubectl
 * get}.
 */
public final class CrdGeneration {

  static final List<Class<? extends HasMetadata>> RESOURCES =
      List.of(WorkflowEnvironment.class, WorkflowRepository.class);

  private CrdGeneration() {}

  /** Writes one {@code <plural>.<group>-v1.yml} per custom resource into {@code dir}. */
  public static void generateInto(Path dir) {
    int generated =
        new CRDGenerator()
            .inOutputDir(dir.toFile())
            .forCRDVersions("v1")
            .withPostProcessor(new PrinterColumnOrder())
            .customResourceClasses(RESOURCES)
            .generate();
    if (generated != RESOURCES.size()) {
      throw new IllegalStateException("expected " + RESOURCES.size() + " CRDs, got " + generated);
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
}
