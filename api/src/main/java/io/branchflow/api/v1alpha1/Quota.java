package io.branchflow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/** Hard limits on one environment's namespace. */
public class Quota {

  @Pattern(Patterns.QUANTITY)
  @JsonPropertyDescription("Total CPU requests allowed in the namespace.")
  private String cpu;

  @Pattern(Patterns.QUANTITY)
  @JsonPropertyDescription("Total memory limits allowed in the namespace.")
  private String memory;

  @Min(1)
  @JsonPropertyDescription("Maximum number of pods, task pods included.")
  private Integer pods;

  @Pattern(Patterns.QUANTITY)
  @JsonPropertyDescription("Total storage requested by PersistentVolumeClaims.")
  private String storage;

  public String getCpu() {
    return cpu;
  }

  public void setCpu(String cpu) {
    this.cpu = cpu;
  }

  public String getMemory() {
    return memory;
  }

  public void setMemory(String memory) {
    this.memory = memory;
  }

  public Integer getPods() {
    return pods;
  }

  public void setPods(Integer pods) {
    this.pods = pods;
  }

  public String getStorage() {
    return storage;
  }

  public void setStorage(String storage) {
    this.storage = storage;
  }
}
