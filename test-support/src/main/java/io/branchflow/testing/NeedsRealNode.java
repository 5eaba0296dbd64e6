package io.branchflow.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test that needs pods to really run, with the images of {@code hack/images.sh} and the processes
 * on this machine: the local cluster's real node. The local cluster always has one (its start fails
 * otherwise), so there these tests always run; on another cluster (Kind in CI) they are skipped,
 * because its nodes neither have our images nor run on this machine.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("real-node")
@ExtendWith(KubernetesClusterExtension.class)
@ExtendWith(NeedsRealNode.Condition.class)
public @interface NeedsRealNode {

  /** Disables the test when the cluster has no node labelled as Branchflow's real node. */
  final class Condition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return RealNode.presentIn(TestCluster.shared().client())
          ? ConditionEvaluationResult.enabled("the cluster has a real node")
          : ConditionEvaluationResult.disabled(
              "no node labelled "
                  + RealNode.KIND_LABEL
                  + "=real: this cluster is not the local one with hack/real-node.sh");
    }
  }
}
