#!/bin/bash
# Entrypoint of branchflow.local/postgresql:15 (built by hack/images.sh from Debian's postgresql-15).
# It keeps the part of the official `postgres` image's contract that Branchflow's operator uses:
#   POSTGRES_PASSWORD  required (unless POSTGRES_HOST_AUTH_METHOD=trust): the superuser's password
#   POSTGRES_USER      the superuser created by initdb (default postgres)
#   POSTGRES_DB        a database created on first start (default: POSTGRES_USER)
#   PGDATA             the data directory (default /var/lib/postgresql/data)
#   POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD (default scram-sha-256)  as in the official image
# On an empty data directory it runs initdb, allows password (scram-sha-256) connections from any
# host, creates the database, then execs postgres listening on every address, port 5432. Started as
# root it prepares the data directory and drops to the postgres user (uid 999) first; started as
# uid 999 it runs as is. Arguments that start with '-' are passed to postgres; any other command is
# exec'd unchanged.
set -Eeuo pipefail

log() { echo "postgres-entrypoint: $*" >&2; }
die() { log "error: $*"; exit 1; }

if [ "${1:0:1}" = '-' ]; then
  set -- postgres "$@"
fi
if [ "${1:-}" != postgres ]; then
  exec "$@"
fi

export PGDATA=${PGDATA:-/var/lib/postgresql/data}
POSTGRES_USER=${POSTGRES_USER:-postgres}
POSTGRES_DB=${POSTGRES_DB:-$POSTGRES_USER}
POSTGRES_HOST_AUTH_METHOD=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}

if [ "$(id -u)" = 0 ]; then
  # As the official image: own the data and socket directories, then run as postgres.
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres "$PGDATA" /var/run/postgresql
  # PGDATA is often a directory inside the volume (the operator uses <mount>/pgdata). A fresh
  # volume's root can be root-owned 0750 (hostPath, some provisioners, no fsGroup support), which
  # the postgres user cannot even traverse: hand the volume's root to it too.
  parent=$(dirname "$PGDATA")
  if [ "$parent" != / ] && ! setpriv --reuid=postgres --regid=postgres --init-groups test -x "$parent"; then
    chown postgres:postgres "$parent"
  fi
  chmod 0700 "$PGDATA"
  chmod 3777 /var/run/postgresql
  exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != trust ]; then
    die "the database is uninitialized and POSTGRES_PASSWORD is not set (set it, or POSTGRES_HOST_AUTH_METHOD=trust)"
  fi
  mkdir -p "$PGDATA" 2>/dev/null || die "cannot create $PGDATA as uid $(id -u): make its parent writable, or start the container as root"
  chmod 0700 "$PGDATA" 2>/dev/null || true
  log "initializing $PGDATA (user $POSTGRES_USER, database $POSTGRES_DB)"
  pwfile=$(mktemp)
  trap 'rm -f "$pwfile"' EXIT
  printf '%s\n' "${POSTGRES_PASSWORD:-}" >"$pwfile"
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of words, as in the official image
  initdb --username="$POSTGRES_USER" --pwfile="$pwfile" --auth-local=trust \
    --auth-host="$POSTGRES_HOST_AUTH_METHOD" ${POSTGRES_INITDB_ARGS:-} >&2
  rm -f "$pwfile"
  trap - EXIT
  {
    echo
    echo "# added by branchflow's entrypoint: password authentication from any host"
    echo "host all all all $POSTGRES_HOST_AUTH_METHOD"
  } >>"$PGDATA/pg_hba.conf"
  {
    echo
    echo "# added by branchflow's entrypoint"
    echo "listen_addresses = '*'"
    echo "port = 5432"
  } >>"$PGDATA/postgresql.conf"
  if [ "$POSTGRES_DB" != postgres ]; then
    # A server on a private Unix socket only, to create the database (the official image uses the
    # usual socket, so pg_isready can pass before the real server is up; here it cannot).
    sockets=$(mktemp -d)
    pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -c unix_socket_directories=$sockets" -w start >&2
    psql -v ON_ERROR_STOP=1 --host "$sockets" --username "$POSTGRES_USER" --no-password --dbname postgres \
      --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";' >&2
    pg_ctl -D "$PGDATA" -m fast -w stop >&2
    rmdir "$sockets"
  fi
  log "initialization done"
fi

exec "$@"
