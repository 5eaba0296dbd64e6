package io.branchflow.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import io.branchflow.api.v1alpha1.Resources;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import org.junit.jupiter.api.Test;

class ResourceRequirementsMapperTest {

  @Test
  void nothingGivenUsesTheDefaultsAndLimitsMemoryToTheRequest() {
    ResourceRequirements r = ResourceRequirementsMapper.of(null, "100m", "256Mi");

    assertThat(r.getRequests())
        .containsEntry("cpu", new Quantity("100m"))
        .containsEntry("memory", new Quantity("256Mi"));
    assertThat(r.getLimits()).containsOnlyKeys("memory");
    assertThat(r.getLimits()).containsEntry("memory", new Quantity("256Mi"));
  }

  @Test
  void givenRequestsWinAndMemoryLimitFollowsTheMemoryRequest() {
    Resources given = new Resources();
    given.setCpuRequest("250m");
    given.setMemoryRequest("1Gi");

    ResourceRequirements r = ResourceRequirementsMapper.of(given, "100m", "256Mi");

    assertThat(r.getRequests())
        .containsEntry("cpu", new Quantity("250m"))
        .containsEntry("memory", new Quantity("1Gi"));
    assertThat(r.getLimits()).containsEntry("memory", new Quantity("1Gi"));
    assertThat(r.getLimits()).doesNotContainKey("cpu");
  }

  @Test
  void givenLimitsAreUsed() {
    Resources given = new Resources();
    given.setCpuLimit("2");
    given.setMemoryLimit("4Gi");

    ResourceRequirements r = ResourceRequirementsMapper.of(given, "100m", "256Mi");

    assertThat(r.getLimits())
        .containsEntry("cpu", new Quantity("2"))
        .containsEntry("memory", new Quantity("4Gi"));
    assertThat(r.getRequests()).containsEntry("memory", new Quantity("256Mi"));
  }
}
