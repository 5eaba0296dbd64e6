package io.branchflow.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;

/** The in-cluster PostgreSQL of an environment. */
public class DatabaseStorage {

  @Default("postgres:16")
  @JsonPropertyDescription("PostgreSQL image.")
  private String image;

  @Default("1Gi")
  @Pattern(Patterns.QUANTITY)
  @JsonPropertyDescription("Size of the database volume.")
  private String size;

  @JsonPropertyDescription("StorageClass of the database volume; the cluster default when unset.")
  private String storageClassName;

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public String getSize() {
    return size;
  }

  public void setSize(String size) {
    this.size = size;
  }

  public String getStorageClassName() {
    return storageClassName;
  }

  public void setStorageClassName(String storageClassName) {
    this.storageClassName = storageClassName;
  }
}
