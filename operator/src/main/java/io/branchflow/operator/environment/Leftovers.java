package io.branchflow.operator.environment;

import io.branchflow.api.Labels;
import io.branchflow.operator.desired.Components;
import io.branchflow.operator.desired.EnvironmentInputs;
import io.branchflow.operator.desired.RbacObjects;
import io.branchflow.operator.desired.SecretObjects;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Removes what an earlier spec put into an environment's namespace and the current one does not
 * want: server-side apply only adds and changes, so a revoked grant would otherwise stay. Each
 * removal is a revocation (a production credential, a clone credential, the right to launch pods),
 * so it happens on every pass, before anything else can use it.
 */
final class Leftovers {

  private final KubernetesClient client;

  Leftovers(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Copies of production Secrets no longer named in productionData, or whose source lost the opt-in
   * label: found by the {@code copied-from} label every copy carries.
   */
  void removeCopiesExcept(String ns, Collection<Secret> copied) {
    Set<String> keep =
        copied.stream().map(s -> s.getMetadata().getName()).collect(Collectors.toSet());
    client
        .secrets()
        .inNamespace(ns)
        .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
        .withLabel(SecretObjects.COPIED_FROM)
        .list()
        .getItems()
        .stream()
        .map(s -> s.getMetadata().getName())
        .filter(name -> !keep.contains(name))
        .forEach(name -> client.secrets().inNamespace(ns).withName(name).delete());
  }

  /**
   * git-credentials when the environment now clones anonymously; it may also be a copy made by an
   * older Branchflow that still held the GitHub deployments token.
   */
  void removeGitCredentials(String ns) {
    if (client.secrets().inNamespace(ns).withName(Components.GIT_CREDENTIALS).get() != null) {
      client.secrets().inNamespace(ns).withName(Components.GIT_CREDENTIALS).delete();
    }
  }

  /** Roles and RoleBindings the current executor and productionData no longer call for. */
  void removeUnwantedRoles(EnvironmentInputs in) {
    String ns = in.namespace();
    for (String name : RbacObjects.unwantedRoles(in)) {
      if (client.rbac().roleBindings().inNamespace(ns).withName(name).get() != null) {
        client.rbac().roleBindings().inNamespace(ns).withName(name).delete();
      }
      if (client.rbac().roles().inNamespace(ns).withName(name).get() != null) {
        client.rbac().roles().inNamespace(ns).withName(name).delete();
      }
    }
  }
}
