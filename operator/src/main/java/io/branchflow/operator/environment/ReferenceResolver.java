package io.branchflow.operator.environment;

import io.branchflow.api.v1alpha1.ProductionDataAccess;
import io.branchflow.api.v1alpha1.SecretKeyRef;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.operator.announce.Secrets;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Looks up the Secrets a repository names, in its own namespace. */
final class ReferenceResolver {

  private final KubernetesClient client;

  ReferenceResolver(KubernetesClient client) {
    this.client = client;
  }

  References resolve(WorkflowRepository repository) {
    String ns = repository.getMetadata().getNamespace();
    List<String> missing = new ArrayList<>();
    List<Secret> production = new ArrayList<>();
    List<String> names =
        Optional.ofNullable(repository.getSpec().getProductionData())
            .map(ProductionDataAccess::getSecretNames)
            .orElse(List.of());
    for (String name : names) {
      Secret secret = client.secrets().inNamespace(ns).withName(name).get();
      if (secret == null) {
        missing.add("Secret " + ns + "/" + name + " (productionData.secretNames)");
      } else {
        production.add(secret);
      }
    }
    Optional<String> token = Optional.empty();
    SecretKeyRef tokenRef = repository.getSpec().getGithubTokenRef();
    if (tokenRef != null) {
      token = value(ns, tokenRef);
      if (token.isEmpty()) {
        missing.add(
            "key "
                + tokenRef.getKey()
                + " of Secret "
                + ns
                + "/"
                + tokenRef.getName()
                + " (githubTokenRef)");
      }
    }
    return new References(production, token, missing);
  }

  private Optional<String> value(String ns, SecretKeyRef ref) {
    return Secrets.value(client, ns, ref);
  }
}
