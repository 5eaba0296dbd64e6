package io.branchflow.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class or method that relies on what only kwok's fake node does: pods of any image
 * (even one that never pulls) reported Running and Ready, Jobs completed, a Job whose image tag
 * ends in {@code kwok-exit-1} failed ({@code hack/kwok-stages.yaml}), and so environments reaching
 * {@code Ready}. On a cluster without such a node (plain Kind, where pods really run) those never
 * happen, so the test is skipped there, with the reason, instead of timing out.
 *
 * <p>The test runs when {@link TestCluster#shared()} has a node annotated {@code
 * kwok.x-k8s.io/node=fake}. The private local control plane always has one ({@code kwok-node-0}):
 * there a missing kwok node fails the test rather than skipping it, so a broken control plane
 * cannot turn {@code make test} green by skipping. Tagged {@code kwok}, so {@code
 * -DexcludedGroups=kwok} leaves these tests out and {@code -Dgroups=kwok} runs only them.
 *
 * <pre>{@code
 * @NeedsKwok("waits for environments to become Ready")
 * @ExtendWith(KubernetesClusterExtension.class)
 * class MyE2ETest { ... }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag(NeedsKwok.TAG)
@ExtendWith(KwokNodeCondition.class)
public @interface NeedsKwok {

  /** The JUnit tag every {@code @NeedsKwok} test carries. */
  String TAG = "kwok";

  /** Which kwok-only behaviour the test relies on; shown when the test is skipped. */
  String value();
}
