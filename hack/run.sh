#!/usr/bin/env bash
# `make run`: the operator and the webhook receiver from source against the cluster in
# KUBECONFIG, serving the Branchflow namespace (default branchflow-system), with the CRDs
# installed if missing. The receiver runs in the background and stops with the operator.
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

# A port that is free now: the fixed default unless something already holds it.
free_port() {
  python3 - "$1" <<'PY'
import socket, sys
s = socket.socket()
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}

echo "run: building the operator and the webhook receiver"
./mvnw -B -ntp -q -pl operator,webhook-receiver -am package -DskipTests

LOGS=${BRANCHFLOW_RUN_LOGS:-target/run}
mkdir -p "$LOGS"
RECEIVER_PORT=$(free_port "${RECEIVER_HTTP_PORT:-8082}")
OPERATOR_PORT=$(free_port "${OPERATOR_HTTP_PORT:-8081}")
RECEIVER_HTTP_PORT=$RECEIVER_PORT BRANCHFLOW_NAMESPACE=$NAMESPACE \
  java -Dquarkus.profile=local -jar webhook-receiver/target/quarkus-app/quarkus-run.jar \
  >"$LOGS/receiver.log" 2>&1 &
RECEIVER_PID=$!
trap 'kill "$RECEIVER_PID" 2>/dev/null; wait "$RECEIVER_PID" 2>/dev/null || true' EXIT

# The receiver is ready once it has read the WorkflowRepositories.
for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$RECEIVER_PORT/q/health/ready" >/dev/null 2>&1; then break; fi
  kill -0 "$RECEIVER_PID" 2>/dev/null || { tail -20 "$LOGS/receiver.log" >&2; die "the receiver exited; log: $LOGS/receiver.log"; }
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$RECEIVER_PORT/q/health/ready" >/dev/null 2>&1 \
  || die "the receiver is not ready after 60 s; log: $LOGS/receiver.log"

echo "receiver: http://127.0.0.1:$RECEIVER_PORT"
echo "run:      webhooks go to http://127.0.0.1:$RECEIVER_PORT/webhooks/github (log: $LOGS/receiver.log)"
echo "run: operator watching namespace $NAMESPACE on :$OPERATOR_PORT (Ctrl-C stops both)"
export BRANCHFLOW_WATCH_NAMESPACES=$NAMESPACE OPERATOR_HTTP_PORT=$OPERATOR_PORT
java -Dquarkus.profile=local -jar operator/target/quarkus-app/quarkus-run.jar
