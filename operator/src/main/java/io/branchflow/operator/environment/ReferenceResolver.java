package io.branchflow.operator.environment;

import io.branchflow.api.Labels;
import io.branchflow.api.v1alpha1.ProductionDataAccess;
import io.branchflow.api.v1alpha1.SecretKeyRef;
import io.branchflow.api.v1alpha1.WorkflowRepository;
import io.branchflow.operator.secrets.SecretReader;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Looks up the Secrets a repository names, in its own namespace, that reach its environments: the
 * production data its owners opted in to share and the read-only clone credential. The GitHub
 * deployments token ({@code githubTokenRef}) is deliberately not among them: it never leaves the
 * Branchflow namespace.
 */
final class ReferenceResolver {

  private final KubernetesClient client;
  private final SecretReader secrets;

  ReferenceResolver(KubernetesClient client) {
    this.client = client;
    this.secrets = new SecretReader(client);
  }

  References resolve(WorkflowRepository repository) {
    String ns = repository.getMetadata().getNamespace();
    List<String> missing = new ArrayList<>();
    List<Secret> production = new ArrayList<>();
    List<String> notOptedIn = new ArrayList<>();
    List<String> names =
        Optional.ofNullable(repository.getSpec().getProductionData())
            .map(ProductionDataAccess::getSecretNames)
            .orElse(List.of());
    for (String name : names) {
      Secret secret = client.secrets().inNamespace(ns).withName(name).get();
      if (secret == null) {
        missing.add("Secret " + ns + "/" + name + " (productionData.secretNames)");
      } else if (optedIn(secret)) {
        production.add(secret);
      } else {
        notOptedIn.add(name);
      }
    }
    Optional<String> cloneCredential = Optional.empty();
    SecretKeyRef cloneRef = repository.getSpec().getCloneCredentialRef();
    if (cloneRef != null) {
      cloneCredential = secrets.value(ns, cloneRef);
      if (cloneCredential.isEmpty()) {
        missing.add(SecretReader.describe(ns, cloneRef, "cloneCredentialRef"));
      }
    }
    return new References(production, notOptedIn, cloneCredential, missing);
  }

  /**
   * Naming a Secret in productionData is the repository owner's wish; the label is the Secret
   * owner's consent that branch code may read it. Both are needed, so a typo or a careless name in
   * a repository cannot hand an unrelated credential to every branch.
   */
  static boolean optedIn(Secret secret) {
    var labels = secret.getMetadata().getLabels();
    return labels != null
        && Labels.PRODUCTION_DATA_READ_ONLY.equals(labels.get(Labels.PRODUCTION_DATA));
  }
}
