#!/usr/bin/env bash
# actionlint (the GitHub Actions workflow linter) as a project check. It is a Go program: this
# script builds the pinned version from the Go module proxy once (`go install`, checksums verified
# against the checksum database as usual) into the cache, and then runs it.
#
#   hack/actionlint.sh            check every workflow under .github/workflows/
#   hack/actionlint.sh FILE...    check just these files
#   hack/actionlint.sh path       print the cached actionlint binary's path (installing it if needed)
#
# actionlint runs ShellCheck on every `run:` block; it is pointed at the project's pinned
# ShellCheck (hack/shellcheck.sh path), so the result does not depend on what is on PATH.
# It would run pyflakes on `shell: python` steps if pyflakes were on PATH; no workflow has one, so
# that is switched off (-pyflakes=) for the same reason.
# BRANCHFLOW_CACHE moves the cache (default ~/.cache/branchflow), as for the other hack/ scripts.
# Needs Go >= 1.24 (actionlint v1.7.11's go.mod says 1.24.0; v1.7.12 would need 1.25), the same
# floor as the local control plane.
set -euo pipefail

VERSION=v1.7.11
MODULE=github.com/rhysd/actionlint/cmd/actionlint
CACHE=${BRANCHFLOW_CACHE:-$HOME/.cache/branchflow}
DIR=$CACHE/bin/actionlint-$VERSION
ACTIONLINT=$DIR/actionlint
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

die() { echo "actionlint.sh: $*" >&2; exit 1; }

install_actionlint() {
  command -v go >/dev/null 2>&1 || die "Go (>= 1.24) is needed once to build actionlint $VERSION"
  local work
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  echo "actionlint.sh: building $MODULE@$VERSION from the Go module proxy into $DIR (once)" >&2
  # The same Go settings as hack/local-cluster.sh: this machine's Go only, caches in ours.
  if ! GOTOOLCHAIN=local GOMODCACHE=$CACHE/go/mod GOCACHE=$CACHE/go/build GOFLAGS='' CGO_ENABLED=0 \
    GOBIN=$work/bin go install -trimpath "$MODULE@$VERSION" >"$work/go.log" 2>&1; then
    cat "$work/go.log" >&2
    die "go install $MODULE@$VERSION failed (output above; it needs Go >= 1.24)"
  fi
  "$work/bin/actionlint" -version >/dev/null || die "the built actionlint does not run"
  mkdir -p "$DIR"
  mv "$work/bin/actionlint" "$ACTIONLINT.tmp"
  mv "$ACTIONLINT.tmp" "$ACTIONLINT"
}

if [ ! -x "$ACTIONLINT" ]; then
  install_actionlint
fi

case ${1:-} in
  path)
    echo "$ACTIONLINT"
    exit 0
    ;;
  -h | --help | help)
    sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
esac

shellcheck=$("$ROOT/hack/shellcheck.sh" path)
files=()
for file in "$@"; do
  case $file in
    /*) files+=("$file") ;;
    *) files+=("$PWD/$file") ;; # named from the caller's directory
  esac
done
cd "$ROOT"
if [ ${#files[@]} -eq 0 ]; then
  shopt -s nullglob
  files=(.github/workflows/*.yml .github/workflows/*.yaml)
  shopt -u nullglob
  [ ${#files[@]} -gt 0 ] || die "no workflows found under $ROOT/.github/workflows"
fi
echo "actionlint.sh: actionlint $VERSION (ShellCheck from hack/shellcheck.sh) on ${#files[@]} workflows" >&2
if ! "$ACTIONLINT" -shellcheck="$shellcheck" -pyflakes= "${files[@]}"; then
  die "findings above (fix them; actionlint's docs explain each rule)"
fi
# A tag can be moved to other code after review; a commit SHA cannot. Every third-party action
# is pinned by its full commit SHA, with the tag it was in a comment (docs/security.md).
unpinned=$(grep -nE '^[[:space:]-]*uses:[[:space:]]*[^[:space:]#]+@' "${files[@]}" \
  | grep -vE 'uses:[[:space:]]*[^[:space:]#]+@[0-9a-f]{40}([[:space:]]|$)' || true)
if [ -n "$unpinned" ]; then
  printf '%s\n' "$unpinned" >&2
  die "actions above are not pinned by a full commit SHA (uses: owner/action@<40 hex> # vX.Y.Z)"
fi
echo "actionlint.sh: ${#files[@]} workflows clean, every action pinned by commit SHA" >&2
