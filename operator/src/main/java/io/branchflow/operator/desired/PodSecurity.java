package io.branchflow.operator.desired;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.stream.Stream;

/**
 * What Pod Security "restricted" asks of every pod in an environment namespace (the namespace
 * enforces it): a numeric non-root user, no privilege escalation, no capabilities, the runtime's
 * default seccomp profile. Roots are read-only unless the container's program must write there.
 */
final class PodSecurity {

  private PodSecurity() {}

  /**
   * The pod's user and groups. {@code fsGroup} makes volumes writable for the group on storage that
   * supports it.
   */
  static PodSecurityContext pod(long user, long group, long fsGroup) {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(user)
        .withRunAsGroup(group)
        .withFsGroup(fsGroup)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  static SecurityContext container(boolean readOnlyRoot) {
    return new SecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withAllowPrivilegeEscalation(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .withReadOnlyRootFilesystem(readOnlyRoot)
        .build();
  }

  /** Every container and init container that set none gets {@link #container} read-only. */
  static void restrictContainers(PodSpec pod) {
    Stream.concat(
            pod.getInitContainers() == null
                ? Stream.<Container>empty()
                : pod.getInitContainers().stream(),
            pod.getContainers().stream())
        .filter(c -> c.getSecurityContext() == null)
        .forEach(c -> c.setSecurityContext(container(true)));
  }

  /** A pod-local writable directory on a read-only root (an emptyDir bounded in size). */
  static Volume scratch(String name, String sizeLimit) {
    return new VolumeBuilder()
        .withName(name)
        .withNewEmptyDir()
        .withSizeLimit(new io.fabric8.kubernetes.api.model.Quantity(sizeLimit))
        .endEmptyDir()
        .build();
  }

  static VolumeMount mount(String name, String path) {
    return new VolumeMountBuilder().withName(name).withMountPath(path).build();
  }
}
