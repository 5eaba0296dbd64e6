package io.branchflow.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** One branch's isolated Airflow: created on push, removed when the branch is deleted. */
@Group(WorkflowRepository.GROUP)
@Version(WorkflowRepository.VERSION)
@ShortNames({"wfe", "wfenv"})
@AdditionalPrinterColumn(name = "Branch", jsonPath = ".spec.branch")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Revision", jsonPath = ".status.revision")
@AdditionalPrinterColumn(name = "URL", jsonPath = ".status.url")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
@ValidationRule(value = Patterns.ENVIRONMENT_NAME_RULE, message = Patterns.ENVIRONMENT_NAME_MESSAGE)
// kubectl get wfe -o wide: why it is not Ready, or where it waits in the queue.
@AdditionalPrinterColumn(name = "Message", jsonPath = ".status.message", priority = 1)
public class WorkflowEnvironment
    extends CustomResource<WorkflowEnvironmentSpec, WorkflowEnvironmentStatus>
    implements Namespaced {}
