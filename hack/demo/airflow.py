#!/usr/bin/env python3
"""Drives an environment's Airflow 3 through its REST API, for `make demo`.

  airflow.py URL USER PASSWORD_FILE dags                  DAG ids, one per line, with the commit
  airflow.py URL USER PASSWORD_FILE run DAG_ID TIMEOUT    unpause, trigger, wait; prints the state
  airflow.py URL USER PASSWORD_FILE log DAG_ID RUN_ID TASK_ID   the task log's lines

The password is read from a file so it never appears in a process list or a log.
"""
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


def call(url, method="GET", body=None, token=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    req.add_header("Accept", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read() or b"null")


def main():
    base, user, password_file, verb, *args = sys.argv[1:]
    base = base.rstrip("/")
    with open(password_file) as f:
        password = f.read().strip()
    token = call(base + "/auth/token", "POST", {"username": user, "password": password})["access_token"]
    api = base + "/api/v2"
    if verb == "dags":
        for dag in call(api + "/dags?limit=1000", token=token)["dags"]:
            print(dag["dag_id"], (dag.get("bundle_version") or "")[:7])
    elif verb == "run":
        dag_id, timeout = args[0], float(args[1])
        call(f"{api}/dags/{dag_id}", "PATCH", {"is_paused": False}, token)
        run = call(f"{api}/dags/{dag_id}/dagRuns", "POST", {"logical_date": None}, token)
        run_id = urllib.parse.quote(run["dag_run_id"], safe="")
        started = time.time()
        state = run["state"]
        while state not in ("success", "failed") and time.time() - started < timeout:
            time.sleep(2)
            state = call(f"{api}/dags/{dag_id}/dagRuns/{run_id}", token=token)["state"]
        print(run["dag_run_id"], state, f"{time.time() - started:.1f}")
    elif verb == "log":
        dag_id, run_id, task_id = args
        run_id = urllib.parse.quote(run_id, safe="")
        log = call(f"{api}/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/logs/1?full_content=true", token=token)
        for line in log["content"]:
            print(line.get("event", "") if isinstance(line, dict) else line)
    else:
        sys.exit("unknown verb " + verb)


if __name__ == "__main__":
    try:
        main()
    except urllib.error.HTTPError as e:
        sys.exit(f"Airflow answered HTTP {e.code} for {e.url}: {e.read()[:300]!r}")
