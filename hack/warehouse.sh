#!/usr/bin/env bash
# A stand-in for the production data warehouse the DAGs read: PostgreSQL from Debian's
# `postgresql` package on this machine, with a database `warehouse`, a table sales.orders of
# sample rows, and a login `reader` that may only read it. Branch environments get the reader's
# login as their read-only production credentials (the Secret `warehouse-readonly`), so the
# e2e tests can show a branch's DAG reading production data and being refused every write.
#
#   hack/warehouse.sh up                    start it with fresh sample data (idempotent)
#   hack/warehouse.sh down                  stop it and delete all its files
#   hack/warehouse.sh status                whether it runs (exit 1 when not)
#   hack/warehouse.sh secret-yaml NAMESPACE print the Secret warehouse-readonly for NAMESPACE
#
# Root (PostgreSQL itself runs as the postgres user: it refuses root). Every `up` starts from a
# new data directory in $WAREHOUSE_DIR (default /run/branchflow-warehouse), so every start has the
# same rows; `down` removes that directory entirely. TCP only on WAREHOUSE_ADDR (default
# 10.244.0.1, the real node's bridge address that pods reach, when this machine has it, else
# 127.0.0.1) port WAREHOUSE_PORT (default 55432); besides, a Unix socket in a directory only the
# postgres user may enter, used to load the data. Password logins (SCRAM) from the bridge subnet
# and loopback only, and only as `reader` to `warehouse`.
#
# `reader` gets a new random password on every `up`, never printed: the connection URI with it
# is written to $WAREHOUSE_DIR/connection-uri (root only, mode 0600); `secret-yaml` turns it into
# the Secret, whose key AIRFLOW_CONN_WAREHOUSE Airflow reads as the connection `warehouse`:
#
#   hack/warehouse.sh secret-yaml bf-dags-hardy | kubectl apply -f -
set -euo pipefail
umask 077

SELF=$(realpath "${BASH_SOURCE[0]}")
BRIDGE_ADDR=10.244.0.1 # NODE_IP of hack/real-node.sh
BRIDGE_CIDR=10.244.0.0/24
STATE=${WAREHOUSE_DIR:-/run/branchflow-warehouse}
DATA=$STATE/data
SOCK_DIR=$STATE/socket
PG_LOG=$STATE/postgres.log
URI_FILE=$STATE/connection-uri
PORT=${WAREHOUSE_PORT:-55432}
DB=warehouse
OWNER=warehouse_owner # owns the schema and the table; cannot log in
READER=reader
PACKAGES=(postgresql)

log() { printf '[warehouse] %s\n' "$*" >&2; }
die() { printf '[warehouse] ERROR: %s\n' "$*" >&2; exit 1; }

# The bridge address when a local interface has it (only while the real node is up), else loopback.
default_addr() {
  if command -v ip >/dev/null 2>&1 && [ -n "$(ip -4 -o addr show to "$BRIDGE_ADDR/32" 2>/dev/null)" ]; then
    echo "$BRIDGE_ADDR"
  else
    echo 127.0.0.1
  fi
}

# alive PID: running, not a zombie (PostgreSQL outlives this script; its parent is PID 1, which
# may reap it seconds after it exits).
alive() {
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [ "${state:0:1}" != Z ]
}

# The postmaster's PID when it runs (first line of postmaster.pid), else nothing and status 1.
postmaster_pid() {
  local pid
  [ -f "$DATA/postmaster.pid" ] || return 1
  pid=$(head -n 1 "$DATA/postmaster.pid")
  [[ $pid =~ ^[0-9]+$ ]] && alive "$pid" || return 1
  echo "$pid"
}

require_packages() {
  local missing=() p work
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    command -v apt-get >/dev/null || die "the warehouse needs the Debian packages ${missing[*]}"
    log "installing Debian packages: ${missing[*]}"
    work=$(mktemp)
    # Package lists may be missing or stale on a new machine: update once and retry.
    {
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" ||
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; }
    } >"$work" 2>&1 || { tail -n 30 "$work" >&2; rm -f "$work"; die "apt-get install ${missing[*]} failed"; }
    rm -f "$work"
  fi
}

# The newest installed PostgreSQL's programs (Debian keeps them per major version).
pg_bin() {
  local dir
  dir=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && [ -x "$dir/postgres" ] || die "no PostgreSQL server in /usr/lib/postgresql/*/bin (Debian package postgresql)"
  echo "$dir"
}

# 9<&-: the lock of up/down (fd 9) must not live on in the postmaster.
as_postgres() { runuser -u postgres -- "$@" 9<&-; }

# Stops the postmaster (fast shutdown: sessions are ended), SIGKILL if it does not go.
stop_server() {
  local pid
  pid=$(postmaster_pid) || return 0
  as_postgres "$PG/pg_ctl" -D "$DATA" -m fast -w -t 30 stop >/dev/null 2>&1 || kill -KILL "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 30))
  while alive "$pid"; do
    [ $SECONDS -lt $deadline ] || die "PostgreSQL (pid $pid) does not stop"
    sleep 0.2
  done
}

urlencode() {
  local LC_ALL=C s=$1 out='' c i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case $c in
      [A-Za-z0-9._~-]) out+=$c ;;
      *) printf -v c '%%%02X' "'$c"; out+=$c ;;
    esac
  done
  echo "$out"
}

# The URI without the password, as printed: postgresql://reader@ADDR:PORT/warehouse
public_uri() { sed 's#^\(postgresql://[^:@/]*\):[^@]*@#\1@#' "$URI_FILE"; }

# reader_psql ADDR PASSWORD SQL: one statement as the reader, over TCP like a pod.
reader_psql() {
  PGPASSWORD=$2 PGCONNECT_TIMEOUT=5 "$PG/psql" -X -q -At -v ON_ERROR_STOP=1 \
    -h "$1" -p "$PORT" -U "$READER" -d "$DB" -c "$3" 2>&1
}

load_sample_data() {
  local password=$1
  # Over the Unix socket as the superuser; the password goes through stdin, never argv.
  # No statement text in an error, neither psql's nor the server log's: it may hold the password.
  as_postgres "$PG/psql" -X -q -v ON_ERROR_STOP=1 -v VERBOSITY=terse -h "$SOCK_DIR" -p "$PORT" -U postgres -d postgres <<SQL
SET log_min_error_statement = panic;
CREATE ROLE $OWNER NOLOGIN;
CREATE DATABASE $DB OWNER $OWNER;
CREATE ROLE $READER LOGIN PASSWORD '$password';
-- No CONNECT or TEMP for PUBLIC: the reader gets CONNECT alone, below.
REVOKE ALL ON DATABASE $DB FROM PUBLIC;
GRANT CONNECT ON DATABASE $DB TO $READER;
\\connect $DB
REVOKE ALL ON SCHEMA public FROM PUBLIC;
SET ROLE $OWNER;
CREATE SCHEMA sales;
CREATE TABLE sales.orders (
  id integer PRIMARY KEY,
  customer text NOT NULL,
  amount numeric(10, 2) NOT NULL,
  ordered_at timestamptz NOT NULL
);
INSERT INTO sales.orders (id, customer, amount, ordered_at) VALUES
  (1, 'Hardy Outfitters', 120.00, '2026-01-05 09:12:00+00'),
  (2, 'Blue Fjord Cafe', 45.50, '2026-01-06 14:03:00+00'),
  (3, 'Nordlicht GmbH', 310.25, '2026-01-09 08:47:00+00'),
  (4, 'Okapi Books', 18.75, '2026-01-12 17:30:00+00'),
  (5, 'Pine & Pixel', 99.99, '2026-01-15 11:21:00+00'),
  (6, 'Quarry Labs', 150.00, '2026-01-19 10:00:00+00'),
  (7, 'Hardy Outfitters', 72.40, '2026-01-22 16:45:00+00'),
  (8, 'Saffron Street', 64.11, '2026-01-26 12:09:00+00'),
  (9, 'Blue Fjord Cafe', 12.00, '2026-01-29 07:58:00+00'),
  (10, 'Tidewater Co', 205.00, '2026-02-02 13:37:00+00'),
  (11, 'Okapi Books', 57.50, '2026-02-05 15:16:00+00'),
  (12, 'Nordlicht GmbH', 79.00, '2026-02-09 09:41:00+00');
GRANT USAGE ON SCHEMA sales TO $READER;
GRANT SELECT ON ALL TABLES IN SCHEMA sales TO $READER;
ALTER DEFAULT PRIVILEGES IN SCHEMA sales GRANT SELECT ON TABLES TO $READER;
RESET ROLE;
SQL
}

cmd_up() {
  local pid addr=${WAREHOUSE_ADDR:-} password uri out deadline
  if pid=$(postmaster_pid); then
    log "already running (pid $pid, data $DATA)"
    echo "warehouse: $(public_uri)"
    return 0
  fi
  [ -n "$addr" ] || addr=$(default_addr)
  [[ $addr =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "WAREHOUSE_ADDR must be an IPv4 address, not '$addr'"
  [[ $PORT =~ ^[0-9]+$ ]] || die "WAREHOUSE_PORT must be a port number, not '$PORT'"
  [ -n "$(ip -4 -o addr show to "$addr/32" 2>/dev/null)" ] || die "no local interface has the address $addr"
  require_packages
  PG=$(pg_bin)

  # From here on, a failure leaves nothing behind: no server, no files.
  up_done=0
  trap 'if [ "$up_done" != 1 ]; then tail -n 20 "$PG_LOG" "$STATE/initdb.log" >&2 2>/dev/null; stop_server; rm -rf "$STATE"; log "up failed: stopped, $STATE removed"; fi' EXIT
  rm -rf "$STATE"
  # 0711: the postgres user passes through to its own directories, but lists and reads nothing.
  mkdir -p "$STATE"
  chmod 0711 "$STATE"
  install -d -o postgres -g postgres -m 0700 "$DATA" "$SOCK_DIR"
  install -o postgres -g postgres -m 0600 /dev/null "$PG_LOG"
  log "initdb in $DATA (PostgreSQL $("$PG/postgres" --version | awk '{print $3}'))"
  as_postgres "$PG/initdb" -D "$DATA" -U postgres --auth=peer --encoding=UTF8 --locale=C.UTF-8 \
    --no-sync --no-instructions >"$STATE/initdb.log" 2>&1
  cat >>"$DATA/postgresql.conf" <<CONF

# hack/warehouse.sh
listen_addresses = '$addr'
port = $PORT
unix_socket_directories = '$SOCK_DIR'
unix_socket_permissions = 0700
password_encryption = 'scram-sha-256'
ssl = off
max_connections = 50
shared_buffers = 32MB
log_connections = on
# Sample data, rebuilt on every start: durability is not worth the disk writes.
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
  cat >"$DATA/pg_hba.conf" <<HBA
# hack/warehouse.sh: the superuser over the Unix socket (loading the data), and the reader with a
# password from loopback and the real node's bridge. Nothing else.
local all postgres peer
host $DB $READER 127.0.0.1/32 scram-sha-256
host $DB $READER $BRIDGE_CIDR scram-sha-256
HBA
  log "starting PostgreSQL on $addr:$PORT"
  as_postgres "$PG/pg_ctl" -D "$DATA" -l "$PG_LOG" -w -t 60 start >/dev/null
  password=$(head -c 48 /dev/urandom | base64 -w 0 | tr -dc 'A-Za-z0-9')
  [ ${#password} -ge 32 ] || die "could not make a password"
  load_sample_data "$password" >>"$STATE/initdb.log" 2>&1 || die "loading the sample data failed"

  # Ready only when the reader can log in over TCP, read, and not write.
  deadline=$((SECONDS + 30))
  until out=$(reader_psql "$addr" "$password" 'SELECT count(*) FROM sales.orders'); do
    [ $SECONDS -lt $deadline ] || die "the reader cannot log in on $addr:$PORT: $out"
    sleep 0.5
  done
  [ "$out" = 12 ] || die "the reader sees $out rows in sales.orders, not 12"
  out=$(reader_psql "$addr" "$password" "INSERT INTO sales.orders VALUES (100, 'probe', 1, now())") &&
    die "the reader could INSERT into sales.orders"
  [[ $out == *'permission denied for table orders'* ]] || die "the reader's INSERT failed, but not for want of privilege: $out"

  uri="postgresql://$READER:$(urlencode "$password")@$addr:$PORT/$DB"
  (umask 077 && printf '%s\n' "$uri" >"$URI_FILE.tmp")
  mv "$URI_FILE.tmp" "$URI_FILE"
  up_done=1
  log "ready: the reader reads 12 rows and may not write (data $DATA, log $PG_LOG, URI with password in $URI_FILE)"
  echo "warehouse: $(public_uri)"
}

cmd_down() {
  local pid
  if pid=$(postmaster_pid); then
    PG=$(pg_bin)
    log "stopping PostgreSQL (pid $pid)"
    stop_server
  else
    log "not running"
  fi
  if [ -e "$STATE" ]; then
    rm -rf "$STATE"
    log "removed $STATE"
  fi
}

cmd_status() {
  local pid
  if pid=$(postmaster_pid); then
    echo "running: $(public_uri) (pid $pid, data $DATA)"
  else
    echo "not running"
    return 1
  fi
}

cmd_secret_yaml() {
  local ns=$1
  [[ $ns =~ ^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$ ]] || die "'$ns' is not a namespace name (DNS-1123 label)"
  postmaster_pid >/dev/null && [ -s "$URI_FILE" ] || die "the warehouse does not run ($0 up)"
  cat <<YAML
# The warehouse stand-in's read-only login (hack/warehouse.sh): Airflow reads the variable
# AIRFLOW_CONN_WAREHOUSE as the connection "warehouse" (postgresql:// is conn_type postgres).
# The label is its owner's opt-in: productionData copies only Secrets that carry it.
apiVersion: v1
kind: Secret
metadata:
  name: warehouse-readonly
  namespace: $ns
  labels:
    branchflow.io/production-data: read-only
type: Opaque
data:
  AIRFLOW_CONN_WAREHOUSE: $(tr -d '\n' <"$URI_FILE" | base64 -w 0)
YAML
}

[ "$(id -u)" = 0 ] || die "needs root (it runs PostgreSQL as the postgres user and keeps the password root-only)"
# Every path absolute: the postgres user works from /, not from the caller's directory.
STATE=$(realpath -m "$STATE")
DATA=$STATE/data SOCK_DIR=$STATE/socket PG_LOG=$STATE/postgres.log URI_FILE=$STATE/connection-uri
cd /

case "${1:-}" in
  up | down)
    # One up or down at a time.
    exec 9<"$SELF"
    flock -w 120 9 || die "another $0 up/down holds the lock"
    "cmd_$1"
    ;;
  status) cmd_status ;;
  secret-yaml)
    [ $# -eq 2 ] || { echo "usage: $0 secret-yaml NAMESPACE" >&2; exit 2; }
    cmd_secret_yaml "$2"
    ;;
  *) echo "usage: $0 up|down|status|secret-yaml NAMESPACE" >&2; exit 2 ;;
esac
