# shellcheck shell=bash
# The local cluster's REAL node, sourced by hack/local-cluster.sh (not run on its own).
#
# Beside kwok's fake node, one node where pods really run: containerd + runc + the CNI bridge
# plugin from Debian, kubelet and kube-proxy built from the same k8s.io/kubernetes module as the
# control plane, CoreDNS on the host, images built by hack/images.sh and imported (nothing is
# pulled: this machine reaches no registry). See docs/real-node.md for every decision.
#
# A machine holds ONE real node at a time: the bridge, kube-proxy's iptables chains and the
# containerd root are machine-wide. The cluster that holds it is written to $NODE_OWNER; a
# second cluster asking for one fails with a clear message (BRANCHFLOW_REAL_NODE=0 starts a
# kwok-only cluster). Everything else lives in the cluster's state directory, and `down`
# removes every process, container, mount, bridge, iptables rule and cgroup it made.
#
# Network: pods sit on our own bridge $NODE_BRIDGE (10.244.0.0/24, gateway 10.244.0.1, which is
# also the node's address). Forwarding in or out of that bridge to any other interface is
# dropped (mangle FORWARD, IPv4 and IPv6), so no pod packet ever leaves the machine; CoreDNS has
# no forward plugin and answers cluster names only. NetworkPolicies are enforced by
# kube-network-policies, a host process (nftables table $NODE_NFT_TABLE, packets judged through
# an NFQUEUE): without an agent a policy is only an object.

NODE_NAME=real-node-0
NODE_BRIDGE=bfcni0
NODE_CIDR=10.244.0.0/24
NODE_IP=10.244.0.1
NODE_LABEL_KEY=branchflow.io/node-kind
NODE_TAINT_KEY=branchflow.io/real-node
NODE_RULE_COMMENT=branchflow-real-node
NODE_DIR=$CLUSTER_DIR/node
# Images survive clusters: containerd's root (content, snapshots) is kept in the cache, so an
# image is imported once per build, not once per cluster.
NODE_CONTAINERD_ROOT=$CACHE/node/containerd-root
# Machine-wide, like the bridge and the iptables rules it guards (whatever the cache directory),
# and gone after a reboot, as they are.
NODE_MACHINE_STATE=/run/branchflow-real-node
NODE_OWNER=$NODE_MACHINE_STATE/owner
NODE_SOCK=$NODE_DIR/containerd.sock
NODE_PACKAGES=(containerd runc containernetworking-plugins iptables socat conntrack nftables)
# kube-network-policies' table (its default name); down deletes it even when the agent crashed.
NODE_NFT_TABLE=kube-network-policies
CNI_BIN_DIR=/usr/lib/cni

# BRANCHFLOW_REAL_NODE: 1 (default) starts the real node; 0 starts a kwok-only cluster.
real_node_wanted() { [ "${BRANCHFLOW_REAL_NODE:-1}" != 0 ]; }

ctr_k8s() { ctr --address "$NODE_SOCK" -n k8s.io "$@"; }

node_require() {
  [ "$(id -u)" = 0 ] ||
    die "the real node needs root (containerd, a bridge, iptables, mounts); BRANCHFLOW_REAL_NODE=0 starts a kwok-only cluster"
  local missing=() p
  for p in "${NODE_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    command -v apt-get >/dev/null || die "the real node needs the Debian packages ${missing[*]}"
    log "installing Debian packages for the real node: ${missing[*]}"
    # Package lists may be missing or stale on a new machine: update once and retry.
    {
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" ||
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; }
    } >>"$BUILD_LOG" 2>&1 || die "apt-get install ${missing[*]} failed (log: $BUILD_LOG)"
  fi
  [ -x "$CNI_BIN_DIR/bridge" ] || die "the CNI bridge plugin is missing in $CNI_BIN_DIR (package containernetworking-plugins)"
  [ -e /proc/sys/net/bridge/bridge-nf-call-iptables ] ||
    die "this kernel has no br_netfilter: Service traffic between pods on one bridge cannot be NATed"
}

# Refuses a second real node on this machine; clears what a crashed owner left behind.
node_claim() {
  mkdir -p "$NODE_MACHINE_STATE"
  if [ -f "$NODE_OWNER" ]; then
    local owner
    owner=$(cat "$NODE_OWNER")
    if [ "$owner" != "$CLUSTER_DIR" ] && CLUSTER_DIR=$owner PIDS=$owner/pids running; then
      die "this machine's real node belongs to the running cluster in $owner; stop it (BRANCHFLOW_CLUSTER_DIR=$owner $0 down) or start this one with BRANCHFLOW_REAL_NODE=0"
    fi
    log "clearing what the real node of a stopped cluster ($owner) left behind"
    node_cleanup "$owner"
  fi
  echo "$CLUSTER_DIR" >"$NODE_OWNER"
}

node_gen_certs() {
  # The kubelet as the Node authorizer expects it; kube-proxy as the user system:node-proxier binds.
  client_cert kubelet "/O=system:nodes/CN=system:node:$NODE_NAME"
  client_cert kube-proxy "/CN=system:kube-proxy"
  client_cert kube-network-policies "/CN=system:kube-network-policies"
}

# What the NetworkPolicy agent reads (its upstream DaemonSet's ClusterRole), bound to its user.
node_netpol_rbac() {
  kc apply --server-side --field-manager branchflow-local-cluster -f - >/dev/null <<YAML
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: branchflow-kube-network-policies}
rules:
- {apiGroups: [""], resources: [pods, namespaces], verbs: [list, watch]}
- {apiGroups: [networking.k8s.io], resources: [networkpolicies], verbs: [list, watch]}
- {apiGroups: ["", events.k8s.io], resources: [events], verbs: [create, patch, update]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: branchflow-kube-network-policies}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: branchflow-kube-network-policies}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: User, name: "system:kube-network-policies"}
YAML
}

node_netpol_ready() {
  nft list table inet "$NODE_NFT_TABLE" >/dev/null 2>&1
}

# Our own bridge, forwarding fenced to it, br_netfilter on (Service NAT between pods on the bridge).
node_network_up() {
  if ! ip link show "$NODE_BRIDGE" >/dev/null 2>&1; then
    ip link add "$NODE_BRIDGE" type bridge
  fi
  ip addr replace "$NODE_IP/24" dev "$NODE_BRIDGE"
  ip link set "$NODE_BRIDGE" up
  # Saved once, restored by down: the values this machine had before any real node.
  [ -f "$NODE_MACHINE_STATE/sysctl.saved" ] || {
    printf 'net.ipv4.ip_forward=%s\nnet.bridge.bridge-nf-call-iptables=%s\nnet.bridge.bridge-nf-call-ip6tables=%s\n' \
      "$(sysctl -n net.ipv4.ip_forward)" "$(sysctl -n net.bridge.bridge-nf-call-iptables)" \
      "$(sysctl -n net.bridge.bridge-nf-call-ip6tables)" >"$NODE_MACHINE_STATE/sysctl.saved"
  }
  sysctl -q -w net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1 net.bridge.bridge-nf-call-ip6tables=1
  local ipt
  for ipt in iptables ip6tables; do
    # Inserted first in mangle FORWARD, before anything kube-proxy adds: nothing forwarded may
    # enter or leave the bridge through another interface. Traffic within the bridge (pod to
    # pod, also after Service DNAT) and to the host itself (INPUT) is not forwarding.
    "$ipt" -w -t mangle -C FORWARD -i "$NODE_BRIDGE" ! -o "$NODE_BRIDGE" -m comment --comment "$NODE_RULE_COMMENT" -j DROP 2>/dev/null ||
      "$ipt" -w -t mangle -I FORWARD 1 -i "$NODE_BRIDGE" ! -o "$NODE_BRIDGE" -m comment --comment "$NODE_RULE_COMMENT" -j DROP
    "$ipt" -w -t mangle -C FORWARD ! -i "$NODE_BRIDGE" -o "$NODE_BRIDGE" -m comment --comment "$NODE_RULE_COMMENT" -j DROP 2>/dev/null ||
      "$ipt" -w -t mangle -I FORWARD 1 ! -i "$NODE_BRIDGE" -o "$NODE_BRIDGE" -m comment --comment "$NODE_RULE_COMMENT" -j DROP
  done
}

node_write_configs() {
  local api_port=$1 kubelet_port=$2 kubelet_healthz=$3 proxy_healthz=$4 proxy_metrics=$5 dns_health=$6 dns_ready=$7
  mkdir -p "$NODE_DIR"/{cni/net.d,cni/ipam,kubelet,pod-logs,containerd-state} "$NODE_CONTAINERD_ROOT" "$CACHE/node/opt"
  cat >"$NODE_DIR/cni/net.d/10-branchflow.conflist" <<JSON
{
  "cniVersion": "1.0.0",
  "name": "branchflow",
  "plugins": [
    {
      "type": "bridge",
      "bridge": "$NODE_BRIDGE",
      "isGateway": true,
      "ipMasq": false,
      "hairpinMode": true,
      "ipam": {
        "type": "host-local",
        "dataDir": "$NODE_DIR/cni/ipam",
        "ranges": [[{"subnet": "$NODE_CIDR", "rangeStart": "10.244.0.10", "gateway": "$NODE_IP"}]],
        "routes": [{"dst": "0.0.0.0/0"}]
      }
    }
  ]
}
JSON
  cat >"$NODE_DIR/containerd.toml" <<TOML
version = 2
root = "$NODE_CONTAINERD_ROOT"
state = "$NODE_DIR/containerd-state"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]
[grpc]
  address = "$NODE_SOCK"
[ttrpc]
  address = "$NODE_DIR/containerd.sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$CACHE/node/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$("$HACK_DIR/images.sh" sandbox-image)"
  # Root here lacks CAP_SYS_RESOURCE: runc may not lower oom_score_adj (docs/real-node.md).
  restrict_oom_score_adj = true
  disable_apparmor = true
  # Network namespaces under our state directory, so down finds and unmounts every one.
  netns_mounts_under_state_dir = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CNI_BIN_DIR"
    conf_dir = "$NODE_DIR/cni/net.d"
TOML
  write_kubeconfig "$NODE_DIR/kubelet.kubeconfig" "$api_port" kubelet
  write_kubeconfig "$NODE_DIR/kube-proxy.kubeconfig" "$api_port" kube-proxy
  write_kubeconfig "$NODE_DIR/kube-network-policies.kubeconfig" "$api_port" kube-network-policies
  cat >"$NODE_DIR/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: $kubelet_port
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $kubelet_healthz
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: "$CLUSTER_DIR/pki/ca.crt"}
authorization: {mode: Webhook}
containerRuntimeEndpoint: unix://$NODE_SOCK
# cgroup v1 without systemd as PID 1 (docs/real-node.md).
cgroupDriver: cgroupfs
failCgroupV1: false
failSwapOn: false
clusterDomain: cluster.local
clusterDNS: [$NODE_IP]
# Pods get cluster DNS only, never the host's resolvers.
resolvConf: ""
podLogsDir: "$NODE_DIR/pod-logs"
registerWithTaints:
- {key: $NODE_TAINT_KEY, value: "true", effect: NoSchedule}
# Images cannot be pulled again here: never garbage-collect them.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: 200Mi, nodefs.available: 2%, imagefs.available: 2%}
maxPods: 110
serializeImagePulls: false
shutdownGracePeriod: 0s
YAML
  cat >"$NODE_DIR/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection: {kubeconfig: "$NODE_DIR/kube-proxy.kubeconfig"}
hostnameOverride: $NODE_NAME
clusterCIDR: $NODE_CIDR
bindAddress: 127.0.0.1
healthzBindAddress: 127.0.0.1:$proxy_healthz
metricsBindAddress: 127.0.0.1:$proxy_metrics
# NodePorts only on the bridge, never on the machine's outside interfaces.
nodePortAddresses: ["$NODE_CIDR"]
iptables: {localhostNodePorts: false}
# Leave the machine's conntrack sysctls alone.
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
YAML
  # Cluster names only: no forward plugin, so any other name is refused and no query leaves.
  cat >"$NODE_DIR/Corefile" <<COREFILE
cluster.local:53 in-addr.arpa:53 ip6.arpa:53 {
    bind $NODE_IP
    errors
    health 127.0.0.1:$dns_health
    ready 127.0.0.1:$dns_ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig $KUBECONFIG_FILE branchflow-local
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
    }
    cache 5
}
COREFILE
}

node_ready_check() {
  [ "$(kc get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')" = True ]
}

# node_up API_PORT: starts containerd, imports the images, starts kubelet, kube-proxy, CoreDNS
# and the bridge's way to the API server; waits until the node is Ready and DNS answers.
node_up() {
  local api_port=$1 kubelet_port kubelet_healthz proxy_healthz proxy_metrics dns_health dns_ready netpol_metrics
  read -r kubelet_port kubelet_healthz proxy_healthz proxy_metrics dns_health dns_ready netpol_metrics <<<"$(free_ports 7)"
  node_gen_certs
  node_write_configs "$api_port" "$kubelet_port" "$kubelet_healthz" "$proxy_healthz" "$proxy_metrics" "$dns_health" "$dns_ready"
  node_network_up
  log "real node: starting containerd ($NODE_SOCK)"
  start_proc containerd containerd --config "$NODE_DIR/containerd.toml"
  wait_for containerd 30 ctr --address "$NODE_SOCK" version
  node_remove_containers
  log "real node: importing images (hack/images.sh; built once, cached)"
  "$HACK_DIR/images.sh" import "$NODE_SOCK" >>"$CLUSTER_DIR/logs/images.log" 2>&1 || {
    tail -n 30 "$CLUSTER_DIR/logs/images.log" >&2
    return 1
  }
  # Pods reach the API server as the Service kubernetes.default (10.96.0.1 -> NODE_IP:port):
  # the API server listens on loopback only, so socat carries the bridge address to it.
  start_proc api-bridge socat "TCP-LISTEN:$api_port,bind=$NODE_IP,fork,reuseaddr" "TCP:127.0.0.1:$api_port"
  kc apply --server-side --field-manager branchflow-local-cluster -f - >/dev/null <<YAML
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: kubernetes
  namespace: default
  labels: {kubernetes.io/service-name: kubernetes, endpointslice.kubernetes.io/managed-by: branchflow-local-cluster}
addressType: IPv4
endpoints:
- addresses: [$NODE_IP]
  conditions: {ready: true}
ports:
- {name: https, port: $api_port, protocol: TCP}
YAML
  log "real node: starting kubelet, kube-proxy and CoreDNS"
  start_proc kubelet "$NODE_BIN_DIR/kubelet" --config "$NODE_DIR/kubelet.yaml" \
    --kubeconfig "$NODE_DIR/kubelet.kubeconfig" --hostname-override "$NODE_NAME" --node-ip "$NODE_IP" \
    --root-dir "$NODE_DIR/kubelet" --cert-dir "$NODE_DIR/kubelet/pki" \
    --node-labels "$NODE_LABEL_KEY=real"
  start_proc kube-proxy "$NODE_BIN_DIR/kube-proxy" --config "$NODE_DIR/kube-proxy.yaml"
  start_proc coredns "$NODE_BIN_DIR/coredns" -conf "$NODE_DIR/Corefile"
  # NetworkPolicy enforcement for the node's pods (docs/real-node.md): fail closed (a packet that
  # needs a verdict while the agent is down is dropped), no NRI (containerd 1.6 has none; pod IPs
  # come from the API), no DNS race workaround (fixed in kernels 6.12 and later).
  node_netpol_rbac
  start_proc kube-network-policies "$NODE_BIN_DIR/kube-network-policies" \
    --kubeconfig "$NODE_DIR/kube-network-policies.kubeconfig" --hostname-override "$NODE_NAME" \
    --disable-nri --netfilter-bug-1766-fix=false --metrics-bind-address "127.0.0.1:$netpol_metrics" --v=2
  # The controller-manager's hostPath provisioner makes each volume a root-owned 0750 directory,
  # and the kubelet applies no fsGroup to hostPath volumes, so a pod that runs as a non-root
  # user (Airflow, uid 50000, gid 0) cannot write its volume. On real storage the kubelet makes
  # a volume group-writable for the pod's fsGroup (0 for Airflow's pods): this does the same
  # for every new volume directory still owned by root, within half a second of its creation
  # (a pod that starts first fails once and is restarted). PostgreSQL's volumes, chowned by its
  # image's entrypoint, are left alone.
  mkdir -p /tmp/hostpath_pv
  # shellcheck disable=SC2016 # the loop's variables are the child bash's, expanded there
  start_proc volume-permissions bash -c 'while :; do
      for d in /tmp/hostpath_pv/*/; do
        [ -d "$d" ] && [ "$(stat -c %u:%g "$d")" = 0:0 ] && [ ! -g "$d" ] && chmod g+rwxs "$d"
      done
      sleep 0.5
    done'
  wait_for "the real node to be Ready" 90 node_ready_check
  wait_for "CoreDNS" 30 curl -fsS "http://127.0.0.1:$dns_ready/ready"
  wait_for "kube-proxy" 30 curl -fsS "http://127.0.0.1:$proxy_healthz/healthz"
  wait_for "kube-network-policies' nftables table" 30 node_netpol_ready
}

# Kills and removes every container and sandbox in containerd's k8s.io namespace. The kubelet
# does not stop pods when it exits, and their shims outlive containerd.
node_remove_containers() {
  local id
  for id in $(ctr_k8s tasks ls -q 2>/dev/null); do ctr_k8s tasks kill -a -s SIGKILL "$id" >/dev/null 2>&1 || true; done
  for id in $(ctr_k8s tasks ls -q 2>/dev/null); do ctr_k8s tasks rm -f "$id" >/dev/null 2>&1 || true; done
  for id in $(ctr_k8s containers ls -q 2>/dev/null); do ctr_k8s containers rm "$id" >/dev/null 2>&1 || true; done
}

# Before the processes stop: the containers, while containerd still answers.
node_down_containers() {
  [ -S "$NODE_SOCK" ] && ctr --address "$NODE_SOCK" version >/dev/null 2>&1 || return 0
  node_remove_containers
}

# node_cleanup [CLUSTER_DIR]: after every process is gone. Idempotent; also run for what a crashed
# cluster left behind.
node_cleanup() {
  "$HACK_DIR/warehouse.sh" down >/dev/null 2>&1 || log "real node: the warehouse stand-in did not stop (hack/warehouse.sh status)"
  local dir=${1:-$CLUSTER_DIR} m pid
  # Shims and containers whose containerd died before it could stop them.
  for pid in $(pgrep -f "containerd-shim-runc-v2 .*-address $dir/node/containerd.sock" || true); do
    pkill -KILL -P "$pid" 2>/dev/null || true
    kill -KILL "$pid" 2>/dev/null || true
  done
  # Pod volumes (tmpfs for Secrets and tokens), container root filesystems, network namespaces,
  # innermost first.
  { awk '{print $5}' /proc/self/mountinfo | grep -E "^($dir/node|$NODE_CONTAINERD_ROOT)/" || true; } | sort -r |
    while read -r m; do umount -l "$m" 2>/dev/null || true; done
  # kube-proxy removes its own chains; the kubelet's canaries and our fence go by name.
  if [ -x "$NODE_BIN_DIR/kube-proxy" ]; then
    "$NODE_BIN_DIR/kube-proxy" --cleanup >/dev/null 2>&1 || true
  fi
  # The agent deletes its table on SIGINT only; stop_group sends SIGTERM (and a crash, nothing).
  if command -v nft >/dev/null; then
    nft delete table inet "$NODE_NFT_TABLE" 2>/dev/null || true
  fi
  local ipt table rule chain
  for ipt in iptables ip6tables; do
    command -v "$ipt" >/dev/null || continue
    while rule=$("$ipt" -w -t mangle -S FORWARD 2>/dev/null | grep -m1 -- "--comment $NODE_RULE_COMMENT"); do
      # shellcheck disable=SC2086 # the rule is iptables' own -S output: split it as iptables wrote it
      "$ipt" -w -t mangle ${rule/-A /-D } || break
    done
    for table in filter nat mangle; do
      for chain in $("$ipt" -w -t "$table" -S 2>/dev/null | awk '$1 == "-N" && $2 ~ /^KUBE-/ {print $2}'); do
        "$ipt" -w -t "$table" -S 2>/dev/null | awk -v c="$chain" '$1 == "-A" && $0 ~ ("-j " c "( |$)") {sub("-A", "-D"); print}' |
          while read -r rule; do
            # shellcheck disable=SC2086 # as above
            "$ipt" -w -t "$table" $rule 2>/dev/null || true
          done
        "$ipt" -w -t "$table" -F "$chain" 2>/dev/null || true
      done
      for chain in $("$ipt" -w -t "$table" -S 2>/dev/null | awk '$1 == "-N" && $2 ~ /^KUBE-/ {print $2}'); do
        "$ipt" -w -t "$table" -X "$chain" 2>/dev/null || true
      done
    done
  done
  ip link del "$NODE_BRIDGE" 2>/dev/null || true
  if [ -f "$NODE_MACHINE_STATE/sysctl.saved" ]; then
    sysctl -q -p "$NODE_MACHINE_STATE/sysctl.saved" >/dev/null 2>&1 || true
    rm -f "$NODE_MACHINE_STATE/sysctl.saved"
  fi
  # The kubelet's pod cgroups (cgroup v1, cgroupfs driver): deepest first, only empty ones go.
  local ctl
  for ctl in /sys/fs/cgroup/*/kubepods; do
    [ -d "$ctl" ] && find "$ctl" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
  # The controller-manager's hostPath provisioner writes PersistentVolumes there, and only the
  # real node ever writes into them (one real node per machine).
  rm -rf /tmp/hostpath_pv
  rm -rf "$dir/node"
  [ "$(cat "$NODE_OWNER" 2>/dev/null)" = "$dir" ] && rm -f "$NODE_OWNER"
  rmdir "$NODE_MACHINE_STATE" 2>/dev/null || true
  return 0
}
