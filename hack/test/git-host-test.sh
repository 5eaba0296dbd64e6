#!/usr/bin/env bash
# Test of hack/git-host.sh against 127.0.0.1, with the real git client: a bare repository with
# commits on feature/hardy is served; a shallow clone of that branch, a fetch after a commit is
# pushed on the filesystem, and a protocol v2 ls-remote must all work; a push over HTTP and an
# unknown repository must not; SIGTERM must stop the server with exit status 0. Takes seconds,
# needs no root and no cluster. Exits non-zero when anything fails.
#
#   hack/test/git-host-test.sh
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
server_pid=
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The caller's Git configuration plays no part; commits get a fixed identity.
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 GIT_TERMINAL_PROMPT=0
export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.invalid
export GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.invalid
export NO_PROXY='*' no_proxy='*'

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok      $1"; }
not_ok() { failed=$((failed + 1)); echo "FAILED  $1"; sed 's/^/        | /' "$work/out" || true; }
# check NAME COMMAND...: COMMAND succeeds (its output goes to $work/out, shown on failure).
check() { local name=$1; shift; if "$@" >"$work/out" 2>&1; then ok "$name"; else not_ok "$name"; fi; }
# refused NAME COMMAND...: COMMAND fails.
refused() { local name=$1; shift; if "$@" >"$work/out" 2>&1; then not_ok "$name"; else ok "$name"; fi; }
# same NAME WANT GOT
same() { if [ "$2" = "$3" ]; then ok "$1"; else echo "        want '$2', got '$3'" >"$work/out"; not_ok "$1"; fi; }

started=$SECONDS

# A bare repository acme/dags.git with two commits on feature/hardy, made by pushing from a
# scratch repository on the filesystem (the way the e2e tests push).
bare=$work/repos/acme/dags.git
src=$work/src
git init -q --bare -b main "$bare"
git init -q -b feature/hardy "$src"
echo 'first' >"$src/a.txt"
git -C "$src" add a.txt && git -C "$src" commit -q -m first
echo 'second' >"$src/b.txt"
git -C "$src" add b.txt && git -C "$src" commit -q -m second
git -C "$src" push -q "$bare" feature/hardy
second=$(git -C "$src" rev-parse HEAD)

GIT_HOST_ADDR=127.0.0.1 "$here/git-host.sh" "$work/repos" >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
deadline=$((SECONDS + 20))
until [ -s "$work/server.out" ] || [ $SECONDS -ge $deadline ] || ! kill -0 "$server_pid" 2>/dev/null; do sleep 0.1; done
cp "$work/server.log" "$work/out"
line=$(cat "$work/server.out")
if [[ $line =~ ^git\ host:\ (http://127\.0\.0\.1:[0-9]+/)$ ]]; then
  url=${BASH_REMATCH[1]}
  ok "prints 'git host: http://127.0.0.1:PORT/' once it answers ($line)"
else
  echo "        stdout: '$line'" >>"$work/out"
  not_ok "prints 'git host: http://127.0.0.1:PORT/' once it answers"
  exit 1
fi
repo_url=${url}acme/dags.git

check "shallow clone of feature/hardy (--depth 1)" \
  git clone -q --depth 1 --branch feature/hardy "$repo_url" "$work/clone"
same "the clone is shallow" true "$(git -C "$work/clone" rev-parse --is-shallow-repository 2>&1)"
same "the clone holds one commit" 1 "$(git -C "$work/clone" rev-list --count HEAD 2>&1)"
same "the clone's HEAD is the branch's tip" "$second" "$(git -C "$work/clone" rev-parse HEAD 2>&1)"

echo 'third' >"$src/c.txt"
git -C "$src" add c.txt && git -C "$src" commit -q -m third
git -C "$src" push -q "$bare" feature/hardy
third=$(git -C "$src" rev-parse HEAD)
check "fetch in the shallow clone" git -C "$work/clone" fetch -q
same "the fetch sees the new commit" "$third" "$(git -C "$work/clone" rev-parse origin/feature/hardy 2>&1)"
same "the clone stays shallow" true "$(git -C "$work/clone" rev-parse --is-shallow-repository 2>&1)"

# GIT_TRACE_PACKET shows the server's answer: "version 2" only when it spoke protocol v2.
GIT_TRACE_PACKET=1 git -c protocol.version=2 ls-remote "$repo_url" >"$work/ls-remote" 2>"$work/trace" || true
cp "$work/trace" "$work/out"
if grep -q 'git< version 2$' "$work/trace"; then
  ok "ls-remote speaks protocol v2"
else
  not_ok "ls-remote speaks protocol v2"
fi
same "ls-remote lists feature/hardy at the new commit" "$third	refs/heads/feature/hardy" \
  "$(grep 'refs/heads/feature/hardy$' "$work/ls-remote")"

# What git sends only for big requests, sent small by curl: a gzip body (Content-Encoding) and a
# chunked one (no Content-Length), each a protocol v2 ls-refs command.
ls_refs() { printf '0014command=ls-refs\n00010000'; }
post() {
  curl -fsS --noproxy '*' -H 'Git-Protocol: version=2' -H 'Content-Type: application/x-git-upload-pack-request' \
    "$@" "${repo_url}/git-upload-pack"
}
ls_refs | gzip >"$work/body.gz"
check "a gzip-encoded POST body is understood" \
  grep -q "$third refs/heads/feature/hardy" <(post -H 'Content-Encoding: gzip' --data-binary @"$work/body.gz")
check "a chunked POST body is understood" \
  grep -q "$third refs/heads/feature/hardy" <(ls_refs | post -H 'Transfer-Encoding: chunked' --data-binary @-)

refused "an unknown repository is not found" git ls-remote "${url}acme/nope.git"
git -C "$work/clone" commit -q --allow-empty -m 'over http' || true
refused "a push over HTTP is refused (read-only)" git -C "$work/clone" push -q origin HEAD:refs/heads/feature/pushed
same "the refused push changed nothing" "" "$(git -C "$bare" for-each-ref refs/heads/feature/pushed)"

kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=
cp "$work/server.log" "$work/out"
same "SIGTERM stops the server with exit status 0" 0 "$status"
same "stdout held exactly one line" 1 "$(wc -l <"$work/server.out")"

echo "$passed passed, $failed failed ($((SECONDS - started)) s)"
[ "$failed" -eq 0 ]
