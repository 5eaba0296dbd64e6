#!/usr/bin/env bash
# `make demo`: Branchflow's main job end to end on this machine, no containers, no internet.
# Builds what it needs, starts a private local control plane, the operator and the webhook
# receiver as local processes and stand-ins for GitHub and Slack that print what they
# receive, and a local Git host serving acme/dags (examples/dags); sends a signed GitHub
# `create` webhook for feature/hardy, follows the environment to Ready on the real node, logs in
# to its Airflow, runs the branch's DAGs (one reads the warehouse stand-in, one shows every write
# refused), pushes a change and shows Airflow pick it up, saves a screenshot of the UI, pushes a
# DAG file that does not import and shows it reported (status, GitHub commit status, Slack thread)
# and cleared by the fixing push, sends the
# branch `delete` webhook, follows the teardown to the end and stops everything it started.
# Exits 0 only if every step really happened.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

CACHE=${BRANCHFLOW_CACHE:-$HOME/.cache/branchflow}
export BRANCHFLOW_CLUSTER_DIR=${BRANCHFLOW_DEMO_CLUSTER_DIR:-$CACHE/demo-cluster}
NS=branchflow-system
REPOSITORY=acme/dags
BRANCH=feature/hardy
SECRET=local-dev-secret # examples/10-acme-dags-secrets.yaml: for local use only
LOGS=$ROOT/target/demo
TIMEOUT=${BRANCHFLOW_DEMO_TIMEOUT:-600}
AIRFLOW_IMAGE=branchflow.local/airflow:3.3.2
POSTGRES_IMAGE=branchflow.local/postgresql:15
mkdir -p "$LOGS"

START=$(date +%s)
STEP=0
PIDS=()
step() { STEP=$((STEP + 1)); printf '\n\033[1m[%d] %s\033[0m  (+%ss)\n' "$STEP" "$*" "$(($(date +%s) - START))"; }
info() { echo "    $*"; }
fail() { printf '\n\033[31mdemo failed at step %d: %s\033[0m\n' "$STEP" "$*" >&2; echo "logs: $LOGS" >&2; exit 1; }

cleanup() {
  local code=$?
  trap - EXIT INT TERM
  printf '\n\033[1m[end] stopping what the demo started\033[0m\n'
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  hack/local-cluster.sh down >/dev/null 2>&1 || true
  if pgrep -f "$BRANCHFLOW_CLUSTER_DIR" >/dev/null; then
    echo "    some processes of the demo cluster are still running" >&2
    code=1
  else
    echo "    operator, receiver, stand-ins and the control plane are stopped"
  fi
  [ $code -eq 0 ] && printf '\n\033[32mdemo complete in %ss\033[0m\n' "$(($(date +%s) - START))"
  exit $code
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_up() { # url pid name: 0 once it answers, 1 if the process exited first
  for _ in $(seq 1 240); do
    curl -fsS "$1" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.5
  done
  fail "$3 did not become ready at $1 (log: $LOGS/$3.log)"
}

wait_http() { # url pid name
  wait_up "$@" || { tail -30 "$LOGS/$3.log" >&2; fail "$3 exited (log: $LOGS/$3.log)"; }
}

check_state() { # python expression over the stand-ins' state `s`; description; [seconds]
  local deadline=$(($(date +%s) + ${3:-60}))
  while :; do
    if curl -fsS "$STANDINS/_demo/state" | python3 -c "import json,sys; s=json.load(sys.stdin); sys.exit(0 if ($1) else 1)"; then return 0; fi
    [ "$(date +%s)" -lt "$deadline" ] || fail "$2"
    sleep 1
  done
}
send_webhook() { # event body
  local sig
  sig=$(printf '%s' "$2" | openssl dgst -sha256 -hmac "$SECRET" | sed 's/^.* //')
  curl -sS -w '\n%{http_code}' "$RECEIVER/webhooks/github" \
    -H 'Content-Type: application/json' -H "X-GitHub-Event: $1" \
    -H "X-GitHub-Delivery: demo-$1-$(date +%s%N)" -H "X-Hub-Signature-256: sha256=$sig" \
    -d "$2"
}

# ------------------------------------------------------------------------------------------
step "build the operator and the webhook receiver"
./mvnw -B -ntp -q -pl operator,webhook-receiver -am package -DskipTests >"$LOGS/build.log" 2>&1 \
  || { tail -30 "$LOGS/build.log" >&2; fail "the build failed (log: $LOGS/build.log)"; }
info "operator/target/quarkus-app, webhook-receiver/target/quarkus-app"

step "start a local cluster: control plane, kwok's fake node and a real node (kubelet, containerd)"
hack/local-cluster.sh down >/dev/null 2>&1 || true
hack/local-cluster.sh up 2>&1 | sed 's/^/    /' || fail "the control plane did not start"
export KUBECONFIG=$BRANCHFLOW_CLUSTER_DIR/kubeconfig
KUBECTL=$(hack/local-cluster.sh kubectl-path)
kubectl() { "$KUBECTL" "$@"; }
kubectl get nodes -L branchflow.io/node-kind --no-headers | sed 's/^/    /'
ctr_node() { hack/local-cluster.sh ctr "$@"; }
# running_tasks NAMESPACE: "container-id pid" of every running container of pods in NAMESPACE,
# as the node's containerd sees them (not the API).
running_tasks() {
  local ids
  ids=$(ctr_node containers ls -q "labels.\"io.kubernetes.pod.namespace\"==$1" | tr '\n' ' ')
  ctr_node tasks ls | awk -v ids="$ids" 'BEGIN {n = split(ids, a, " "); for (i = 1; i <= n; i++) want[a[i]] = 1} want[$1] && $3 == "RUNNING" {print $1, $2}'
}

step "install the CRDs"
kubectl apply --server-side -f crds/ | sed 's/^/    /'
kubectl wait --for condition=Established --timeout=60s \
  crd/workflowenvironments.branchflow.io crd/workflowrepositories.branchflow.io >/dev/null

step "a Git host with acme/dags: examples/dags on main and $BRANCH"
GIT_WORK=$LOGS/git-work
GIT_ROOT=$LOGS/git
rm -rf "$GIT_WORK" "$GIT_ROOT"
mkdir -p "$GIT_ROOT/acme"
cp -r examples/dags "$GIT_WORK"
git_in() { git -C "$GIT_WORK" -c user.name=hardy -c user.email=hardy@example.com "$@"; }
git_in init -q -b main
git_in add -A
git_in commit -q -m "acme/dags: the sample DAGs"
git_in branch "$BRANCH"
git clone -q --bare "$GIT_WORK" "$GIT_ROOT/acme/dags.git"
hack/git-host.sh "$GIT_ROOT" >"$LOGS/git-host.out" 2>"$LOGS/git-host.log" &
PIDS+=($!)
for _ in $(seq 1 60); do grep -q '^git host: ' "$LOGS/git-host.out" && break; sleep 0.5; done
GIT_HOST=$(sed -n 's/^git host: //p' "$LOGS/git-host.out")
[ -n "$GIT_HOST" ] || fail "the Git host did not start (log: $LOGS/git-host.log)"
CLONE_URL=${GIT_HOST}acme/dags.git
info "$CLONE_URL  (branches: $(git -C "$GIT_ROOT/acme/dags.git" branch --format='%(refname:short)' | paste -sd' '))"

step "start stand-ins for GitHub and Slack"
STANDINS_PORT=$(free_port)
python3 -u hack/demo/standins.py "$STANDINS_PORT" >"$LOGS/standins.log" 2>&1 &
PIDS+=($!)
STANDINS=http://127.0.0.1:$STANDINS_PORT
wait_http "$STANDINS/_demo/state" "${PIDS[-1]}" standins
info "GitHub REST API: $STANDINS    Slack Web API: $STANDINS/api/"

step "start the operator and the webhook receiver"
kubectl create namespace "$NS" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
OPERATOR_PORT=$(free_port)
RECEIVER_PORT=$(free_port)
start_operator() {
  BRANCHFLOW_WATCH_NAMESPACES=$NS OPERATOR_HTTP_PORT=$OPERATOR_PORT \
    java -Dquarkus.profile=local \
    -Dbranchflow.github.api-url="$STANDINS" -Dbranchflow.slack.api-url="$STANDINS/api/" \
    -jar operator/target/quarkus-app/quarkus-run.jar >"$LOGS/operator.log" 2>&1 &
  PIDS+=($!)
  OPERATOR_PID=${PIDS[-1]}
}
start_operator
BRANCHFLOW_NAMESPACE=$NS RECEIVER_HTTP_PORT=$RECEIVER_PORT \
  java -Dquarkus.profile=local -jar webhook-receiver/target/quarkus-app/quarkus-run.jar \
  >"$LOGS/receiver.log" 2>&1 &
PIDS+=($!)
RECEIVER_PID=${PIDS[-1]}
# fabric8's Vert.x HTTP client does not retry a pooled connection the API server has closed
# (fabric8io/kubernetes-client#7450); if that stops an informer during start-up, the operator
# exits, as it would restart in a pod. The demo starts it again, at most twice, and says so.
for attempt in 1 2 3; do
  wait_up "http://127.0.0.1:$OPERATOR_PORT/q/health/ready" "$OPERATOR_PID" operator && break
  if [ "$attempt" = 3 ] || ! grep -q HttpClosedException "$LOGS/operator.log"; then
    tail -30 "$LOGS/operator.log" >&2
    fail "operator exited (log: $LOGS/operator.log)"
  fi
  mv "$LOGS/operator.log" "$LOGS/operator-start-$attempt.log"
  info "the operator's start hit fabric8io/kubernetes-client#7450 (log: $LOGS/operator-start-$attempt.log); starting it again"
  start_operator
done
wait_http "http://127.0.0.1:$RECEIVER_PORT/q/health/ready" "$RECEIVER_PID" receiver
RECEIVER=http://127.0.0.1:$RECEIVER_PORT
info "operator: http://127.0.0.1:$OPERATOR_PORT (log $LOGS/operator.log)"
info "receiver: $RECEIVER (log $LOGS/receiver.log)"

step "register the WorkflowRepository acme-dags (examples/), announced to the stand-ins"
kubectl apply -f examples/00-namespace.yaml -f examples/10-acme-dags-secrets.yaml \
  -f examples/20-acme-dags-repository.yaml | sed 's/^/    /'
# Demo credentials for the stand-ins; a real install names Secrets holding real tokens.
kubectl -n "$NS" create secret generic acme-dags-demo-tokens \
  --from-literal=github-token=ghp_demo_not_a_token --from-literal=slack-bot-token=xoxb-demo-not-a-token \
  --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl -n "$NS" patch workflowrepository acme-dags --type merge -p '{"spec":{
  "githubTokenRef":{"name":"acme-dags-demo-tokens","key":"github-token"},
  "slack":{"channel":"C0DEMO","tokenSecretRef":{"name":"acme-dags-demo-tokens","key":"slack-bot-token"},
           "userMap":{"hardy":"U0HARDY"}}}}' | sed 's/^/    /'
# Environments of acme/dags run on the real node, with the images hack/images.sh built here
# (docs/images.md: the official images cannot be pulled on this machine). Their pods may reach
# outside their namespace exactly the Git host, the warehouse stand-in and DNS, all on the node's
# address (docs/configuration.md, networkPolicy).
NODE_ADDR=$(echo "$CLONE_URL" | sed -E 's#^[a-z]+://([^:/]+).*#\1#')
GIT_PORT=$(echo "$CLONE_URL" | sed -E 's#^[a-z]+://[^:/]+:([0-9]+).*#\1#')
kubectl -n "$NS" patch workflowrepository acme-dags --type merge -p "{\"spec\":{\"cloneUrl\":\"$CLONE_URL\",\"template\":{
  \"image\":\"$AIRFLOW_IMAGE\",\"database\":{\"image\":\"$POSTGRES_IMAGE\"},\"gitSync\":{\"periodSeconds\":15},
  \"nodeSelector\":{\"branchflow.io/node-kind\":\"real\"},
  \"tolerations\":[{\"key\":\"branchflow.io/real-node\",\"operator\":\"Equal\",\"value\":\"true\",\"effect\":\"NoSchedule\"}],
  \"networkPolicy\":{\"egress\":[{\"cidr\":\"$NODE_ADDR/32\",\"ports\":[$GIT_PORT,55432]},
    {\"cidr\":\"$NODE_ADDR/32\",\"ports\":[53],\"protocol\":\"UDP\"},{\"cidr\":\"$NODE_ADDR/32\",\"ports\":[53]}]}}}}" |
  sed 's/^/    /'
info "template: $AIRFLOW_IMAGE, $POSTGRES_IMAGE, on the node labelled branchflow.io/node-kind=real"
info "network: default deny; out of the namespace only $NODE_ADDR ports $GIT_PORT (git), 55432 (warehouse), 53 (DNS)"
info "clone URL: $CLONE_URL; production data: Secret warehouse-readonly (the warehouse stand-in's read-only login)"

step "GitHub sends a signed 'create' webhook for $BRANCH"
BODY=$(printf '{"ref":"%s","ref_type":"branch","master_branch":"main","pusher_type":"user","repository":{"full_name":"%s","pushed_at":"%s"},"sender":{"login":"hardy"}}' \
  "$BRANCH" "$REPOSITORY" "$(date -u +%Y-%m-%dT%H:%M:%SZ)")
ANSWER=$(send_webhook create "$BODY")
info "receiver answered: $(echo "$ANSWER" | tr '\n' ' ')"
[ "$(echo "$ANSWER" | tail -1)" = 200 ] || fail "the receiver did not accept the create webhook"
ENV=$(echo "$ANSWER" | head -1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["results"][0]["environment"])')
# A push of the branch's first commit follows the create, as on GitHub.
push_webhook() { # before after message
  send_webhook push "$(printf '{"ref":"refs/heads/%s","before":"%s","after":"%s","deleted":false,"created":false,"pusher":{"name":"hardy","email":"hardy@example.com"},"repository":{"full_name":"%s","pushed_at":%s},"head_commit":{"id":"%s","message":"%s"}}' \
    "$BRANCH" "$1" "$2" "$REPOSITORY" "$(date +%s)" "$2" "$3")"
}
FIRST=$(git -C "$GIT_ROOT/acme/dags.git" rev-parse --verify "refs/heads/$BRANCH")
PUSHED_AT=$(date +%s)
ANSWER=$(push_webhook 0000000000000000000000000000000000000000 "$FIRST" "acme/dags: the sample DAGs")
info "push answered: $(echo "$ANSWER" | tr '\n' ' ')"

step "the operator provisions $ENV on the real node"
ENV_NS=bf-$ENV
DEADLINE=$(($(date +%s) + TIMEOUT))
LAST=""
while :; do
  PHASE=$(kubectl -n "$NS" get wfe "$ENV" -o jsonpath='{.status.phase}' 2>/dev/null || true)
  MESSAGE=$(kubectl -n "$NS" get wfe "$ENV" -o jsonpath='{.status.message}' 2>/dev/null || true)
  if [ "$PHASE:$MESSAGE" != "$LAST" ]; then info "$(date +%T) ${PHASE:-Pending}: $MESSAGE"; LAST="$PHASE:$MESSAGE"; fi
  [ "$PHASE" = Ready ] && break
  # Not Ready, but every pod settled (runs, finished, or stuck for a reason shown below) for
  # 30 s: the operator has seen it by then (it reports Ready a moment after the pods are).
  if kubectl get pods -n "$ENV_NS" -o json 2>/dev/null | python3 hack/demo/pods.py >/dev/null; then
    SETTLED_AT=${SETTLED_AT:-$(date +%s)}
    [ $(($(date +%s) - SETTLED_AT)) -lt 30 ] || break
  else
    SETTLED_AT=""
  fi
  [ "$(date +%s)" -lt "$DEADLINE" ] || {
    kubectl get pods -n "$ENV_NS" -o json 2>/dev/null | python3 hack/demo/pods.py | sed 's/^/    /'
    fail "$ENV neither Ready nor settled after ${TIMEOUT}s (phase ${PHASE:-none})"
  }
  sleep 2
done
echo
kubectl get wfe -n "$NS" | sed 's/^/    /'
info ""
info "pods of $ENV_NS, where they run and what really happens to them:"
kubectl get pods -n "$ENV_NS" -o json | python3 hack/demo/pods.py | sed 's/^/    /' || true
kubectl get pods -n "$ENV_NS" -o json | python3 -c '
import json, sys
for p in json.load(sys.stdin)["items"]:
    assert p["spec"].get("nodeName") == "real-node-0", p["metadata"]["name"] + " is not on the real node"
' || fail "a pod of $ENV_NS is not on the real node"
DB_READY=$(kubectl get pod postgres-0 -n "$ENV_NS" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null || true)
[ "$DB_READY" = True ] || fail "PostgreSQL never became Ready on the real node"
MIGRATED=$(kubectl get jobs -n "$ENV_NS" -o jsonpath='{.items[0].status.succeeded}' 2>/dev/null || true)
[ "$MIGRATED" = 1 ] || fail "the migration Job (airflow db migrate) did not succeed"
info ""
info "the migration Job's log (airflow db migrate, Airflow $(kubectl get jobs -n "$ENV_NS" -o jsonpath='{.items[0].spec.template.spec.containers[0].image}' | sed 's/.*://')):"
kubectl logs -n "$ENV_NS" "job/$(kubectl get jobs -n "$ENV_NS" -o jsonpath='{.items[0].metadata.name}')" 2>/dev/null | tail -n 3 | sed 's/^/      /'
info ""
info "on the node (containerd, not the API): the environment's containers and their processes"
ENV_PIDS=$(running_tasks "$ENV_NS" | cut -d' ' -f2)
[ -n "$ENV_PIDS" ] || fail "no process of $ENV_NS runs on the node"
ps -o pid=,user=,etime=,args= -p "$(echo "$ENV_PIDS" | paste -sd,)" | cut -c1-110 | sed 's/^/    /'
[ "$PHASE" = Ready ] || fail "$ENV settled without becoming Ready: see the pods above and $LOGS"
URL=$(kubectl -n "$NS" get wfe "$ENV" -o jsonpath='{.status.url}')
[ -n "$URL" ] || fail "Ready without a URL"
info ""
info "$(date +%T) Ready $(($(date +%s) - PUSHED_AT)) s after the push: $URL"

step "log in to the branch's Airflow with its airflow-login Secret"
kubectl -n "$NS" get wfe "$ENV" -o jsonpath='{.status.message}' | sed 's/^/    /'; echo
PASSWORD_FILE=$LOGS/airflow-password
( umask 077; kubectl get secret airflow-login -n "$ENV_NS" -o jsonpath='{.data.password}' | base64 -d >"$PASSWORD_FILE" )
# The UI's address on this machine: the API server pod on the real node's bridge (the Ingress
# host needs an ingress controller and DNS, which this demo does not run).
API_IP=$(kubectl get pods -n "$ENV_NS" -l app.kubernetes.io/component=api-server -o jsonpath='{.items[0].status.podIP}')
UI=http://$API_IP:8080
airflow() { python3 hack/demo/airflow.py "$UI" admin "$PASSWORD_FILE" "$@"; }
info "UI and API: $UI  (user admin; the password stays in $PASSWORD_FILE, never printed)"
info "health: $(curl -fsS "$UI/api/v2/monitor/health" | python3 -c 'import json,sys; h=json.load(sys.stdin); print(", ".join(k + " " + str(v.get("status")) for k, v in h.items() if v.get("status")))')"
NOT_LOGGED_IN=$(curl -s -o /dev/null -w '%{http_code}' "$UI/api/v2/dags")
info "the DAG list without logging in: HTTP $NOT_LOGGED_IN"
[ "$NOT_LOGGED_IN" = 401 ] || fail "Airflow's API answers without a login"
DEADLINE=$(($(date +%s) + 120))
until [ "$(airflow dags | wc -l)" -ge 3 ]; do
  [ "$(date +%s)" -lt "$DEADLINE" ] || fail "the branch's DAGs were not listed"
  sleep 2
done
info "the DAGs Airflow loaded (DAG, commit), $(($(date +%s) - PUSHED_AT)) s after the push:"
airflow dags | sed 's/^/      /'

step "run the branch's DAGs: read the warehouse, and try to write it"
RUN=$(airflow run warehouse_report 300)
info "warehouse_report: $RUN"
[ "$(echo "$RUN" | cut -d' ' -f2)" = success ] || fail "warehouse_report did not succeed"
airflow log warehouse_report "$(echo "$RUN" | cut -d' ' -f1)" report | grep 'warehouse report:' | head -1 | sed 's/^/      task log: /'
RUN=$(airflow run warehouse_is_read_only 300)
info "warehouse_is_read_only: $RUN"
[ "$(echo "$RUN" | cut -d' ' -f2)" = success ] || fail "warehouse_is_read_only did not succeed (a write was not refused?)"
airflow log warehouse_is_read_only "$(echo "$RUN" | cut -d' ' -f1)" check_read_only | grep -E 'read works|refused as expected' | sed 's/^/      task log: /'

step "push a change to $BRANCH: Airflow picks it up without a restart"
PODS_BEFORE=$(kubectl get pods -n "$ENV_NS" -l app.kubernetes.io/component!=migration -o jsonpath='{range .items[*]}{.metadata.name}={.status.containerStatuses[0].restartCount} {end}')
cat >"$GIT_WORK/dags/hardy_new_dag.py" <<'PY'
"""A DAG added by a second push to feature/hardy."""
from datetime import datetime

from airflow.sdk import dag, task


@dag(schedule=None, start_date=datetime(2026, 1, 1), catchup=False, tags=["branchflow"])
def hardy_new_dag():
    @task
    def hello():
        print("the second push of feature/hardy")

    hello()


hardy_new_dag()
PY
git_in checkout -q "$BRANCH"
git_in add -A
git_in commit -q -m "Add hardy_new_dag"
git_in push -q "$GIT_ROOT/acme/dags.git" "refs/heads/$BRANCH:refs/heads/$BRANCH"
SECOND=$(git -C "$GIT_ROOT/acme/dags.git" rev-parse --verify "refs/heads/$BRANCH")
SECOND_AT=$(date +%s)
ANSWER=$(push_webhook "$FIRST" "$SECOND" "Add hardy_new_dag")
info "pushed ${SECOND:0:7}; receiver answered: $(echo "$ANSWER" | tail -1)"
DEADLINE=$(($(date +%s) + 180))
until airflow dags | grep -q '^hardy_new_dag '; do
  [ "$(date +%s)" -lt "$DEADLINE" ] || fail "Airflow did not pick up the push"
  sleep 2
done
info "$(date +%T) hardy_new_dag listed $(($(date +%s) - SECOND_AT)) s after the push"
DEADLINE=$(($(date +%s) + 120))
until [ "$(kubectl -n "$NS" get wfe "$ENV" -o jsonpath='{.status.revision}')" = "${SECOND:0:7}" ]; do
  [ "$(date +%s)" -lt "$DEADLINE" ] || fail "status.revision did not follow the commit Airflow loaded"
  sleep 2
done
kubectl -n "$NS" get wfe "$ENV" -o jsonpath='{range .status.conditions[?(@.type=="DagsLoaded")]}    DagsLoaded={.status}: {.message}{"\n"}{end}'
kubectl get wfe -n "$NS" | sed 's/^/    /'
PODS_AFTER=$(kubectl get pods -n "$ENV_NS" -l app.kubernetes.io/component!=migration -o jsonpath='{range .items[*]}{.metadata.name}={.status.containerStatuses[0].restartCount} {end}')
[ "$PODS_BEFORE" = "$PODS_AFTER" ] || fail "pods were replaced or restarted by the push: $PODS_BEFORE -> $PODS_AFTER"
info "the same pods, no restart: $PODS_AFTER"

step "the UI in a real browser (headless Chromium), logged in with airflow-login"
hack/browser.sh ensure >"$LOGS/browser.log" 2>&1 || fail "chromium is not available (log: $LOGS/browser.log)"
BRANCHFLOW_AIRFLOW_URL=$UI BRANCHFLOW_AIRFLOW_PASSWORD_FILE=$PASSWORD_FILE BRANCHFLOW_AIRFLOW_EXPECT_DAG=hardy_new_dag \
  ./mvnw -B -ntp -q -o -pl test-support test -Dtest=AirflowBrowserTest -Dsurefire.failIfNoSpecifiedTests=false \
  >>"$LOGS/browser.log" 2>&1 || fail "the browser did not log in and see hardy_new_dag (log: $LOGS/browser.log)"
cp test-support/target/airflow-browser/dags.png "$LOGS/airflow-ui.png"
info "logged in, hardy_new_dag listed; screenshot: $LOGS/airflow-ui.png"

step "push a DAG file that does not import: the author is told where, and the fix clears it"
cat >"$GIT_WORK/dags/hardy_report.py" <<'PY'
"""A DAG pushed to feature/hardy with a mistake: its helper module was never committed."""
from datetime import datetime

from airflow.sdk import dag, task
from hardy_helpers import clean_rows  # not in the branch: this file does not import


@dag(schedule=None, start_date=datetime(2026, 1, 1), catchup=False, tags=["branchflow"])
def hardy_report():
    @task
    def report():
        print(clean_rows([]))

    report()


hardy_report()
PY
git_in add -A
git_in commit -q -m "Add hardy_report"
git_in push -q "$GIT_ROOT/acme/dags.git" "refs/heads/$BRANCH:refs/heads/$BRANCH"
BROKEN=$(git -C "$GIT_ROOT/acme/dags.git" rev-parse --verify "refs/heads/$BRANCH")
BROKEN_AT=$(date +%s)
push_webhook "$SECOND" "$BROKEN" "Add hardy_report" >/dev/null
info "pushed ${BROKEN:0:7} with dags/hardy_report.py"
dags_imported() { kubectl -n "$NS" get wfe "$ENV" -o jsonpath='{range .status.conditions[?(@.type=="DagsImported")]}{.status}{end}'; }
DEADLINE=$(($(date +%s) + 180))
until [ "$(dags_imported)" = False ] && [ "$(kubectl -n "$NS" get wfe "$ENV" -o jsonpath='{.status.dags.commit}')" = "$BROKEN" ]; do
  [ "$(date +%s)" -lt "$DEADLINE" ] || fail "the import error of ${BROKEN:0:7} was not reported in the status"
  sleep 1
done
info "$(date +%T) in the status $(($(date +%s) - BROKEN_AT)) s after the push:"
kubectl -n "$NS" get wfe "$ENV" -o jsonpath='{range .status.conditions[?(@.type=="DagsImported")]}      DagsImported={.status}: {.message}{"\n"}{end}'
check_state "any(x['sha']=='$BROKEN' and x['context']=='branchflow/dags' and x['state']=='failure' for x in s['commit_statuses'])" \
  "GitHub never got the failure status branchflow/dags on ${BROKEN:0:7}" 120
check_state "any(x['thread_ts'] and 'hardy_report.py' in json.dumps(x['payload']) for x in s['slack'])" \
  "Slack never got the import error in the environment's thread" 120
info "$(date +%T) GitHub commit status and Slack reply $(($(date +%s) - BROKEN_AT)) s after the push"
sed -i 's/^from hardy_helpers import clean_rows.*$/\n\ndef clean_rows(rows):\n    return [row for row in rows if row]/' "$GIT_WORK/dags/hardy_report.py"
git_in commit -q -a -m "hardy_report: define clean_rows"
git_in push -q "$GIT_ROOT/acme/dags.git" "refs/heads/$BRANCH:refs/heads/$BRANCH"
FIXED=$(git -C "$GIT_ROOT/acme/dags.git" rev-parse --verify "refs/heads/$BRANCH")
FIXED_AT=$(date +%s)
push_webhook "$BROKEN" "$FIXED" "hardy_report: define clean_rows" >/dev/null
info "pushed the fix ${FIXED:0:7}"
DEADLINE=$(($(date +%s) + 180))
until [ "$(dags_imported)" = True ] && [ "$(kubectl -n "$NS" get wfe "$ENV" -o jsonpath='{.status.dags.commit}')" = "$FIXED" ]; do
  [ "$(date +%s)" -lt "$DEADLINE" ] || fail "the fix ${FIXED:0:7} did not clear the import error in the status"
  sleep 1
done
check_state "any(x['sha']=='$FIXED' and x['context']=='branchflow/dags' and x['state']=='success' for x in s['commit_statuses'])" \
  "GitHub never got the success status branchflow/dags on ${FIXED:0:7}" 120
check_state "any(x['thread_ts'] and 'Fixed' in json.dumps(x['payload']) for x in s['slack'])" \
  "Slack never got the 'Fixed' reply in the environment's thread" 120
info "$(date +%T) cleared in the status, on GitHub and in Slack $(($(date +%s) - FIXED_AT)) s after the fix was pushed"
kubectl -n "$NS" get wfe "$ENV" -o jsonpath='{range .status.conditions[?(@.type=="DagsImported")]}      DagsImported={.status}: {.message}{"\n"}{end}'

step "what GitHub and Slack show"
check_state "any(x['state']=='success' and x['environment_url']=='$URL' for x in s['statuses'])" \
  "GitHub never got a 'success' deployment status with $URL"
check_state "any(x['method']=='chat.postMessage' for x in s['slack']) and any(x['method']=='chat.update' for x in s['slack'])" \
  "Slack never got the environment's message and its update"
sed 's/^/  /' "$LOGS/standins.log"
: >"$LOGS/standins.seen"; cp "$LOGS/standins.log" "$LOGS/standins.seen"

# Where PostgreSQL's files are on the node (the hostPath provisioner's volume), to check after
# the teardown that they are gone too.
PV=$(kubectl get pvc data-postgres-0 -n "$ENV_NS" -o jsonpath='{.spec.volumeName}' 2>/dev/null || true)
DB_FILES=$([ -n "$PV" ] && kubectl get pv "$PV" -o jsonpath='{.spec.hostPath.path}' 2>/dev/null || true)
[ -n "$DB_FILES" ] && [ -d "$DB_FILES" ] || fail "PostgreSQL's volume was not found on the node"
info "PostgreSQL's files on the node: $DB_FILES ($(du -sh "$DB_FILES" | cut -f1))"

# The import error and its fix were threaded replies already: the teardown's is one more.
REPLIES_BEFORE=$(curl -fsS "$STANDINS/_demo/state" | python3 -c "import json,sys; print(sum(1 for x in json.load(sys.stdin)['slack'] if x['thread_ts']))")

step "the branch is deleted on the Git host, and GitHub sends the 'delete' webhook"
git -C "$GIT_ROOT/acme/dags.git" update-ref -d "refs/heads/$BRANCH"
BODY=$(printf '{"ref":"%s","ref_type":"branch","pusher_type":"user","repository":{"full_name":"%s"},"sender":{"login":"hardy"}}' "$BRANCH" "$REPOSITORY")
ANSWER=$(send_webhook delete "$BODY")
info "receiver answered: $(echo "$ANSWER" | tr '\n' ' ')"
# 202: a deletion is a hint; the operator's resync confirms with the Git host (ls-remote) that
# the branch is gone before it deletes the environment (docs/events-in.md).
[ "$(echo "$ANSWER" | tail -1)" = 202 ] || fail "the receiver did not accept the delete webhook"

step "teardown until nothing is left"
DEADLINE=$(($(date +%s) + TIMEOUT))
while kubectl get namespace "bf-$ENV" >/dev/null 2>&1 || kubectl -n "$NS" get wfe "$ENV" >/dev/null 2>&1; do
  PHASE=$(kubectl get namespace "bf-$ENV" -o jsonpath='{.status.phase}' 2>/dev/null || echo gone)
  info "$(date +%T) namespace bf-$ENV: $PHASE; WorkflowEnvironment: $(kubectl -n "$NS" get wfe "$ENV" -o jsonpath='{.status.phase}' 2>/dev/null || echo gone)"
  [ "$(date +%s)" -lt "$DEADLINE" ] || fail "teardown did not finish in ${TIMEOUT}s"
  sleep 2
done
LEFT=$(kubectl get namespaces,all,configmaps,secrets,serviceaccounts,roles,rolebindings,networkpolicies,ingresses,pvc \
  -A -l "branchflow.io/environment=$ENV" --no-headers 2>/dev/null | wc -l)
[ "$LEFT" = 0 ] || fail "$LEFT objects of $ENV are left"
info "namespace bf-$ENV and WorkflowEnvironment $ENV are gone; no labelled object left"
# The kubelet removes exited containers' records later (its garbage collection); what matters
# is that nothing of the environment runs any more.
RUNNING=$(running_tasks "$ENV_NS" | cut -d' ' -f1)
[ -z "$RUNNING" ] || fail "containers of $ENV_NS still run on the node: $RUNNING"
for pid in $ENV_PIDS; do kill -0 "$pid" 2>/dev/null && fail "process $pid of $ENV_NS still runs on the node"; done
info "on the node: no container of $ENV_NS runs, none of its $(echo "$ENV_PIDS" | wc -w) processes is left"
# The volume goes with its PersistentVolume (reclaim policy Delete), just after the namespace.
DEADLINE=$(($(date +%s) + 60))
while [ -e "$DB_FILES" ]; do
  [ "$(date +%s)" -lt "$DEADLINE" ] || fail "PostgreSQL's files are still on the node: $DB_FILES"
  sleep 1
done
info "on the node: PostgreSQL's files ($DB_FILES) are deleted"
check_state "any(x['state']=='inactive' for x in s['statuses'])" "GitHub never got the 'inactive' deployment status"
check_state "sum(1 for x in s['slack'] if x['thread_ts']) > $REPLIES_BEFORE" "Slack never got the teardown reply"
{ diff "$LOGS/standins.seen" "$LOGS/standins.log" || true; } | sed -n "s/^> /  /p"
kubectl get wfe -n "$NS" 2>&1 | sed 's/^/    /'
