#!/usr/bin/env bash
# A local stand-in for GitHub's Git hosting: serves every bare repository under DIR (for example
# DIR/acme/dags.git) over Git's SMART HTTP protocol, read-only, so the pods of the local cluster's
# real node can clone and fetch a DAG repository (shallow clones, fetches, protocol v2) as they
# would from github.com, while nothing leaves the machine. Pushes happen on the filesystem
# (git push /path/to/DIR/acme/dags.git ...); the next fetch sees them.
#
#   hack/git-host.sh DIR       serve DIR in the foreground until SIGTERM/SIGINT
#
# Address: the real node's bridge address 10.244.0.1 when this machine has it (hack/real-node.sh;
# host and pods both reach it), else 127.0.0.1 (the host only). GIT_HOST_ADDR and GIT_HOST_PORT
# override them; the default port is a free one. Once the server answers a real request (the
# smart-HTTP ref advertisement of a repository in DIR), exactly one line goes to stdout:
#
#   git host: http://ADDR:PORT/
#
# Logs (one line per request) go to stderr. Each request runs `git http-backend` as a CGI program
# (hack/git-host/server.py, standard library only); on SIGTERM/SIGINT the server kills the ones
# still running and exits 0, leaving no process behind.
set -euo pipefail

HACK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BRIDGE_ADDR=10.244.0.1 # NODE_IP of hack/real-node.sh

log() { printf '[git-host] %s\n' "$*" >&2; }
die() { printf '[git-host] ERROR: %s\n' "$*" >&2; exit 1; }

# The bridge address when a local interface has it (only while the real node is up), else loopback.
default_addr() {
  if command -v ip >/dev/null 2>&1 && [ -n "$(ip -4 -o addr show to "$BRIDGE_ADDR/32" 2>/dev/null)" ]; then
    echo "$BRIDGE_ADDR"
  else
    echo 127.0.0.1
  fi
}

[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
[ -d "$1" ] || die "$1 is not a directory"
command -v python3 >/dev/null 2>&1 || die "python3 is needed"
command -v git >/dev/null 2>&1 && [ -x "$(git --exec-path)/git-http-backend" ] ||
  die "git http-backend is missing (Debian package git)"

addr=${GIT_HOST_ADDR:-$(default_addr)}
port=${GIT_HOST_PORT:-0}
case $port in '' | *[!0-9]*) die "GIT_HOST_PORT must be a port number, not '$port'" ;; esac

# exec: the server is this process, so a signal to it reaches the server itself.
exec python3 "$HACK_DIR/git-host/server.py" "$1" "$addr" "$port"
