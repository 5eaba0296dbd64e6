#!/usr/bin/env bash
# `make bench`: measures the webhook receiver and the operator on a local control plane (or the
# cluster in KUBECONFIG) and prints a Markdown table; every figure goes to
# target/bench/bench-<timestamp>.json and target/bench/latest.json. Numbers, not a test: nothing
# here fails on a threshold. What is measured and how: docs/benchmarks.md.
#
# With KUBECONFIG unset it starts its own control plane (state in BRANCHFLOW_CLUSTER_DIR,
# default ~/.cache/branchflow/bench-cluster) and stops it at the end, like `make demo`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
START=$SECONDS
OUT=$ROOT/target/bench
mkdir -p "$OUT"
log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }

OWN_CLUSTER=false
cleanup() {
  local code=$?
  if [ "$OWN_CLUSTER" = true ]; then
    log "stopping the bench control plane"
    hack/local-cluster.sh down >/dev/null 2>&1 || true
  fi
  log "done in $((SECONDS - START)) s (exit $code)"
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "building the operator, the webhook receiver and the bench harness"
./mvnw -B -ntp -q -Pbench -pl operator,webhook-receiver,bench -am package -DskipTests \
  >"$OUT/build.log" 2>&1 || { tail -30 "$OUT/build.log" >&2; die "the build failed (log: $OUT/build.log)"; }

if [ -z "${KUBECONFIG:-}" ]; then
  CACHE=${BRANCHFLOW_CACHE:-$HOME/.cache/branchflow}
  export BRANCHFLOW_CLUSTER_DIR=${BRANCHFLOW_BENCH_CLUSTER_DIR:-$CACHE/bench-cluster}
  log "KUBECONFIG is not set: starting a local control plane in $BRANCHFLOW_CLUSTER_DIR"
  hack/local-cluster.sh down >/dev/null 2>&1 || true
  # Every figure but the last row is measured on kwok's node; the real node (root only, and a
  # machine has only one, which a running cluster may hold) gives the push -> Airflow row.
  # BRANCHFLOW_REAL_NODE=0 leaves it out and that row says why.
  if [ -z "${BRANCHFLOW_REAL_NODE:-}" ]; then
    if [ "$(id -u)" = 0 ]; then BRANCHFLOW_REAL_NODE=1; else BRANCHFLOW_REAL_NODE=0; fi
  fi
  export BRANCHFLOW_REAL_NODE
  OWN_CLUSTER=true

  hack/local-cluster.sh up >"$OUT/cluster.log" 2>&1 || { tail -30 "$OUT/cluster.log" >&2; die "the control plane did not start"; }
  export KUBECONFIG=$BRANCHFLOW_CLUSTER_DIR/kubeconfig
  KUBECTL=$(hack/local-cluster.sh kubectl-path)
else
  log "using the cluster in KUBECONFIG=$KUBECONFIG (namespaces bf-bench-* are created and deleted)"
  KUBECTL=${KUBECTL:-$(command -v kubectl || hack/local-cluster.sh kubectl-path)}
fi
export KUBECTL

log "installing the CRDs"
"$KUBECTL" apply --server-side -f crds/ >/dev/null
"$KUBECTL" wait --for condition=Established --timeout=60s \
  crd/workflowenvironments.branchflow.io crd/workflowrepositories.branchflow.io >/dev/null

if [ "${BRANCHFLOW_REAL_NODE:-1}" != 0 ]; then
  # The images hack/local-cluster.sh imported into the real node (built from Debian and PyPI).
  BENCH_AIRFLOW_IMAGE=${BENCH_AIRFLOW_IMAGE:-$(hack/images.sh list | grep '/airflow:')}
  BENCH_POSTGRES_IMAGE=${BENCH_POSTGRES_IMAGE:-$(hack/images.sh list | grep '/postgresql:')}
  export BENCH_AIRFLOW_IMAGE BENCH_POSTGRES_IMAGE
fi

BENCH_GIT_COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD 2>/dev/null || BENCH_GIT_COMMIT="$BENCH_GIT_COMMIT-dirty"
BENCH_PROJECT_VERSION=$(sed -n 's|^  <version>\(.*\)</version>|\1|p' pom.xml | head -1)
export BENCH_GIT_COMMIT BENCH_PROJECT_VERSION

log "running (log lines below; the operator's and receiver's logs go to target/bench/)"
# The load generator: a JVM of its own, apart from the operator and the receiver it measures.
java -Xmx1g -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "bench/target/classes:$(cat bench/target/classpath.txt)" io.branchflow.bench.Bench "$ROOT"
