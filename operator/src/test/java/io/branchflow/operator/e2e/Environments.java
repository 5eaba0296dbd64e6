package io.branchflow.operator.e2e;

import static org.awaitility.Awaitility.await;

import io.branchflow.api.v1alpha1.Phase;
import io.branchflow.api.v1alpha1.WorkflowEnvironment;
import io.branchflow.api.v1alpha1.WorkflowEnvironmentStatus;
import io.branchflow.testing.Kubectl;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** What a user watches of an environment: its status, its namespace, what is left of it. */
final class Environments {

  /**
   * Runs an edit the way {@code kubectl edit} is retried by hand: fabric8's edit sends the
   * resourceVersion it read, and the operator's status writes (three field managers) may bump it in
   * between, which the API server answers with 409.
   */
  private static void retryOnConflict(Runnable edit) {
    for (int attempt = 1; ; attempt++) {
      try {
        edit.run();
        return;
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }

  /** Generous: a deadline for a stuck test, not a speed check (that is {@code make bench}). */
  static final Duration PATIENCE = Duration.ofMinutes(3);

  private final KubernetesClient client;
  private final Kubectl kubectl;

  Environments(KubernetesClient client, Kubectl kubectl) {
    this.client = client;
    this.kubectl = kubectl;
  }

  /** Edits the environment as a user would, retried on conflict (see {@link #retryOnConflict}). */
  void edit(WorkflowEnvironment env, java.util.function.Consumer<WorkflowEnvironment> change) {
    retryOnConflict(
        () ->
            client
                .resources(WorkflowEnvironment.class)
                .inNamespace(env.getMetadata().getNamespace())
                .withName(env.getMetadata().getName())
                .edit(
                    e -> {
                      change.accept(e);
                      return e;
                    }));
  }

  void setSuspend(WorkflowEnvironment env, boolean suspend) {
    edit(env, e -> e.getSpec().setSuspend(suspend));
  }

  /** Waits until a pass has seen {@code generation} of the environment (or a later one). */
  void awaitPassOver(WorkflowEnvironment env, long generation) {
    await("a pass over generation " + generation)
        .atMost(PATIENCE)
        .until(
            () ->
                Optional.ofNullable(status(env).orElseThrow().getObservedGeneration()).orElse(0L)
                    >= generation);
  }

  /** Edits the environment as a user would and waits until a pass has seen the edit. */
  void editAndAwaitPass(
      WorkflowEnvironment env, java.util.function.Consumer<WorkflowEnvironment> change) {
    edit(env, change);
    awaitPassOver(env, get(env).getMetadata().getGeneration());
  }

  WorkflowEnvironment get(WorkflowEnvironment env) {
    return client.resource(env).get();
  }

  Optional<WorkflowEnvironmentStatus> status(WorkflowEnvironment env) {
    return Optional.ofNullable(get(env)).map(WorkflowEnvironment::getStatus);
  }

  Phase phase(WorkflowEnvironment env) {
    return status(env).map(WorkflowEnvironmentStatus::getPhase).orElse(null);
  }

  WorkflowEnvironmentStatus awaitPhase(WorkflowEnvironment env, Phase phase) {
    await("phase " + phase + " of " + env.getMetadata().getName())
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> phase(env) == phase);
    return status(env).orElseThrow();
  }

  /**
   * Waits until the Slack reporter recorded the environment's message ({@code status.slack.ts}).
   */
  io.branchflow.api.v1alpha1.SlackMessage awaitSlackMessage(WorkflowEnvironment env) {
    await("status.slack.ts of " + env.getMetadata().getName())
        .atMost(PATIENCE)
        .until(
            () ->
                Optional.ofNullable(status(env).orElseThrow().getSlack())
                    .map(s -> s.getTs() != null)
                    .orElse(false));
    return status(env).orElseThrow().getSlack();
  }

  /** Deletes the environment and waits until it and its namespace are gone. */
  void deleteAndAwaitGone(WorkflowEnvironment env) {
    client.resource(env).delete();
    awaitGone(env);
  }

  /**
   * Deletes every environment in {@code ns} and waits until each is gone, while an operator can
   * still release their finalizers: the first step of every suite's clean-up.
   */
  void deleteAllAndAwaitGone(String ns) {
    List<WorkflowEnvironment> left =
        client.resources(WorkflowEnvironment.class).inNamespace(ns).list().getItems();
    left.forEach(e -> client.resource(e).delete());
    left.forEach(this::awaitGone);
  }

  void awaitGone(WorkflowEnvironment env) {
    await("deletion of " + env.getMetadata().getName())
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> get(env) == null && client.namespaces().withName(namespaceOf(env)).get() == null);
  }

  /** One decoded value of a Secret, or null when the Secret or key is missing. */
  String secretValue(String namespace, String name, String key) {
    var secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null || secret.getData() == null || !secret.getData().containsKey(key)) {
      return null;
    }
    return new String(
        java.util.Base64.getDecoder().decode(secret.getData().get(key)),
        java.nio.charset.StandardCharsets.UTF_8);
  }

  static String namespaceOf(WorkflowEnvironment env) {
    return "bf-" + env.getMetadata().getName();
  }

  /**
   * Every object of every listable kind, namespaced or cluster-scoped, that carries {@code
   * selector}: what {@code kubectl get} finds across the whole cluster.
   */
  List<String> labelledObjects(String selector) {
    String out =
        kubectl.run("get", listableKinds(false), "--all-namespaces", "-l", selector, "-o", "name");
    return Arrays.stream(out.split("\n")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }

  /**
   * Every object in {@code namespace}, of every listable kind, whose content holds {@code value}
   * anywhere (Secret data decoded first): e.g. a token that DAG code there must never read.
   */
  List<String> objectsContaining(String namespace, String value) throws Exception {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var list =
        json.readTree(kubectl.run("get", listableKinds(true), "-n", namespace, "-o", "json"));
    List<String> found = new java.util.ArrayList<>();
    for (var item : list.get("items")) {
      String content = item.toString();
      if ("Secret".equals(item.path("kind").asText()) && item.has("data")) {
        StringBuilder decoded = new StringBuilder(content);
        item.get("data")
            .fields()
            .forEachRemaining(
                e ->
                    decoded.append(
                        new String(
                            java.util.Base64.getDecoder().decode(e.getValue().asText()),
                            java.nio.charset.StandardCharsets.UTF_8)));
        content = decoded.toString();
      }
      if (content.contains(value)) {
        found.add(item.path("kind").asText() + "/" + item.path("metadata").path("name").asText());
      }
    }
    return found;
  }

  private String listableKinds(boolean namespacedOnly) {
    List<String> args =
        new java.util.ArrayList<>(List.of("api-resources", "--verbs=list", "-o", "name"));
    if (namespacedOnly) {
      args.add("--namespaced=true");
    }
    return Arrays.stream(kubectl.run(args.toArray(String[]::new)).split("\n"))
        .map(String::strip)
        .filter(k -> !k.isEmpty())
        // Events are records about objects, not objects Branchflow creates.
        .filter(k -> !k.equals("events") && !k.equals("events.events.k8s.io"))
        .collect(Collectors.joining(","));
  }
}
