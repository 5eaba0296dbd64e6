#!/usr/bin/env bash
# Compares the pins of orchestrator-image/requirements.txt with Airflow's constraints file, so a
# bump of the base image or of a provider that disagrees is caught before a (long) image build.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: orchestrator-image/check-constraints.sh [--python X.Y] [CONSTRAINTS]

Checks that every name==version pin in orchestrator-image/requirements.txt equals the pin of
the same package in Airflow's constraints file. CONSTRAINTS is a file or an https URL; by
default the URL of the constraints for the pinned apache-airflow version and Python 3.12:
  https://raw.githubusercontent.com/apache/airflow/constraints-<version>/constraints-3.12.txt
(apache-airflow itself is not in a constraints file; it names the file instead).

  --python X.Y  the image's Python version (default 3.12)
  -h, --help    this text

Exit status: 0 all pins agree, 1 a pin disagrees or is not in the constraints, 2 bad usage or
the constraints could not be read.
EOF
}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
requirements=$here/requirements.txt
python=3.12
source=""
while [ $# -gt 0 ]; do
  case $1 in
    --python) [ $# -ge 2 ] || { usage >&2; exit 2; }; python=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    -*) echo "check-constraints.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) [ -z "$source" ] || { usage >&2; exit 2; }; source=$1; shift ;;
  esac
done

# name==version lines of a requirements or constraints file, names normalised (PEP 503), sorted.
pins() {
  sed -e 's/#.*//' -e 's/[[:space:]]//g' "$1" \
    | grep -E '^[A-Za-z0-9._-]+==' \
    | awk -F'==' '{ name = tolower($1); gsub(/[._-]+/, "-", name); print name "==" $2 }' \
    | LC_ALL=C sort
}

airflow_version=$(pins "$requirements" | sed -n 's/^apache-airflow==//p')
[ -n "$airflow_version" ] || { echo "check-constraints.sh: $requirements pins no apache-airflow" >&2; exit 2; }
[ -n "$source" ] || source=https://raw.githubusercontent.com/apache/airflow/constraints-$airflow_version/constraints-$python.txt

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
case $source in
  https://* | http://*)
    command -v curl >/dev/null || { echo "check-constraints.sh: curl is needed to fetch $source" >&2; exit 2; }
    curl -fsSL --retry 3 -o "$work/constraints.txt" "$source" \
      || { echo "check-constraints.sh: could not fetch $source" >&2; exit 2; }
    ;;
  *)
    [ -r "$source" ] || { echo "check-constraints.sh: cannot read $source" >&2; exit 2; }
    cp "$source" "$work/constraints.txt"
    ;;
esac
pins "$work/constraints.txt" >"$work/constraints.pins"
[ -s "$work/constraints.pins" ] || { echo "check-constraints.sh: no pins in $source" >&2; exit 2; }

bad=0
checked=0
while IFS= read -r pin; do
  name=${pin%%==*}
  version=${pin#*==}
  [ "$name" != apache-airflow ] || continue
  checked=$((checked + 1))
  constrained=$(sed -n "s/^${name}==//p" "$work/constraints.pins")
  if [ -z "$constrained" ]; then
    echo "NOT IN CONSTRAINTS  $name==$version"
    bad=$((bad + 1))
  elif [ "$constrained" != "$version" ]; then
    echo "DIFFERS             $name==$version, constraints say $constrained"
    bad=$((bad + 1))
  else
    echo "OK                  $name==$version"
  fi
done < <(pins "$requirements")

if [ "$bad" -gt 0 ]; then
  echo "check-constraints.sh: $bad of $checked pins disagree with $source" >&2
  exit 1
fi
echo "check-constraints.sh: $checked pins agree with $source"
