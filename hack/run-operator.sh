#!/usr/bin/env bash
# `make run`: the operator from source against the cluster in KUBECONFIG, watching the
# Branchflow namespace (default branchflow-system), with the CRDs installed if missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

NAMESPACE=${BRANCHFLOW_NAMESPACE:-branchflow-system}
die() { echo "run: $*" >&2; exit 1; }

[ -n "${KUBECONFIG:-}" ] || die "KUBECONFIG is not set; start a cluster with 'make cluster-up' and export what it prints"
[ -f "${KUBECONFIG%%:*}" ] || die "KUBECONFIG names ${KUBECONFIG%%:*}, which does not exist"
KUBECTL=${KUBECTL:-$(command -v kubectl || hack/local-cluster.sh kubectl-path)}

"$KUBECTL" version >/dev/null 2>&1 || die "no cluster answers at KUBECONFIG=$KUBECONFIG"
if ! "$KUBECTL" get crd workflowenvironments.branchflow.io workflowrepositories.branchflow.io >/dev/null 2>&1; then
  echo "run: installing the CRDs from crds/"
  "$KUBECTL" apply --server-side -f crds/ >/dev/null
  "$KUBECTL" wait --for condition=Established --timeout=60s \
    crd/workflowenvironments.branchflow.io crd/workflowrepositories.branchflow.io >/dev/null
fi
"$KUBECTL" create namespace "$NAMESPACE" --dry-run=client -o yaml | "$KUBECTL" apply -f - >/dev/null

echo "run: building the operator"
./mvnw -B -ntp -q -pl operator -am package -DskipTests
echo "run: operator watching namespace $NAMESPACE (Ctrl-C stops it)"
export BRANCHFLOW_WATCH_NAMESPACES=$NAMESPACE
exec java -Dquarkus.profile=local -jar operator/target/quarkus-app/quarkus-run.jar
