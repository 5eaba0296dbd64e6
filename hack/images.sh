#!/usr/bin/env bash
# The container images of Branchflow's REAL local Kubernetes node, built from Debian packages and
# PyPI (these machines have no container engine and reach no registry), cached, and imported into
# the node's containerd. Nothing here can be pulled, so every pod of the node uses these images
# with imagePullPolicy IfNotPresent. See docs/images.md.
#
#   hack/images.sh build           build every image that is missing or stale (inputs changed)
#   hack/images.sh import SOCKET   build if needed, then import into the containerd at SOCKET
#                                  (namespace k8s.io) every image it does not already hold as built
#   hack/images.sh list            print the image references, one per line
#   hack/images.sh sandbox-image   print the pause image's reference (containerd's sandbox_image)
#
# Images: branchflow.local/pause:1 (hack/images/pause, static Go), branchflow.local/debian:bookworm
# (debootstrap minbase + python3 curl procps tini), branchflow.local/postgresql:15 and
# branchflow.local/airflow:<version of orchestrator-image/requirements.txt>, both layered on the
# Debian image with umoci so they share its layer.
#
# Cache: ${BRANCHFLOW_CACHE:-~/.cache/branchflow}/images. An image is rebuilt only when the hash of
# its inputs (this script, its files under hack/images/, the Debian suite and package lists, the
# Airflow requirements and helper scripts, the parent image's hash) differs from the hash stored
# next to its archive. Needs root (debootstrap, chroot, mounts); installs debootstrap, umoci,
# skopeo and containerd (ctr) with apt-get when they are missing; the pause image needs Go.
set -euo pipefail

SCRIPT=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${BRANCHFLOW_CACHE:-$HOME/.cache/branchflow}
IMAGES_DIR=$CACHE/images
SCRATCH=$IMAGES_DIR/scratch

SUITE=bookworm
MIRROR=http://deb.debian.org/debian
SECURITY_MIRROR=http://deb.debian.org/debian-security
# The base image: debootstrap's minbase plus these.
BASE_PACKAGES=(python3 ca-certificates curl procps tini)
POSTGRES_MAJOR=15
POSTGRES_PACKAGES=("postgresql-$POSTGRES_MAJOR")
# git: the git DAG bundle (apache-airflow-providers-git) clones and fetches the branch with it.
AIRFLOW_PACKAGES=(python3-venv git)
# pip in the Airflow venv is upgraded to this first (bookworm's venv brings pip 23.0).
PIP_VERSION=26.3
POSTGRES_UID=999
AIRFLOW_UID=50000

# The ONE list of Airflow and its providers, shared with orchestrator-image/Dockerfile.
REQUIREMENTS=$ROOT/orchestrator-image/requirements.txt
AIRFLOW_VERSION=$(sed -n 's/^apache-airflow==\([^[:space:]#]*\).*/\1/p' "$REQUIREMENTS" 2>/dev/null || true)

IMAGES=(pause debian postgresql airflow)

# The CA bundle pip uses inside the build chroot (the host's, see in_chroot).
HOST_CA=${PIP_CERT:-${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}}

export GOTOOLCHAIN=local
export GOMODCACHE=${GOMODCACHE_OVERRIDE:-$CACHE/go/mod}
export GOCACHE=${GOCACHE_OVERRIDE:-$CACHE/go/build}
export LC_ALL=C

die() { echo "images.sh: error: $*" >&2; exit 1; }
step() { echo "images.sh: $*" >&2; }

ref_of() {
  case $1 in
    pause) echo branchflow.local/pause:1 ;;
    debian) echo "branchflow.local/debian:$SUITE" ;;
    postgresql) echo "branchflow.local/postgresql:$POSTGRES_MAJOR" ;;
    airflow) echo "branchflow.local/airflow:$AIRFLOW_VERSION" ;;
    *) die "unknown image $1" ;;
  esac
}
tag_of() { local ref; ref=$(ref_of "$1"); echo "${ref##*:}"; }

# --- host tools -----------------------------------------------------------------------------------

# Installs the Debian packages that provide missing commands (command:package pairs).
need_tools() {
  local pair missing=()
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get to install them"
  step "installing missing Debian packages: ${missing[*]} (apt-get install -y --no-install-recommends)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2 \
    || { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2; } \
    || die "apt-get install ${missing[*]} failed"
}

need_root() {
  [ "$(id -u)" = 0 ] || die "building images needs root (debootstrap, chroot, mounts); run it as root"
}

# --- inputs and their hash ------------------------------------------------------------------------

# sha256 of each file under the given paths (relative to the repository root), sorted.
file_hashes() {
  (cd "$ROOT" && find "$@" -type f -print0 | sort -z | xargs -0 sha256sum)
}

# What an image is made of; its sha256 is the image's inputs hash.
inputs_of() {
  echo "script $(sha256sum <"$SCRIPT" | cut -d' ' -f1)"
  case $1 in
    pause)
      file_hashes hack/images/pause
      go version 2>/dev/null || echo "go missing"
      ;;
    debian)
      echo "suite $SUITE $MIRROR $SECURITY_MIRROR minbase packages ${BASE_PACKAGES[*]}"
      ;;
    postgresql)
      echo "parent $(inputs_hash debian)"
      echo "packages ${POSTGRES_PACKAGES[*]} uid $POSTGRES_UID"
      file_hashes hack/images/postgresql
      ;;
    airflow)
      echo "parent $(inputs_hash debian)"
      echo "packages ${AIRFLOW_PACKAGES[*]} pip $PIP_VERSION uid $AIRFLOW_UID"
      file_hashes hack/images/airflow orchestrator-image/requirements.txt orchestrator-image/verify_pins.py orchestrator-image/bin
      ;;
  esac
}
inputs_hash() { inputs_of "$1" | sha256sum | cut -d' ' -f1; }

archive_of() { echo "$IMAGES_DIR/$1.tar"; }
hash_file_of() { echo "$IMAGES_DIR/$1.inputs"; }
info_file_of() { echo "$IMAGES_DIR/$1.info"; }

is_current() {
  local name=$1
  [ -s "$(archive_of "$name")" ] && [ -f "$(hash_file_of "$name")" ] \
    && [ "$(cat "$(hash_file_of "$name")")" = "$(inputs_hash "$name")" ] \
    && { [ "$name" != debian ] || [ -f "$IMAGES_DIR/oci/debian/index.json" ]; }
}

# --- scratch space, mounts, chroot ----------------------------------------------------------------

# Unmounts everything under the scratch directory (deepest first) and removes it.
clean_scratch() {
  local target left
  [ -d "$SCRATCH" ] || return 0
  { findmnt -rn -o TARGET | grep -F "$SCRATCH/" || true; } | sort -r | while IFS= read -r target; do
    umount "$target" 2>/dev/null || umount -l "$target" || true
  done
  left=$(findmnt -rn -o TARGET | grep -cF "$SCRATCH/" || true)
  [ "$left" = 0 ] || die "mounts left under $SCRATCH (findmnt | grep $SCRATCH); not removing it"
  rm -rf --one-file-system "$SCRATCH"
}

# Runs a command in a root filesystem, with /proc, /dev and the host's DNS configuration, and
# services kept from starting. The pip cache is bound in when asked for (PIP_CACHE_IN_CHROOT=1).
in_chroot() {
  local rootfs=$1
  shift
  # (Called as `in_chroot ... || die`, where errexit does not apply: each step checks itself.)
  [ -r "$HOST_CA" ] || die "no CA bundle at $HOST_CA (set PIP_CERT or SSL_CERT_FILE)"
  mount -t proc proc "$rootfs/proc" || die "mount proc in $rootfs failed"
  mount --bind /dev "$rootfs/dev" || die "mount --bind /dev in $rootfs failed"
  if [ "${PIP_CACHE_IN_CHROOT:-0}" = 1 ]; then
    mkdir -p "$IMAGES_DIR/pip" "$rootfs/var/cache/branchflow-pip"
    mount --bind "$IMAGES_DIR/pip" "$rootfs/var/cache/branchflow-pip" || die "mount of the pip cache failed"
  fi
  cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
  # The host's trust store, for pip only: a host behind a TLS-intercepting proxy trusts its CA
  # there (not in the image's store, which stays Debian's).
  cp "$HOST_CA" "$rootfs/etc/branchflow-build-ca.crt"
  printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d"
  chmod 0755 "$rootfs/usr/sbin/policy-rc.d"
  local rc=0 passed=() var
  for var in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY PIP_INDEX_URL PIP_EXTRA_INDEX_URL PIP_DEFAULT_TIMEOUT; do
    [ -z "${!var:-}" ] || passed+=("$var=${!var}")
  done
  env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive PIP_CERT=/etc/branchflow-build-ca.crt ${passed[@]+"${passed[@]}"} \
    chroot "$rootfs" "$@" || rc=$?
  if [ "${PIP_CACHE_IN_CHROOT:-0}" = 1 ]; then
    umount "$rootfs/var/cache/branchflow-pip" || die "umount $rootfs/var/cache/branchflow-pip failed"
    rmdir "$rootfs/var/cache/branchflow-pip"
  fi
  umount "$rootfs/dev" || die "umount $rootfs/dev failed"
  umount "$rootfs/proc" || die "umount $rootfs/proc failed"
  rm -f "$rootfs/etc/resolv.conf" "$rootfs/etc/branchflow-build-ca.crt" "$rootfs/usr/sbin/policy-rc.d"
  return $rc
}

# What no image should carry: apt lists and caches, logs, temporary files.
slim_rootfs() {
  local rootfs=$1
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
    "$rootfs"/var/cache/apt/archives/partial/* "$rootfs"/var/cache/debconf/*-old "$rootfs"/var/lib/dpkg/*-old \
    "$rootfs"/var/log/apt/* "$rootfs"/var/log/dpkg.log "$rootfs"/var/log/alternatives.log \
    "$rootfs"/var/log/bootstrap.log "$rootfs"/tmp/* "$rootfs"/var/tmp/* "$rootfs"/root/.cache
  # Documentation, except each package's copyright file (dpkg excludes them for later installs).
  find "$rootfs/usr/share/doc" -mindepth 1 ! -type d ! -name copyright -delete 2>/dev/null || true
  find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
  rm -rf "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/*
}

# --- OCI plumbing ---------------------------------------------------------------------------------

timer_start() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# Exports layout:tag as a docker-archive named ref, then records its inputs hash and numbers.
export_archive() {
  local name=$1 layout=$2 seconds=$3 ref archive tmp t
  ref=$(ref_of "$name")
  archive=$(archive_of "$name")
  tmp=$archive.tmp
  t=$(timer_start)
  step "$name: exporting $ref to $(basename "$archive") (skopeo, docker-archive)"
  rm -f "$tmp"
  skopeo --insecure-policy copy --quiet "oci:$layout:$(tag_of "$name")" "docker-archive:$tmp:$ref" >&2
  mv -f "$tmp" "$archive"
  # The hash taken when the build started: an input edited during the build rebuilds next time.
  echo "$BUILD_HASH" >"$(hash_file_of "$name")"
  rm -f "$IMAGES_DIR/$name.imported"
  local own
  own=$(layer_bytes "$layout" "$(tag_of "$name")" last)
  {
    echo "ref=$ref"
    echo "seconds=$seconds"
    echo "export_seconds=$(elapsed "$t")"
    echo "uncompressed=$(uncompressed_bytes "$archive")"
    echo "archive=$(stat -c %s "$archive")"
    echo "top_layer_gzip=$own"
    echo "built=$(date -u +%FT%TZ)"
  } >"$(info_file_of "$name")"
}

# Sum of the (uncompressed) layer tars inside a docker-archive.
uncompressed_bytes() {
  tar -tvf "$1" | awk '$NF ~ /\.tar$/ { s += $3 } END { printf "%.0f", s }'
}

# Gzip size of the last layer of layout:tag (what a layered image adds to its parent).
layer_bytes() {
  local layout=$1 tag=$2 digest
  # index.json -> the tag's manifest -> its last layer's size, with awk (no jq on a plain host).
  digest=$(tr ',' '\n' <"$layout/index.json" | tr -d '{}[]"' | awk -v tag="$tag" '
    /^ *digest:/ { sub(/^ *digest:/, ""); d = $0 }
    /org.opencontainers.image.ref.name:/ { sub(/.*ref.name:/, ""); if ($0 == tag) print d }' | head -n 1)
  [ -n "$digest" ] || { echo 0; return; }
  tr ',' '\n' <"$layout/blobs/sha256/${digest#sha256:}" | tr -d '{}[]"' \
    | awk '/^ *size:/ { sub(/^ *size:/, ""); s = $0 } END { printf "%.0f", s }'
}

human() { awk -v b="$1" 'BEGIN { printf "%.0f MB", b / 1000000 }'; }

# --- the images -----------------------------------------------------------------------------------

build_pause() {
  local layout=$SCRATCH/oci bundle=$SCRATCH/bundle bin=$SCRATCH/pause t
  command -v go >/dev/null || die "Go is needed to build the pause image (hack/images/pause); install Go (as for hack/local-cluster.sh)"
  t=$(timer_start)
  step "pause: go build (static, CGO_ENABLED=0) hack/images/pause"
  (cd "$ROOT/hack/images/pause" && CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$bin" .)
  step "pause: packing a one-layer image (umoci) [go build $(elapsed "$t") s]"
  umoci init --layout "$layout"
  umoci new --image "$layout:1"
  umoci unpack --image "$layout:1" "$bundle" >/dev/null
  install -m 0755 "$bin" "$bundle/rootfs/pause"
  umoci repack --image "$layout:1" --history.created_by "hack/images.sh: /pause from hack/images/pause" "$bundle"
  umoci config --image "$layout:1" --config.entrypoint /pause --config.user 65535:65535 \
    --config.label org.opencontainers.image.title=branchflow-pause \
    --history.created_by "hack/images.sh: config"
  export_archive pause "$layout" "$(elapsed "$t")"
}

# debootstrap's result is cached as a tar, keyed by suite, mirror and package list only, so that a
# change to this script does not download Debian again.
debootstrap_tar() {
  local key tar target t
  key=$(echo "$SUITE $MIRROR minbase ${BASE_PACKAGES[*]}" | sha256sum | cut -c1-16)
  tar=$IMAGES_DIR/debootstrap/$SUITE-minbase-$key.tar
  if [ ! -s "$tar" ]; then
    target=$SCRATCH/debootstrap
    t=$(timer_start)
    step "debian: debootstrap --variant=minbase $SUITE from $MIRROR, with ${BASE_PACKAGES[*]} (a few minutes)"
    mkdir -p "$IMAGES_DIR/debootstrap"
    debootstrap --variant=minbase --include="$(IFS=,; echo "${BASE_PACKAGES[*]}")" \
      "$SUITE" "$target" "$MIRROR" >"$SCRATCH/debootstrap.log" 2>&1 \
      || { tail -n 30 "$SCRATCH/debootstrap.log" >&2; die "debootstrap failed (log above)"; }
    rm -f "$IMAGES_DIR"/debootstrap/"$SUITE"-minbase-*.tar
    tar --numeric-owner -C "$target" -cf "$tar.tmp" .
    mv -f "$tar.tmp" "$tar"
    rm -rf "$target"
    step "debian: debootstrap done in $(elapsed "$t") s (cached as $tar)"
  else
    step "debian: debootstrap result cached ($tar)"
  fi
  echo "$tar"
}

build_debian() {
  local layout=$SCRATCH/oci bundle=$SCRATCH/bundle rootfs tar t t2
  t=$(timer_start)
  tar=$(debootstrap_tar)
  step "debian: updating the rootfs (bookworm-updates, security) and packing it (umoci)"
  umoci init --layout "$layout"
  umoci new --image "$layout:$SUITE"
  umoci unpack --image "$layout:$SUITE" "$bundle" >/dev/null
  rootfs=$bundle/rootfs
  tar --numeric-owner -C "$rootfs" -xpf "$tar"
  rm -rf "${rootfs:?}"/dev/* "$rootfs/etc/hostname"
  cat >"$rootfs/etc/apt/sources.list" <<EOF
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb $SECURITY_MIRROR $SUITE-security main
EOF
  # Later layers (PostgreSQL, Airflow) install no documentation.
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/branchflow-nodoc" <<'EOF'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
EOF
  t2=$(timer_start)
  in_chroot "$rootfs" sh -c 'apt-get update -qq && apt-get -y -qq -o Dpkg::Use-Pty=0 upgrade >/dev/null && apt-get clean' \
    || die "apt-get upgrade in the Debian rootfs failed"
  step "debian: apt-get upgrade $(elapsed "$t2") s"
  in_chroot "$rootfs" sh -c 'python3 -c "print(1)" >/dev/null && curl --version >/dev/null && tini --version >/dev/null && ps --version >/dev/null' \
    || die "the Debian rootfs lacks python3, curl, tini or ps"
  slim_rootfs "$rootfs"
  t2=$(timer_start)
  umoci repack --image "$layout:$SUITE" --history.created_by "hack/images.sh: debootstrap --variant=minbase $SUITE + ${BASE_PACKAGES[*]}" "$bundle"
  umoci config --image "$layout:$SUITE" \
    --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --config.env LANG=C.UTF-8 \
    --config.entrypoint=/usr/bin/tini --config.entrypoint=-s --config.entrypoint=-- --config.cmd=/bin/bash \
    --config.label org.opencontainers.image.title=branchflow-debian \
    --history.created_by "hack/images.sh: config"
  step "debian: packed in $(elapsed "$t2") s"
  rm -rf "$bundle"
  # The base's OCI layout stays in the cache: the layered images are unpacked from it.
  rm -rf "$IMAGES_DIR/oci/debian"
  mkdir -p "$IMAGES_DIR/oci"
  cp -a "$layout" "$IMAGES_DIR/oci/debian"
  export_archive debian "$layout" "$(elapsed "$t")"
}

# Copies the base layout to scratch and unpacks it, for a layered image; prints the rootfs path.
unpack_base() {
  local name=$1 layout=$SCRATCH/oci bundle=$SCRATCH/bundle
  cp -a "$IMAGES_DIR/oci/debian" "$layout"
  umoci unpack --image "$layout:$SUITE" "$bundle" >/dev/null
  echo "$bundle/rootfs"
}

repack() {
  local name=$1 comment=$2 layout=$SCRATCH/oci bundle=$SCRATCH/bundle t
  t=$(timer_start)
  step "$name: packing the new layer (umoci repack)"
  umoci repack --image "$layout:$(tag_of "$name")" --history.created_by "hack/images.sh: $comment" "$bundle"
  rm -rf "$bundle"
  step "$name: packed in $(elapsed "$t") s"
}

build_postgresql() {
  local layout=$SCRATCH/oci rootfs t t2 tag
  tag=$(tag_of postgresql)
  t=$(timer_start)
  step "postgresql: unpacking the Debian image"
  rootfs=$(unpack_base postgresql)
  umoci_retag "$layout" "$SUITE" "$tag"
  step "postgresql: apt-get install ${POSTGRES_PACKAGES[*]} (uid $POSTGRES_UID, no default cluster)"
  t2=$(timer_start)
  in_chroot "$rootfs" sh -ec "
    groupadd -r -g $POSTGRES_UID postgres
    useradd -r -u $POSTGRES_UID -g postgres -d /var/lib/postgresql -s /bin/bash postgres
    mkdir -p /etc/postgresql-common/createcluster.d
    echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.d/branchflow.conf
    apt-get update -qq
    apt-get install -y -qq -o Dpkg::Use-Pty=0 -o Dpkg::Options::=--force-confold --no-install-recommends ${POSTGRES_PACKAGES[*]} >/dev/null
    apt-get clean
    mkdir -p /var/lib/postgresql/data /var/run/postgresql
    chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql
    chmod 1777 /var/lib/postgresql/data
    chmod 3777 /var/run/postgresql
    test \"\$(id -u postgres)\" = $POSTGRES_UID
    /usr/lib/postgresql/$POSTGRES_MAJOR/bin/postgres --version
    /usr/lib/postgresql/$POSTGRES_MAJOR/bin/pg_isready --version
    command -v setpriv >/dev/null
  " >&2 || die "installing PostgreSQL in the rootfs failed"
  step "postgresql: apt-get install $(elapsed "$t2") s"
  install -m 0755 "$ROOT/hack/images/postgresql/entrypoint.sh" "$rootfs/usr/local/bin/docker-entrypoint.sh"
  slim_rootfs "$rootfs"
  repack postgresql "${POSTGRES_PACKAGES[*]} + hack/images/postgresql/entrypoint.sh"
  umoci config --image "$layout:$tag" \
    --clear config.entrypoint --clear config.cmd \
    --config.entrypoint /usr/local/bin/docker-entrypoint.sh --config.cmd postgres \
    --config.env "PATH=/usr/lib/postgresql/$POSTGRES_MAJOR/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --config.env PGDATA=/var/lib/postgresql/data \
    --config.exposedports 5432/tcp --config.stopsignal SIGINT \
    --config.label org.opencontainers.image.title=branchflow-postgresql \
    --history.created_by "hack/images.sh: config"
  export_archive postgresql "$layout" "$(elapsed "$t")"
}

build_airflow() {
  local layout=$SCRATCH/oci rootfs t t2 tag
  [ -n "$AIRFLOW_VERSION" ] || die "no apache-airflow==VERSION pin in $REQUIREMENTS"
  tag=$(tag_of airflow)
  t=$(timer_start)
  step "airflow: unpacking the Debian image"
  rootfs=$(unpack_base airflow)
  umoci_retag "$layout" "$SUITE" "$tag"
  mkdir -p "$rootfs/opt/branchflow"
  install -m 0644 "$REQUIREMENTS" "$ROOT/orchestrator-image/verify_pins.py" "$rootfs/opt/branchflow/"
  step "airflow: apt-get install ${AIRFLOW_PACKAGES[*]}; user airflow (uid $AIRFLOW_UID, gid 0)"
  in_chroot "$rootfs" sh -ec "
    apt-get update -qq
    apt-get install -y -qq -o Dpkg::Use-Pty=0 --no-install-recommends ${AIRFLOW_PACKAGES[*]} >/dev/null
    apt-get clean
    useradd -u $AIRFLOW_UID -g 0 -m -d /home/airflow -s /bin/bash airflow
    mkdir -p /opt/airflow
    chown airflow:0 /opt/airflow /home/airflow
    chmod 0775 /opt/airflow /home/airflow
    python3 -m venv /opt/venv
  " >&2 || die "preparing the Airflow rootfs failed"
  t2=$(timer_start)
  step "airflow: pip install -r orchestrator-image/requirements.txt (apache-airflow==$AIRFLOW_VERSION + providers) into /opt/venv (several minutes)"
  PIP_CACHE_IN_CHROOT=1 in_chroot "$rootfs" sh -ec "
    export PIP_CACHE_DIR=/var/cache/branchflow-pip PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 PIP_PROGRESS_BAR=off
    /opt/venv/bin/pip install -q pip==$PIP_VERSION
    /opt/venv/bin/pip install -q -r /opt/branchflow/requirements.txt
  " >&2 || die "pip install in the Airflow rootfs failed (output above)"
  local pip_seconds
  pip_seconds=$(elapsed "$t2")
  step "airflow: pip install $pip_seconds s; verifying the pins, \`airflow version\` and the providers"
  in_chroot "$rootfs" sh -ec "
    export PATH=/opt/venv/bin:\$PATH AIRFLOW_HOME=/tmp/airflow-verify
    python /opt/branchflow/verify_pins.py /opt/branchflow/requirements.txt
    v=\$(airflow version 2>/dev/null | tail -n 1)
    echo \"airflow version: \$v\"
    test \"\$v\" = '$AIRFLOW_VERSION'
    python -c 'import airflow.providers.postgres.hooks.postgres, airflow.providers.snowflake.hooks.snowflake, airflow.providers.google.cloud.hooks.bigquery, airflow.providers.amazon.aws.hooks.s3, airflow.providers.slack.hooks.slack, airflow.providers.cncf.kubernetes.executors.kubernetes_executor, airflow.providers.git.bundles.git, airflow.sdk.execution_time.execute_workload; print(\"providers import\")'
    rm -rf /tmp/airflow-verify
  " >&2 || die "the Airflow venv does not work (output above)"
  install -m 0755 "$ROOT"/orchestrator-image/bin/* "$rootfs/usr/local/bin/"
  install -m 0755 "$ROOT/hack/images/airflow/entrypoint.sh" "$rootfs/entrypoint"
  slim_rootfs "$rootfs"
  repack airflow "${AIRFLOW_PACKAGES[*]}, /opt/venv with orchestrator-image/requirements.txt, orchestrator-image/bin"
  umoci config --image "$layout:$tag" \
    --clear config.entrypoint --clear config.cmd \
    --config.entrypoint=/usr/bin/tini --config.entrypoint=-s --config.entrypoint=-- --config.entrypoint=/entrypoint \
    --config.cmd=--help \
    --config.env PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --config.env AIRFLOW_HOME=/opt/airflow --config.env HOME=/home/airflow \
    --config.env "AIRFLOW_VERSION=$AIRFLOW_VERSION" --config.env PYTHONUNBUFFERED=1 \
    --config.user "$AIRFLOW_UID:0" --config.workingdir /opt/airflow --config.exposedports 8080/tcp \
    --config.label org.opencontainers.image.title=branchflow-airflow \
    --history.created_by "hack/images.sh: config"
  export_archive airflow "$layout" "$(elapsed "$t")"
  echo "pip_seconds=$pip_seconds" >>"$(info_file_of airflow)"
}

# Gives layout:from a second name, the tag the layered image is repacked as.
umoci_retag() {
  local layout=$1 from=$2 to=$3
  umoci tag --image "$layout:$from" "$to"
  umoci rm --image "$layout:$from"
}

# --- verbs ----------------------------------------------------------------------------------------

build_all() {
  local name t built=0 ordered
  need_root
  need_tools debootstrap:debootstrap umoci:umoci skopeo:skopeo findmnt:util-linux
  mkdir -p "$IMAGES_DIR"
  exec 9>"$IMAGES_DIR/.lock"
  flock 9 || die "cannot lock $IMAGES_DIR/.lock"
  trap clean_scratch EXIT
  clean_scratch
  t=$(timer_start)
  ordered=("${IMAGES[@]}")
  for name in "${ordered[@]}"; do
    if is_current "$name"; then
      step "$name: up to date ($(ref_of "$name"))"
      continue
    fi
    clean_scratch
    mkdir -p "$SCRATCH"
    BUILD_HASH=$(inputs_hash "$name")
    "build_$name"
    clean_scratch
    built=$((built + 1))
  done
  trap - EXIT
  step "build: $built image(s) built in $(elapsed "$t") s"
  summary
}

summary() {
  local name info
  printf '%-34s %12s %12s %10s  %s\n' IMAGE UNCOMPRESSED ARCHIVE BUILD_S BUILT
  for name in "${IMAGES[@]}"; do
    info=$(info_file_of "$name")
    [ -f "$info" ] || continue
    (
      # shellcheck disable=SC1090 # written by export_archive
      . "$info"
      # shellcheck disable=SC2154 # ref, uncompressed, archive, seconds, built come from $info
      printf '%-34s %12s %12s %10s  %s\n' "$ref" "$(human "$uncompressed")" "$(human "$archive")" "$seconds" "$built"
    )
  done
}

# The digest containerd holds for a reference ("" when it has none).
containerd_digest() {
  local sock=$1 ref=$2
  ctr --address "$sock" -n k8s.io images ls "name==$ref" 2>/dev/null | awk 'NR > 1 { print $3; exit }'
}

import_all() {
  local sock=$1 name ref marker want have t t_all count=0
  [ -S "$sock" ] || die "no containerd socket at $sock"
  need_tools ctr:containerd
  build_all
  exec 9>"$IMAGES_DIR/.lock"
  flock 9 || die "cannot lock $IMAGES_DIR/.lock"
  t_all=$(timer_start)
  for name in "${IMAGES[@]}"; do
    ref=$(ref_of "$name")
    marker=$IMAGES_DIR/$name.imported
    want=""
    [ -f "$marker" ] && want=$(awk -v h="$(cat "$(hash_file_of "$name")")" '$1 == h { print $2 }' "$marker")
    have=$(containerd_digest "$sock" "$ref")
    if [ -n "$want" ] && [ "$want" = "$have" ]; then
      step "import: $ref already in containerd ($have)"
      continue
    fi
    t=$(timer_start)
    step "import: $ref ($(human "$(stat -c %s "$(archive_of "$name")")") archive) into $sock, namespace k8s.io"
    ctr --address "$sock" -n k8s.io images import "$(archive_of "$name")" >/dev/null \
      || die "ctr images import $(archive_of "$name") failed"
    have=$(containerd_digest "$sock" "$ref")
    [ -n "$have" ] || die "after the import containerd does not list $ref"
    echo "$(cat "$(hash_file_of "$name")") $have" >"$marker"
    step "import: $ref done in $(elapsed "$t") s ($have)"
    count=$((count + 1))
  done
  step "import: $count image(s) imported in $(elapsed "$t_all") s"
}

case ${1:-} in
  build) build_all ;;
  import)
    [ $# -eq 2 ] || die "usage: hack/images.sh import <containerd-socket-path>"
    import_all "$2"
    ;;
  list) for name in "${IMAGES[@]}"; do ref_of "$name"; done ;;
  sandbox-image) ref_of pause ;;
  -h | --help | help) sed -n '2,22p' "$SCRIPT" | sed 's/^# \{0,1\}//' ;;
  *) die "usage: hack/images.sh build | import <containerd-socket-path> | list | sandbox-image" ;;
esac
