#!/usr/bin/env bash
# Builds and runs a local Kubernetes cluster without Docker: a control plane on loopback
# (etcd + kube-apiserver + kube-controller-manager + kube-scheduler), kwok's fake node for scale
# and faults, and one REAL node (kubelet, kube-proxy, containerd, CoreDNS: hack/real-node.sh)
# where pods really run. BRANCHFLOW_REAL_NODE=0 leaves the real node out.
#
#   hack/local-cluster.sh build   build the binaries and the node's images once into the cache
#   hack/local-cluster.sh up      build if needed, start everything, wait until healthy
#   hack/local-cluster.sh down    stop everything this script started, free the ports
#   hack/local-cluster.sh status  print whether it runs and the KUBECONFIG to use
#   hack/local-cluster.sh ctr ... containerd's ctr on the real node (namespace k8s.io)
#
# Everything lives outside the work tree under $BRANCHFLOW_CACHE (default
# ~/.cache/branchflow): binaries in a versioned directory, Go's module and build caches
# beside them, and one state directory per running cluster ($BRANCHFLOW_CLUSTER_DIR,
# default <cache>/cluster). See docs/local-control-plane.md.
set -euo pipefail

# v1.34.11 and .12 are on the module proxy but not (yet) in the checksum database it
# mirrors here; .10 is the newest 1.34 patch that verifies, and we keep verification on.
K8S_VERSION=v1.34.10
ETCD_VERSION=v3.5.35
KWOK_VERSION=v0.7.0
COREDNS_VERSION=v1.12.4
KNP_VERSION=v0.8.0

HACK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${BRANCHFLOW_CACHE:-$HOME/.cache/branchflow}
BIN_DIR=$CACHE/bin/k8s-$K8S_VERSION-etcd-$ETCD_VERSION-kwok-$KWOK_VERSION
NODE_BIN_DIR=$CACHE/bin/node-k8s-$K8S_VERSION-coredns-$COREDNS_VERSION
CLUSTER_DIR=${BRANCHFLOW_CLUSTER_DIR:-$CACHE/cluster}
BINARIES=(etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok)
NODE_BINARIES=(kubelet kube-proxy coredns kube-network-policies)
K8S_COMMANDS=(kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet kube-proxy)

export GOTOOLCHAIN=local
export GOMODCACHE=${GOMODCACHE_OVERRIDE:-$CACHE/go/mod}
export GOCACHE=${GOCACHE_OVERRIDE:-$CACHE/go/build}
export GOFLAGS=-mod=mod
export CGO_ENABLED=0

BUILD_LOG=$CACHE/build.log

# Go's own output (hundreds of "downloading" lines) goes to a log; we print progress.
gorun() {
  "$@" >>"$BUILD_LOG" 2>&1 || {
    tail -n 40 "$BUILD_LOG" >&2
    die "failed: $* (full log: $BUILD_LOG)"
  }
}

KWOK_POD_CIDR=198.18.0.0/24
KWOK_POD_GATEWAY=198.18.0.1
log() { printf '[local-cluster] %s\n' "$*" >&2; }
die() { printf '[local-cluster] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------- build

require_go() {
  command -v go >/dev/null 2>&1 ||
    die "Go is not installed or not on PATH; it is needed once to build the control plane (Go >= 1.24)."
  local v
  v=$(go env GOVERSION | sed 's/^go//')
  case "$(printf '%s\n%s\n' "1.24" "$v" | sort -V | head -1)" in
    1.24) ;;
    *) die "Go $v is too old: Kubernetes $K8S_VERSION needs Go >= 1.24." ;;
  esac
}

built() {
  local b
  for b in "${BINARIES[@]}"; do [ -x "$BIN_DIR/$b" ] || return 1; done
  for b in "${NODE_BINARIES[@]}"; do [ -x "$NODE_BIN_DIR/$b" ] || return 1; done
}

# Where a Kubernetes command's binary goes: the control plane's or the real node's directory.
k8s_bin() {
  case "$1" in
    kubelet | kube-proxy) echo "$NODE_BIN_DIR/$1" ;;
    *) echo "$BIN_DIR/$1" ;;
  esac
}

# Version ldflags: without them /version reports v0.0.0 and kubectl/kwok complain.
k8s_ldflags() {
  local minor date
  minor=$(echo "$K8S_VERSION" | cut -d. -f2)
  date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  local flags="-s -w"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    flags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    flags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$date"
  done
  echo "$flags"
}

# k8s.io/kubernetes cannot be `go install`ed: its go.mod points its staging modules at
# ./staging with replace lines. A wrapper module replaces each with the published
# k8s.io/<name> v0.<minor>.<patch>, derived from that release's own go.mod.
build_kubernetes() {
  local src=$CACHE/src/kubernetes-$K8S_VERSION staging_version gomod
  staging_version=v0.${K8S_VERSION#v1.}
  mkdir -p "$src"
  log "fetching k8s.io/kubernetes@$K8S_VERSION go.mod"
  local info
  info=$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" 2>&1) || true
  gomod=$(sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p' <<<"$info")
  if [ -z "$gomod" ] || [ ! -f "$gomod" ] || grep -q '"Error"' <<<"$info"; then
    die "could not download k8s.io/kubernetes@$K8S_VERSION from the Go module proxy ($(go env GOPROXY)): $(grep -o '"Error": "[^"]*"' <<<"$info")"
  fi
  (
    cd "$src"
    rm -f go.mod go.sum
    go mod init branchflow.local/k8s-wrapper >/dev/null 2>&1
    go mod edit -go="$(sed -n 's/^go //p' "$gomod")"
    go mod edit -require="k8s.io/kubernetes@$K8S_VERSION"
    local name
    # shellcheck disable=SC2013 # the names are [a-z0-9-]: no whitespace to split on
    for name in $(sed -n 's#^[[:space:]]*k8s.io/\([a-z0-9-]*\) => ./staging/src/k8s.io/\1$#\1#p' "$gomod"); do
      go mod edit -replace="k8s.io/$name=k8s.io/$name@$staging_version"
    done
    grep '^godebug' "$gomod" >>go.mod || true
    cat >tools.go <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubectl"
	_ "k8s.io/kubernetes/cmd/kubelet"
	_ "k8s.io/kubernetes/cmd/kube-proxy"
)
GO
    log "resolving Kubernetes module graph ($(grep -c '=>' go.mod) staging replaces)"
    gorun go mod tidy
    local ldflags cmd
    ldflags=$(k8s_ldflags)
    for cmd in "${K8S_COMMANDS[@]}"; do
      [ -x "$(k8s_bin "$cmd")" ] && continue
      log "building $cmd $K8S_VERSION (this takes minutes on 2 cores)"
      gorun go build -trimpath -ldflags "$ldflags" -o "$(k8s_bin "$cmd")" "k8s.io/kubernetes/cmd/$cmd"
    done
  )
}

# etcd's server module has ../api style replaces; a wrapper that requires it builds fine.
build_etcd() {
  local src=$CACHE/src/etcd-$ETCD_VERSION
  mkdir -p "$src"
  (
    cd "$src"
    rm -f go.mod go.sum
    go mod init branchflow.local/etcd-wrapper >/dev/null 2>&1
    go mod edit -require="go.etcd.io/etcd/server/v3@$ETCD_VERSION"
    cat >tools.go <<'GO'
//go:build tools

package tools

import _ "go.etcd.io/etcd/server/v3"
GO
    log "resolving etcd $ETCD_VERSION module graph"
    gorun go mod tidy
    log "building etcd $ETCD_VERSION"
    gorun go build -trimpath -ldflags "-s -w" -o "$BIN_DIR/etcd" go.etcd.io/etcd/server/v3
  )
}

build_kwok() {
  log "building kwok $KWOK_VERSION"
  GOBIN=$BIN_DIR gorun go install -trimpath -ldflags "-s -w" "sigs.k8s.io/kwok/cmd/kwok@$KWOK_VERSION"
}

# CoreDNS runs on the host for the real node, with only its kubernetes plugin: it answers
# cluster names and nothing else (no forward plugin, so no lookup ever leaves the machine).
build_coredns() {
  log "building coredns $COREDNS_VERSION"
  GOBIN=$NODE_BIN_DIR gorun go install -trimpath -ldflags "-s -w" "github.com/coredns/coredns@$COREDNS_VERSION"
}

# The real node's NetworkPolicy agent (docs/real-node.md), from the module's source with
# hack/node/kube-network-policies.patch applied: the patch sends packets to the agent through
# the xtables NFQUEUE target (this kernel lacks nftables' own queue expression) and adds
# --kubeconfig, so the agent runs as a host process with its own identity.
build_kube_network_policies() {
  local src=$CACHE/src/kube-network-policies-$KNP_VERSION info dir
  log "building kube-network-policies $KNP_VERSION (patched: hack/node/kube-network-policies.patch)"
  info=$(go mod download -json "sigs.k8s.io/kube-network-policies@$KNP_VERSION" 2>&1) || true
  dir=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p' <<<"$info")
  [ -n "$dir" ] && [ -d "$dir" ] ||
    die "could not download sigs.k8s.io/kube-network-policies@$KNP_VERSION from the Go module proxy ($(go env GOPROXY)): $(grep -o '"Error": "[^"]*"' <<<"$info")"
  rm -rf "$src"
  mkdir -p "$(dirname "$src")"
  cp -r "$dir" "$src"
  chmod -R u+w "$src"
  patch -s -d "$src" -p1 <"$HACK_DIR/node/kube-network-policies.patch" || die "hack/node/kube-network-policies.patch does not apply to $KNP_VERSION"
  (cd "$src" && gorun go build -trimpath -ldflags "-s -w" -o "$NODE_BIN_DIR/kube-network-policies" ./cmd)
}

cmd_build() {
  if built; then
    log "binaries cached in $BIN_DIR and $NODE_BIN_DIR"
    return 0
  fi
  require_go
  mkdir -p "$BIN_DIR" "$NODE_BIN_DIR"
  log "building the control plane into $BIN_DIR and the real node into $NODE_BIN_DIR (Go output: $BUILD_LOG)"
  local start=$SECONDS
  [ -x "$BIN_DIR/etcd" ] || build_etcd
  [ -x "$BIN_DIR/kwok" ] || build_kwok
  for b in "${K8S_COMMANDS[@]}"; do
    [ -x "$(k8s_bin "$b")" ] || { build_kubernetes; break; }
  done
  [ -x "$NODE_BIN_DIR/coredns" ] || build_coredns
  [ -x "$NODE_BIN_DIR/kube-network-policies" ] || build_kube_network_policies
  built || die "build finished but binaries are missing in $BIN_DIR or $NODE_BIN_DIR"
  log "built ${BINARIES[*]} ${NODE_BINARIES[*]} in $((SECONDS - start))s"
}

cmd_build_all() {
  cmd_build
  if real_node_wanted; then
    "$HACK_DIR/images.sh" build
  fi
}

# ---------------------------------------------------------------------------- run

# shellcheck source=hack/real-node.sh
. "$HACK_DIR/real-node.sh"

PIDS=$CLUSTER_DIR/pids
KUBECONFIG_FILE=$CLUSTER_DIR/kubeconfig

free_ports() {
  # Bind N sockets at once so the kernel hands out N distinct free ports.
  python3 - "$1" <<'PY'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
PY
}

gen_certs() {
  local d=$CLUSTER_DIR/pki
  mkdir -p "$d"
  (
    cd "$d"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=branchflow-local-ca" \
      -keyout ca.key -out ca.crt 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=kube-apiserver" -keyout apiserver.key -out apiserver.csr 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,IP:10.96.0.1,IP:10.244.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\nextendedKeyUsage=serverAuth\n' >apiserver.ext
    openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 \
      -extfile apiserver.ext -out apiserver.crt 2>/dev/null
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    rm -f ./*.csr ./*.ext ca.srl
  )
  # system:masters is the cluster-admin group; every local component and the tests use it.
  client_cert admin "/O=system:masters/CN=branchflow-admin"
}

# client_cert NAME SUBJECT: pki/NAME.{key,crt}, a client certificate signed by the cluster's CA.
client_cert() {
  local d=$CLUSTER_DIR/pki
  openssl req -newkey rsa:2048 -nodes -subj "$2" -keyout "$d/$1.key" -out "$d/$1.csr" 2>/dev/null
  openssl x509 -req -in "$d/$1.csr" -CA "$d/ca.crt" -CAkey "$d/ca.key" -CAcreateserial -days 3650 \
    -extfile <(printf 'extendedKeyUsage=clientAuth\n') -out "$d/$1.crt" 2>/dev/null
  rm -f "$d/$1.csr" "$d/ca.srl"
}

# write_kubeconfig FILE PORT CERT: a kubeconfig for the API server on loopback PORT, as the
# client certificate pki/CERT.{crt,key}; the context is branchflow-local.
write_kubeconfig() {
  local file=$1 port=$2 cert=$3 d=$CLUSTER_DIR/pki
  cat >"$file" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: branchflow-local
  cluster:
    server: https://127.0.0.1:$port
    certificate-authority: $d/ca.crt
users:
- name: branchflow-$cert
  user:
    client-certificate: $d/$cert.crt
    client-key: $d/$cert.key
contexts:
- name: branchflow-local
  context: {cluster: branchflow-local, user: branchflow-$cert, namespace: default}
current-context: branchflow-local
YAML
}

start_proc() {
  local name=$1; shift
  setsid "$@" >"$CLUSTER_DIR/logs/$name.log" 2>&1 </dev/null &
  echo "$name $!" >>"$PIDS"
}

running() {
  [ -f "$PIDS" ] || return 1
  local name pid
  while read -r name pid; do kill -0 "$pid" 2>/dev/null || return 1; done <"$PIDS"
}

# wait_for DESCRIPTION TIMEOUT_SECONDS COMMAND...
wait_for() {
  local what=$1 timeout=$2; shift 2
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      log "timed out after ${timeout}s waiting for $what; last log lines:"
      tail -n 15 "$CLUSTER_DIR"/logs/*.log >&2 || true
      return 1
    fi
    if ! running; then
      log "a component exited while waiting for $what; last log lines:"
      tail -n 15 "$CLUSTER_DIR"/logs/*.log >&2 || true
      return 1
    fi
    sleep 0.5
  done
}

kc() { "$BIN_DIR/kubectl" --kubeconfig "$KUBECONFIG_FILE" "$@"; }

node_ready() {
  [ "$(kc get node kwok-node-0 -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" = True ]
}

cmd_up() {
  if running; then
    log "already running"
    cmd_status
    return 0
  fi
  cmd_build_all
  real_node_wanted && node_require
  cmd_down >/dev/null 2>&1 || true
  local start=$SECONDS
  rm -rf "$CLUSTER_DIR"
  mkdir -p "$CLUSTER_DIR/logs" "$CLUSTER_DIR/etcd"
  # Before anything starts: a machine has one real node, and another cluster may hold it.
  real_node_wanted && node_claim
  trap 'log "start failed; stopping what was started"; cmd_down >/dev/null 2>&1' ERR
  gen_certs
  local etcd_port etcd_peer api_port kcm_port sched_port kwok_port pki=$CLUSTER_DIR/pki
  read -r etcd_port etcd_peer api_port kcm_port sched_port kwok_port <<<"$(free_ports 6)"
  write_kubeconfig "$KUBECONFIG_FILE" "$api_port" admin
  log "starting etcd on 127.0.0.1:$etcd_port"
  start_proc etcd "$BIN_DIR/etcd" --name local --data-dir "$CLUSTER_DIR/etcd" \
    --listen-client-urls "http://127.0.0.1:$etcd_port" --advertise-client-urls "http://127.0.0.1:$etcd_port" \
    --listen-peer-urls "http://127.0.0.1:$etcd_peer" --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
    --initial-cluster "local=http://127.0.0.1:$etcd_peer" --listen-metrics-urls "" \
    --unsafe-no-fsync --log-level warn
  wait_for etcd 30 curl -fsS "http://127.0.0.1:$etcd_port/health"
  # With a real node, pods reach the API server as kubernetes.default at the node's bridge
  # address, which hack/real-node.sh carries to loopback and publishes as the Service's endpoint.
  # No endpoint reconciler: the lease one holds the API server up for 20 s at shutdown.
  local advertise=(--advertise-address 127.0.0.1 --endpoint-reconciler-type none)
  real_node_wanted && advertise=(--advertise-address "$NODE_IP" --endpoint-reconciler-type none)
  log "starting kube-apiserver on https://127.0.0.1:$api_port"
  start_proc kube-apiserver "$BIN_DIR/kube-apiserver" \
    --etcd-servers "http://127.0.0.1:$etcd_port" --bind-address 127.0.0.1 --secure-port "$api_port" \
    "${advertise[@]}" --cert-dir "$pki" \
    --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" \
    --client-ca-file "$pki/ca.crt" --authorization-mode Node,RBAC \
    --enable-admission-plugins NodeRestriction \
    --kubelet-client-certificate "$pki/admin.crt" --kubelet-client-key "$pki/admin.key" \
    --kubelet-preferred-address-types InternalIP,Hostname \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
    --service-cluster-ip-range 10.96.0.0/12 --allow-privileged=true \
    --enable-priority-and-fairness=false
  wait_for kube-apiserver 90 curl -fsS --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key" \
    "https://127.0.0.1:$api_port/readyz"
  log "starting kube-controller-manager, kube-scheduler and kwok"
  # Each controller's client is rate-limited on its side (default 20 requests/s, burst 30). With
  # a hundred environments created at once, the persistentvolume-binder (two volumes each, ~15
  # requests per environment) then waits seconds per request, logged as "client-side throttling",
  # and sets how fast environments become Ready, not the operator or the API server. Managed
  # clusters run their volume provisioners with their own, higher limits. BRANCHFLOW_KCM_API_QPS
  # sets it (burst twice that); 20 is the upstream default (docs/benchmarks.md).
  local KCM_API_QPS=${BRANCHFLOW_KCM_API_QPS:-100}
  [[ "$KCM_API_QPS" =~ ^[1-9][0-9]*$ ]] || die "BRANCHFLOW_KCM_API_QPS must be a positive integer, not '$KCM_API_QPS'"
  start_proc kube-controller-manager "$BIN_DIR/kube-controller-manager" \
    --kubeconfig "$KUBECONFIG_FILE" --authentication-kubeconfig "$KUBECONFIG_FILE" \
    --authorization-kubeconfig "$KUBECONFIG_FILE" \
    --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
    --service-cluster-ip-range 10.96.0.0/12 --cluster-cidr 10.244.0.0/16 --allocate-node-cidrs=false \
    --leader-elect=false --bind-address 127.0.0.1 --secure-port "$kcm_port" \
    --concurrent-namespace-syncs 10 --concurrent-gc-syncs 20 \
    --kube-api-qps "$KCM_API_QPS" --kube-api-burst "$((KCM_API_QPS * 2))" \
    --enable-hostpath-provisioner=true
  # A pod the scheduler found unschedulable waits for a cluster event that may fit it; when that
  # event slips past (a volume bound just before the pod was parked), it waited the default 5 min
  # (seen: 3 min for an environment's database). 20 s bounds that on this busy test cluster.
  start_proc kube-scheduler "$BIN_DIR/kube-scheduler" \
    --kubeconfig "$KUBECONFIG_FILE" --authentication-kubeconfig "$KUBECONFIG_FILE" \
    --authorization-kubeconfig "$KUBECONFIG_FILE" \
    --leader-elect=false --bind-address 127.0.0.1 --secure-port "$sched_port" \
    --pod-max-in-unschedulable-pods-duration=20s
  # kwok's pods get addresses from a range reserved for benchmarks (RFC 2544) that routes nowhere
  # here: anything that tries to reach a fake pod (the API server's proxy, a probe) fails at
  # once on this machine instead of sending packets out of it.
  ip route replace blackhole "$KWOK_POD_CIDR"
  start_proc kwok "$BIN_DIR/kwok" --kubeconfig "$KUBECONFIG_FILE" \
    --cidr "$KWOK_POD_GATEWAY/${KWOK_POD_CIDR#*/}" \
    --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
    --config "$HACK_DIR/kwok-stages.yaml" \
    --node-lease-duration-seconds 40 \
    --server-address "127.0.0.1:$kwok_port"
  # A fake node, untainted so workloads under test need no toleration; kwok keeps it Ready.
  kc apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-0
  annotations: {kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: "0"}
  labels: {kubernetes.io/hostname: kwok-node-0, kubernetes.io/os: linux, kubernetes.io/arch: amd64, type: kwok, branchflow.io/node-kind: kwok}
status:
  allocatable: {cpu: "1024", memory: 4Ti, pods: "6000"}
  capacity: {cpu: "1024", memory: 4Ti, pods: "6000"}
YAML
  # The controller-manager's test-only hostPath provisioner binds PersistentVolumeClaims
  # (pods never run, so nothing is written to those paths).
  kc apply -f - >/dev/null <<YAML
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: standard
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: kubernetes.io/host-path
reclaimPolicy: Delete
volumeBindingMode: Immediate
YAML
  wait_for "the kwok node to be Ready" 60 node_ready
  # Pods can only be created once the controller-manager has made the default ServiceAccount.
  wait_for "the default ServiceAccount" 60 kc get serviceaccount default -n default
  if real_node_wanted; then
    node_up "$api_port"
    # The production-warehouse stand-in on the bridge, and its read-only login as the Secret
    # warehouse-readonly that WorkflowRepositories list under productionData.
    log "real node: starting the warehouse stand-in (hack/warehouse.sh)"
    "$HACK_DIR/warehouse.sh" up >>"$CLUSTER_DIR/logs/warehouse.log" 2>&1 || {
      tail -n 20 "$CLUSTER_DIR/logs/warehouse.log" >&2
      return 1
    }
    kc create namespace branchflow-system --dry-run=client -o yaml | kc apply -f - >/dev/null
    "$HACK_DIR/warehouse.sh" secret-yaml branchflow-system | kc apply -f - >/dev/null
  fi
  trap - ERR
  log "healthy in $((SECONDS - start))s"
  cmd_status
}

# alive PID: running, not a zombie. Our processes outlive the script that started them, so their
# parent is PID 1, which may reap them seconds after they exit.
alive() {
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [ "${state:0:1}" != Z ]
}

# stop_group PID...: SIGTERM to each process group, SIGKILL after 20 s.
stop_group() {
  local pid
  for pid in "$@"; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
  local deadline=$((SECONDS + 20))
  for pid in "$@"; do
    while alive "$pid"; do
      if [ $SECONDS -ge $deadline ]; then kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; fi
      sleep 0.2
    done
  done
}

cmd_down() {
  if [ ! -f "$PIDS" ]; then
    # A cluster that crashed may still have left its real node's network and mounts.
    [ -d "$NODE_DIR" ] && node_cleanup
    pgrep -x kwok >/dev/null || ip route del blackhole "$KWOK_POD_CIDR" 2>/dev/null || true
    log "not running"
    return 0
  fi
  local name pid pids=()
  # The kubelet first, then the real node's containers while containerd still answers: the
  # kubelet would restart them, and it does not stop pods when it exits.
  while read -r name pid; do [ "$name" = kubelet ] && stop_group "$pid"; done <"$PIDS"
  node_down_containers
  # Stop in reverse start order so nothing reconnects to a dead API server.
  while read -r name pid; do pids=("$pid" "${pids[@]}"); done <"$PIDS"
  stop_group "${pids[@]}"
  rm -f "$PIDS"
  # The route is the machine's; another local cluster's kwok may still need it.
  pgrep -x kwok >/dev/null || ip route del blackhole "$KWOK_POD_CIDR" 2>/dev/null || true
  if [ -d "$NODE_DIR" ] || [ "$(cat "$NODE_OWNER" 2>/dev/null)" = "$CLUSTER_DIR" ]; then
    node_cleanup
  fi
  log "stopped"
}

cmd_status() {
  if running; then
    echo "running: $(cut -d' ' -f1 "$PIDS" | tr '\n' ' ')"
    echo "export KUBECONFIG=$KUBECONFIG_FILE"
    echo "kubectl: $BIN_DIR/kubectl"
    if [ -S "$NODE_SOCK" ]; then
      echo "real node: $NODE_NAME ($NODE_LABEL_KEY=real, taint $NODE_TAINT_KEY=true:NoSchedule; containerd: $0 ctr ...)"
    fi
  else
    echo "not running"
    return 1
  fi
}

case "${1:-}" in
  build) cmd_build_all ;;
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  kubectl-path) echo "$BIN_DIR/kubectl" ;;
  ctr)
    shift
    [ -S "$NODE_SOCK" ] || die "no real node runs for the cluster in $CLUSTER_DIR"
    ctr_k8s "$@"
    ;;
  *) echo "usage: $0 build|up|down|status|kubectl-path|ctr ARGS..." >&2; exit 2 ;;
esac
