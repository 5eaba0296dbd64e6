package io.branchflow.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/** Installs the committed CRDs (the files users install), never ones generated on the fly. */
public final class CrdInstaller {

  private final KubernetesClient client;

  public CrdInstaller(KubernetesClient client) {
    this.client = client;
  }

  /** Server-side applies every CRD YAML in {@code dir} and waits until each is Established. */
  public List<CustomResourceDefinition> installAll(Path dir) {
    List<CustomResourceDefinition> installed = read(dir).stream().map(this::apply).toList();
    installed.forEach(this::awaitEstablished);
    return installed;
  }

  static List<CustomResourceDefinition> read(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml"))
          .sorted()
          .map(CrdInstaller::load)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list CRDs in " + dir, e);
    }
  }

  private static CustomResourceDefinition load(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
          in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private CustomResourceDefinition apply(CustomResourceDefinition crd) {
    crd.getMetadata().setResourceVersion(null);
    return client.resource(crd).fieldManager("branchflow-tests").forceConflicts().serverSideApply();
  }

  private void awaitEstablished(CustomResourceDefinition crd) {
    String name = crd.getMetadata().getName();
    Awaitility.await("CRD " + name + " established")
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              CustomResourceDefinition current =
                  client.apiextensions().v1().customResourceDefinitions().withName(name).get();
              return current != null
                  && current.getStatus() != null
                  && current.getStatus().getConditions().stream()
                      .anyMatch(
                          c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
            });
  }
}
