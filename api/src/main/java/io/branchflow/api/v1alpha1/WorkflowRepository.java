package io.branchflow.api.v1alpha1;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One DAG repository, registered by a platform engineer: the policy that a branch push may not
 * change (template, production data access, limits, notifications).
 */
@Group(WorkflowRepository.GROUP)
@Version(WorkflowRepository.VERSION)
@ShortNames({"wfrepo"})
public class WorkflowRepository
    extends CustomResource<WorkflowRepositorySpec, WorkflowRepositoryStatus> implements Namespaced {

  public static final String GROUP = "branchflow.io";
  public static final String VERSION = "v1alpha1";
}
