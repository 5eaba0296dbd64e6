#!/usr/bin/env bash
# Tests of the image's scripts (bin/) and of check-constraints.sh, runnable without a container
# engine: a stub `airflow` on PATH plays the metadata database, temporary files play the mounted
# Secrets and the constraints file. Takes a few seconds.
#
#   orchestrator-image/test/scripts-test.sh
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok      $1"; }
not_ok() { failed=$((failed + 1)); echo "FAILED  $1"; sed 's/^/        | /' "$work/out" || true; }

# expect NAME STATUS PATTERN [NOT-PATTERN] -- COMMAND...: COMMAND exits with STATUS and its output
# (stdout and stderr) matches PATTERN (an extended regex) and does not match NOT-PATTERN.
expect() {
  local name=$1 want=$2 pattern=$3 not_pattern="" got=0
  shift 3
  if [ "$1" != -- ]; then not_pattern=$1; shift; fi
  shift
  "$@" >"$work/out" 2>&1 || got=$?
  if [ "$got" -ne "$want" ]; then
    echo "        exit status $got, expected $want" >>"$work/out"
    not_ok "$name"
  elif ! grep -Eq -- "$pattern" "$work/out"; then
    echo "        output does not match /$pattern/" >>"$work/out"
    not_ok "$name"
  elif [ -n "$not_pattern" ] && grep -Eq -- "$not_pattern" "$work/out"; then
    echo "        output matches /$not_pattern/" >>"$work/out"
    not_ok "$name"
  else
    ok "$name"
  fi
}

# A stub `airflow`: `airflow db check` fails until it has been called $STUB_FAILURES times, then
# succeeds; with STUB_HANG=1 it hangs. Its failure message carries a password to be masked.
mkdir -p "$work/stub"
cat >"$work/stub/airflow" <<'STUB'
#!/usr/bin/env bash
set -euo pipefail
[ "$1 $2" = "db check" ] || { echo "stub airflow: unexpected arguments $*" >&2; exit 64; }
if [ "${STUB_HANG:-0}" = 1 ]; then exec sleep 30; fi
count=$(( $(cat "$STUB_COUNTER" 2>/dev/null || echo 0) + 1 ))
echo "$count" >"$STUB_COUNTER"
if [ "$count" -le "${STUB_FAILURES:-0}" ]; then
  echo "sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection to server failed" >&2
  echo "url: postgresql://airflow:s3cret-pass@postgres:5432/airflow" >&2
  exit 1
fi
echo "Connection successful."
STUB
chmod +x "$work/stub/airflow"
stub_path=$work/stub:$PATH
wait_for_db=$here/bin/branchflow-wait-for-db
check_readonly=$here/bin/branchflow-check-readonly

# --- branchflow-wait-for-db
export STUB_COUNTER=$work/counter
rm -f "$STUB_COUNTER"
expect "wait-for-db: answers at once" 0 "answered \(attempt 1," -- \
  env PATH="$stub_path" STUB_FAILURES=0 "$wait_for_db" --timeout 10 --interval 0
rm -f "$STUB_COUNTER"
expect "wait-for-db: answers on the third attempt" 0 "answered \(attempt 3," -- \
  env PATH="$stub_path" STUB_FAILURES=2 "$wait_for_db" --timeout 10 --interval 0
rm -f "$STUB_COUNTER"
expect "wait-for-db: gives up, names the last error, masks the password" 1 \
  "did not answer within 2s.*" "s3cret-pass" -- \
  env PATH="$stub_path" STUB_FAILURES=1000 "$wait_for_db" --timeout 2 --interval 1
expect "wait-for-db: the masked URL is shown" 1 "postgresql://airflow:\*\*\*@postgres" -- \
  env PATH="$stub_path" STUB_FAILURES=1000 "$wait_for_db" --timeout 1 --interval 1
rm -f "$STUB_COUNTER"
expect "wait-for-db: a hanging attempt is bounded" 1 "did not finish within 1s" -- \
  env PATH="$stub_path" STUB_HANG=1 "$wait_for_db" --timeout 1 --interval 0 --attempt-timeout 1
expect "wait-for-db: settings from the environment" 0 "answered" -- \
  env PATH="$stub_path" BRANCHFLOW_DB_WAIT_TIMEOUT=5 BRANCHFLOW_DB_WAIT_INTERVAL=0 "$wait_for_db"
expect "wait-for-db: bad number" 2 "must be a whole number" -- "$wait_for_db" --timeout soon
expect "wait-for-db: unknown argument" 2 "unknown argument: --bogus" -- "$wait_for_db" --bogus
expect "wait-for-db: --help" 0 "^usage: branchflow-wait-for-db" -- "$wait_for_db" --help
expect "wait-for-db: no airflow on PATH" 1 "no 'airflow' command" -- \
  env PATH=/usr/bin:/bin "$wait_for_db" --timeout 1

# --- branchflow-check-readonly, on a directory laid out like a mounted Secret volume
secret=$work/secret
mkdir -p "$secret/..2025_01_01_00_00_00.000000001"
printf 'super-secret-password' >"$secret/..2025_01_01_00_00_00.000000001/password"
printf 'readonly_user' >"$secret/..2025_01_01_00_00_00.000000001/username"
ln -s ..2025_01_01_00_00_00.000000001 "$secret/..data"
ln -s ..data/password "$secret/password"
ln -s ..data/username "$secret/username"
expect "check-readonly: a Secret volume, contents never printed" 0 \
  "password: 21 bytes, readable" "super-secret-password|readonly_user|\.\.data" -- \
  "$check_readonly" "$secret"
expect "check-readonly: the default directory from the environment" 0 "2 credential\(s\) present" -- \
  env BRANCHFLOW_PRODUCTION_DATA_DIR="$secret" "$check_readonly"
: >"$work/empty-key"
expect "check-readonly: an empty file" 1 "MISSING  .*empty-key: empty" -- "$check_readonly" "$work/empty-key"
expect "check-readonly: a missing path" 1 "does not exist" -- "$check_readonly" "$work/nowhere"
mkdir -p "$work/empty-dir"
expect "check-readonly: an empty directory" 1 "holds no credentials" -- "$check_readonly" "$work/empty-dir"
expect "check-readonly: a variable, value never printed" 0 "WAREHOUSE_DSN: set, 31 characters" \
  "hunter2" -- env WAREHOUSE_DSN="snowflake://reader:hunter2@acme" "$check_readonly" --env WAREHOUSE_DSN
expect "check-readonly: an unset variable" 1 "NOT_THERE: not set or empty" -- \
  "$check_readonly" --env NOT_THERE
expect "check-readonly: not a variable name" 1 "not a variable name" -- "$check_readonly" --env 'a b'
expect "check-readonly: unknown option" 2 "unknown option" -- "$check_readonly" --bogus
expect "check-readonly: --help" 0 "^usage: branchflow-check-readonly" -- "$check_readonly" --help

# --- check-constraints.sh, against constraints files written here
{
  echo "# constraints for a test"
  sed -n 's/^\(apache-airflow-providers-[a-z-]*==[0-9.]*\)$/\1/p' "$here/requirements.txt"
  echo "apache-airflow-providers-common-sql==1.28.2"
} >"$work/agree.txt"
providers=$(grep -c '^apache-airflow-providers-[a-z-]*==' "$here/requirements.txt")
expect "check-constraints: pins agree" 0 "$providers pins agree" -- "$here/check-constraints.sh" "$work/agree.txt"
sed 's/^apache-airflow-providers-slack==.*/apache_airflow_providers.Slack==0.0.1/' "$work/agree.txt" >"$work/differ.txt"
expect "check-constraints: a differing pin (names normalised)" 1 \
  "DIFFERS .*apache-airflow-providers-slack==[0-9.]+, constraints say 0.0.1" -- \
  "$here/check-constraints.sh" "$work/differ.txt"
grep -v snowflake "$work/agree.txt" >"$work/missing.txt"
expect "check-constraints: a pin not in the constraints" 1 "NOT IN CONSTRAINTS  apache-airflow-providers-snowflake" -- \
  "$here/check-constraints.sh" "$work/missing.txt"
expect "check-constraints: unreadable constraints" 2 "cannot read" -- "$here/check-constraints.sh" "$work/nowhere"

echo "scripts-test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
