#!/usr/bin/env bash
# Test of hack/warehouse.sh on 127.0.0.1 with psql: `up` prints its line and nothing secret, the
# server listens on that one address only, the reader reads the 12 sample rows and is refused
# INSERT, UPDATE, DELETE (table orders), CREATE TABLE in sales and in public; `up` again changes
# nothing; status and secret-yaml tell the truth; `down` leaves no process and no file; the next
# `up` has a new password. Needs root (as the script does), not the cluster. A few seconds.
#
# It runs its own warehouse (its own directory under /run and a free port), so a warehouse
# already running on this machine is left alone.
#
#   hack/test/warehouse-test.sh
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "warehouse-test.sh: needs root, as hack/warehouse.sh does" >&2; exit 1; }
work=$(mktemp -d)
export WAREHOUSE_ADDR=127.0.0.1
export WAREHOUSE_DIR=/run/branchflow-warehouse-test.$$
WAREHOUSE_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export WAREHOUSE_PORT
wh=$here/warehouse.sh
cleanup() {
  "$wh" down >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok      $1"; }
not_ok() { failed=$((failed + 1)); echo "FAILED  $1"; sed 's/^/        | /' "$work/out" || true; }
# same NAME WANT GOT
same() { if [ "$2" = "$3" ]; then ok "$1"; else printf '        want: %s\n        got:  %s\n' "$2" "$3" >"$work/out"; not_ok "$1"; fi; }
# run COMMAND...: stdout to $work/stdout, stderr to $work/stderr, both to $work/out; sets $rc.
run() {
  rc=0
  "$@" >"$work/stdout" 2>"$work/stderr" || rc=$?
  cat "$work/stdout" "$work/stderr" >"$work/out"
  cat "$work/out" >>"$work/all-output"
}
# psql_reader SQL: one statement as the reader with the URI (and password) of the running warehouse.
psql_reader() { psql -X -At -v ON_ERROR_STOP=1 "$(cat "$WAREHOUSE_DIR/connection-uri")" -c "$1" 2>&1 || true; }
# refused STATEMENT-NAME SQL MESSAGE
refused() {
  local got
  got=$(psql_reader "$2")
  echo "$got" >"$work/out"
  if [[ $got == *"ERROR:  $3"* ]]; then ok "$1 refused: $3"; else not_ok "$1 refused: $3"; fi
}
# The postmaster's PID and its children's.
server_pids() {
  local pm
  pm=$(head -n 1 "$WAREHOUSE_DIR/data/postmaster.pid")
  echo "$pm $(ps -o pid= --ppid "$pm" | tr '\n' ' ')"
}
# alive PID: a running process, not a zombie waiting for PID 1.
alive() { local s; s=$(ps -o stat= -p "$1" 2>/dev/null) || return 1; [ "${s:0:1}" != Z ]; }

started=$SECONDS
line="warehouse: postgresql://reader@127.0.0.1:$WAREHOUSE_PORT/warehouse"

t0=$SECONDS
run "$wh" up
same "up exits 0 ($((SECONDS - t0)) s)" 0 "$rc"
same "up prints one line: $line" "$line" "$(cat "$work/stdout")"
[ "$rc" = 0 ] || { echo "$passed passed, $failed failed"; exit 1; }
password=$(sed 's#^postgresql://reader:\([^@]*\)@.*#\1#' "$WAREHOUSE_DIR/connection-uri")
same "the URI file is root's alone (mode 600)" "600 root" "$(stat -c '%a %U' "$WAREHOUSE_DIR/connection-uri")"
same "the URI file holds the reader's URI" "postgresql://reader:$password@127.0.0.1:$WAREHOUSE_PORT/warehouse" \
  "$(cat "$WAREHOUSE_DIR/connection-uri")"

read -r -a pids <<<"$(server_pids)"
# Every TCP socket the server's processes listen on: only ADDR:PORT (ss -p names the processes).
listening=$(ss -Hltnp | grep -E "pid=($(IFS='|'; echo "${pids[*]}"))," | awk '{print $4}' | sort -u | tr '\n' ' ')
same "listens on 127.0.0.1:$WAREHOUSE_PORT and no other address" "127.0.0.1:$WAREHOUSE_PORT " "$listening"

same "the reader reads 12 orders, total 1234.50" "12|1234.50" \
  "$(psql_reader 'SELECT count(*), sum(amount) FROM sales.orders')"
refused INSERT "INSERT INTO sales.orders VALUES (13, 'x', 1, now())" "permission denied for table orders"
refused UPDATE "UPDATE sales.orders SET amount = 0 WHERE id = 1" "permission denied for table orders"
refused DELETE "DELETE FROM sales.orders WHERE id = 1" "permission denied for table orders"
refused "CREATE TABLE sales.x" "CREATE TABLE sales.x (id integer)" "permission denied for schema sales"
refused "CREATE TABLE public.x" "CREATE TABLE public.x (id integer)" "permission denied for schema public"
same "the refused writes changed nothing" "12|1234.50" "$(psql_reader 'SELECT count(*), sum(amount) FROM sales.orders')"
other=$(psql -X -At "$(sed 's#/warehouse$#/postgres#' "$WAREHOUSE_DIR/connection-uri")" -c 'SELECT 1' 2>&1 || true)
echo "$other" >"$work/out"
if [[ $other == *'no pg_hba.conf entry'* ]]; then ok "the reader may not log in to another database"; else
  not_ok "the reader may not log in to another database"; fi

run "$wh" up
same "up again exits 0" 0 "$rc"
same "up again says it runs already" 1 "$(grep -c 'already running' "$work/stderr")"
same "up again prints the same line" "$line" "$(cat "$work/stdout")"
same "up again keeps the password" "$password" \
  "$(sed 's#^postgresql://reader:\([^@]*\)@.*#\1#' "$WAREHOUSE_DIR/connection-uri")"

run "$wh" status
same "status: running, exit 0" "0 running: postgresql://reader@127.0.0.1:$WAREHOUSE_PORT/warehouse" \
  "$rc $(cut -d' ' -f1-2 "$work/stdout")"

run "$wh" secret-yaml bf-dags-hardy
same "secret-yaml: Secret warehouse-readonly in bf-dags-hardy" "Secret warehouse-readonly bf-dags-hardy" \
  "$(awk '$1 == "kind:" {k = $2} $1 == "name:" {n = $2} $1 == "namespace:" {s = $2} END {print k, n, s}' "$work/stdout")"
same "secret-yaml: AIRFLOW_CONN_WAREHOUSE is the reader's URI" "$(cat "$WAREHOUSE_DIR/connection-uri")" \
  "$(awk '$1 == "AIRFLOW_CONN_WAREHOUSE:" {print $2}' "$work/stdout" | base64 -d)"
run "$wh" secret-yaml Not_A_Namespace
same "secret-yaml refuses a bad namespace name" 1 "$rc"

t0=$SECONDS
run "$wh" down
same "down exits 0 ($((SECONDS - t0)) s)" 0 "$rc"
left=()
for pid in "${pids[@]}"; do alive "$pid" && left+=("$pid"); done
same "down leaves none of the server's ${#pids[@]} processes" "" "${left[*]}"
same "down leaves no file ($WAREHOUSE_DIR is gone)" "" "$(ls -d "$WAREHOUSE_DIR" 2>/dev/null)"
same "down leaves nothing listening on port $WAREHOUSE_PORT" "" "$(ss -Hltn "sport = :$WAREHOUSE_PORT")"
run "$wh" status
same "status: not running, exit 1" "1 not running" "$rc $(cat "$work/stdout")"
run "$wh" down
same "down again exits 0" 0 "$rc"

run "$wh" up
same "up after down exits 0" 0 "$rc"
password2=$(sed 's#^postgresql://reader:\([^@]*\)@.*#\1#' "$WAREHOUSE_DIR/connection-uri")
if [ "$password2" != "$password" ] && [ ${#password2} -ge 32 ]; then ok "up after down: a new password"; else
  echo "        same password, or shorter than 32" >"$work/out"; not_ok "up after down: a new password"; fi
same "up after down: the same 12 rows" "12|1234.50" "$(psql_reader 'SELECT count(*), sum(amount) FROM sales.orders')"
run "$wh" down

if grep -qF -e "$password" -e "$password2" "$work/all-output"; then
  echo "        a password appears in the scripts' output" >"$work/out"
  not_ok "no password in anything the script printed (but secret-yaml)"
else
  ok "no password in anything the script printed (but secret-yaml)"
fi

echo "$passed passed, $failed failed ($((SECONDS - started)) s)"
[ "$failed" -eq 0 ]
