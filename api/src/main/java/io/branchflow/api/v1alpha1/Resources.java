package io.branchflow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/** Requests and limits of one container. */
public class Resources {

  @Pattern(Patterns.QUANTITY)
  @JsonPropertyDescription("CPU request, e.g. 250m.")
  private String cpuRequest;

  @Pattern(Patterns.QUANTITY)
  @JsonPropertyDescription("Memory request, e.g. 512Mi.")
  private String memoryRequest;

  @Pattern(Patterns.QUANTITY)
  @JsonPropertyDescription("CPU limit; unset means none.")
  private String cpuLimit;

  @Pattern(Patterns.QUANTITY)
  @JsonPropertyDescription("Memory limit; defaults to the memory request.")
  private String memoryLimit;

  public String getCpuRequest() {
    return cpuRequest;
  }

  public void setCpuRequest(String cpuRequest) {
    this.cpuRequest = cpuRequest;
  }

  public String getMemoryRequest() {
    return memoryRequest;
  }

  public void setMemoryRequest(String memoryRequest) {
    this.memoryRequest = memoryRequest;
  }

  public String getCpuLimit() {
    return cpuLimit;
  }

  public void setCpuLimit(String cpuLimit) {
    this.cpuLimit = cpuLimit;
  }

  public String getMemoryLimit() {
    return memoryLimit;
  }

  public void setMemoryLimit(String memoryLimit) {
    this.memoryLimit = memoryLimit;
  }
}
