package io.branchflow.operator.environment;

import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class EnvironmentEventSourcesTest {

  /**
   * JOSDK keeps a primary-to-secondary index for an informer unless it is given a primary-to-
   * secondary mapper. Through the queued-siblings informer that index grew with the square of the
   * environments (1.1 million entries at 1,000, most kept after all were deleted): the operator's
   * memory would grow with every environment it ever saw.
   */
  @Test
  void noInformerKeepsAnIndexThatGrowsWithEveryEnvironmentItEverSaw() {
    // The mappers use the context only when events arrive; building the configurations does not.
    List<InformerEventSourceConfiguration<?>> configurations =
        EnvironmentEventSources.configurations(null);

    assertThat(configurations)
        .extracting(InformerEventSourceConfiguration::name)
        .contains("queuedsibling", "workflowrepository", "repositorysecret", "pod");
    for (InformerEventSourceConfiguration<?> configuration : configurations) {
      PrimaryToSecondaryMapper<WorkflowEnvironment> mapper =
          configuration.<WorkflowEnvironment>getPrimaryToSecondaryMapper();
      assertThat(mapper).as(configuration.name() + " keeps JOSDK's index").isNotNull();
      assertThat(mapper.toSecondaryResourceIDs(new WorkflowEnvironment()))
          .as("reconciles read " + configuration.name() + " from the informer cache, by name")
          .isEmpty();
    }
  }
}
