package io.branchflow.operator.environment;

import io.branchflow.api.Labels;
import io.branchflow.operator.desired.Components;
import io.branchflow.operator.desired.EnvironmentInputs;
import io.branchflow.operator.desired.RbacObjects;
import io.branchflow.operator.desired.SecretObjects;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Removes what an earlier spec put into an environment's namespace and the current one does not
 * want: server-side apply only adds and changes, so a revoked grant would otherwise stay. Each
 * removal is a revocation (a production credential, a clone credential, the right to launch pods),
 * so it is checked in the pass where what is wanted changes, before anything else can use it; while
 * nothing changes, again after {@link AppliedObjects#UNWATCHED_REAPPLY} (and after a restart), so a
 * pass in which nothing changed costs no request.
 */
final class Leftovers {

  private record Checked(Set<String> wanted, Instant at) {}

  private final KubernetesClient client;
  private final ServerSideApplier applier;
  private final Clock clock;
  private final Map<String, Checked> checked = new ConcurrentHashMap<>();

  Leftovers(KubernetesClient client, ServerSideApplier applier, Clock clock) {
    this.client = client;
    this.applier = applier;
    this.clock = clock;
  }

  /**
   * Copies of production Secrets no longer named in productionData, or whose source lost the opt-in
   * label: found by the {@code copied-from} label every copy carries.
   */
  void removeCopiesExcept(String ns, Collection<Secret> copied) {
    Set<String> keep =
        copied.stream().map(s -> s.getMetadata().getName()).collect(Collectors.toSet());
    if (!due(ns + "/copies", keep)) {
      return;
    }
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
        .forEach(name -> delete(ns, "Secret", name));
    done(ns + "/copies", keep);
  }

  /**
   * git-credentials when the environment now clones anonymously ({@code wanted} false); it may also
   * be a copy made by an older Branchflow that still held the GitHub deployments token.
   */
  void gitCredentials(String ns, boolean wanted) {
    String key = ns + "/git-credentials";
    Set<String> state = Set.of(String.valueOf(wanted));
    if (!wanted
        && due(key, state)
        && client.secrets().inNamespace(ns).withName(Components.GIT_CREDENTIALS).get() != null) {
      delete(ns, "Secret", Components.GIT_CREDENTIALS);
    }
    done(key, state);
  }

  /** Roles and RoleBindings the current executor and productionData no longer call for. */
  void removeUnwantedRoles(EnvironmentInputs in) {
    String ns = in.namespace();
    Set<String> unwanted = Set.copyOf(RbacObjects.unwantedRoles(in));
    if (!due(ns + "/roles", unwanted)) {
      return;
    }
    for (String name : unwanted) {
      if (client.rbac().roleBindings().inNamespace(ns).withName(name).get() != null) {
        delete(ns, "RoleBinding", name);
      }
      if (client.rbac().roles().inNamespace(ns).withName(name).get() != null) {
        delete(ns, "Role", name);
      }
    }
    done(ns + "/roles", unwanted);
  }

  /** The namespace is going: nothing in it needs checking again. */
  void forgetNamespace(String ns) {
    checked.keySet().removeIf(k -> k.startsWith(ns + "/"));
  }

  /**
   * Whether the check must run: it never ran in this process, what is wanted changed since (every
   * pass records what it wanted, so a change back and forth is never mistaken for "unchanged"), or
   * it last ran longer than the re-check interval ago.
   */
  private boolean due(String key, Set<String> wanted) {
    Checked last = checked.get(key);
    return last == null
        || !last.wanted().equals(wanted)
        || !last.at().plus(AppliedObjects.UNWATCHED_REAPPLY).isAfter(clock.instant());
  }

  /** Records a check that ran (or, for wanted objects, a state that needs none). */
  private void done(String key, Set<String> wanted) {
    if (due(key, wanted)) {
      checked.put(key, new Checked(wanted, clock.instant()));
    }
  }

  private void delete(String ns, String kind, String name) {
    switch (kind) {
      case "Secret" -> client.secrets().inNamespace(ns).withName(name).delete();
      case "Role" -> client.rbac().roles().inNamespace(ns).withName(name).delete();
      default -> client.rbac().roleBindings().inNamespace(ns).withName(name).delete();
    }
    // Wanted again later, it must be applied again, however recently it was.
    applier.forget(ns, kind, name);
  }
}
