#!/usr/bin/env python3
"""Local stand-ins for GitHub's REST API and Slack's Web API, for `make demo`.

They answer the calls Branchflow makes the way GitHub and Slack answer them (shapes from
their documentation), print each one as a user would see it, and keep what they received so
the demo can check that it really happened: GET /_demo/state returns it as JSON.

    python3 hack/demo/standins.py <port>
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

STATE = {"deployments": [], "statuses": [], "commit_statuses": [], "slack": []}
LOCK = threading.Lock()
NEXT_ID = [1000]


def say(line):
    print(line, flush=True)


def deployment_json(dep_id, owner, repo, body):
    base = f"http://{HOST}/repos/{owner}/{repo}"
    return {
        "url": f"{base}/deployments/{dep_id}",
        "id": dep_id,
        "node_id": f"DE_{dep_id}",
        "sha": body.get("ref", ""),
        "ref": body.get("ref", ""),
        "task": body.get("task", "deploy"),
        "payload": body.get("payload", {}),
        "original_environment": body.get("environment", ""),
        "environment": body.get("environment", ""),
        "description": body.get("description"),
        "creator": {"login": "branchflow[bot]", "id": 1, "type": "Bot"},
        "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "updated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "statuses_url": f"{base}/deployments/{dep_id}/statuses",
        "repository_url": base,
        "transient_environment": body.get("transient_environment", False),
        "production_environment": body.get("production_environment", False),
    }


def blocks_text(payload):
    """The text a person would read in the Slack message."""
    lines = []
    for block in payload.get("blocks") or []:
        text = block.get("text")
        if isinstance(text, dict) and text.get("text"):
            lines.append(text["text"])
        for field in block.get("fields") or []:
            lines.append(field.get("text", ""))
        for element in block.get("elements") or []:
            if isinstance(element, dict):
                inner = element.get("text")
                if isinstance(inner, dict):
                    label = inner.get("text", "")
                    lines.append(f"[{label}] -> {element.get('url', '')}" if element.get("url") else label)
                elif isinstance(inner, str):
                    lines.append(inner)
    for attachment in payload.get("attachments") or []:
        colour = attachment.get("color")
        if colour:
            lines.append(f"(colour {colour})")
        lines.append(blocks_text(attachment))
    if not lines and payload.get("text"):
        lines.append(payload["text"])
    return "\n".join(line for line in lines if line)


class Handler(BaseHTTPRequestHandler):
    server_version = "branchflow-demo-standins"

    def log_message(self, *args):
        pass

    def reply(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        # GitHub sends these on every answer; hub4j reads them.
        self.send_header("X-RateLimit-Limit", "5000")
        self.send_header("X-RateLimit-Remaining", "4999")
        self.send_header("X-RateLimit-Reset", str(int(time.time()) + 3600))
        self.send_header("X-RateLimit-Used", "1")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        ctype = self.headers.get("Content-Type", "")
        if "application/x-www-form-urlencoded" in ctype:
            form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
            for key in ("blocks", "attachments"):
                if key in form:
                    try:
                        form[key] = json.loads(form[key])
                    except ValueError:
                        pass
            return form
        try:
            return json.loads(raw or b"{}")
        except ValueError:
            return {}

    def do_GET(self):
        path = urlparse(self.path).path
        if path == "/_demo/state":
            with LOCK:
                return self.reply(200, STATE)
        parts = path.strip("/").split("/")
        query = parse_qs(urlparse(self.path).query)
        if len(parts) == 4 and parts[0] == "repos" and parts[3] == "deployments":
            with LOCK:
                found = [d for d in STATE["deployments"]
                         if ("ref" not in query or d["ref"] == query["ref"][0])
                         and ("sha" not in query or d["sha"] == query["sha"][0])
                         and ("environment" not in query or d["environment"] == query["environment"][0])]
            return self.reply(200, list(reversed(found)))
        if len(parts) == 5 and parts[0] == "repos" and parts[3] == "deployments":
            with LOCK:
                found = [d for d in STATE["deployments"] if str(d["id"]) == parts[4]]
            if found:
                return self.reply(200, found[0])
            return self.reply(404, {"message": "Not Found"})
        if len(parts) == 4 and parts[0] == "repos" and parts[3] == "pulls":
            return self.reply(200, [])  # the demo's branch has no pull request
        if len(parts) == 3 and parts[0] == "repos":
            owner, repo = parts[1], parts[2]
            return self.reply(200, {
                "id": 4242, "name": repo, "full_name": f"{owner}/{repo}",
                "owner": {"login": owner, "id": 7, "type": "Organization"},
                "private": True, "default_branch": "main",
                "html_url": f"https://github.com/{owner}/{repo}",
                "url": f"http://{HOST}/repos/{owner}/{repo}",
            })
        if path in ("/", "/rate_limit", "/meta"):
            return self.reply(200, {"resources": {"core": {"limit": 5000, "remaining": 4999, "reset": int(time.time()) + 3600}}})
        return self.reply(404, {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"})

    def do_POST(self):
        path = urlparse(self.path).path
        payload = self.body()
        parts = path.strip("/").split("/")
        if parts[:1] == ["api"] and len(parts) == 2:
            return self.slack(parts[1], payload)
        if len(parts) == 4 and parts[0] == "repos" and parts[3] == "deployments":
            with LOCK:
                NEXT_ID[0] += 1
                dep = deployment_json(NEXT_ID[0], parts[1], parts[2], payload)
                STATE["deployments"].append(dep)
            say(f"  github: deployment #{dep['id']} of {dep['ref'][:7] or '?'} to environment '{dep['environment']}'")
            return self.reply(201, dep)
        if len(parts) == 6 and parts[0] == "repos" and parts[3] == "deployments" and parts[5] == "statuses":
            dep_id = int(parts[4])
            with LOCK:
                NEXT_ID[0] += 1
                status = {
                    "id": NEXT_ID[0], "state": payload.get("state"),
                    "description": payload.get("description", ""),
                    "environment_url": payload.get("environment_url", ""),
                    "log_url": payload.get("log_url", ""),
                    "deployment_id": dep_id,
                    "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "updated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "creator": {"login": "branchflow[bot]", "id": 1, "type": "Bot"},
                    "url": f"http://{HOST}{path}/{NEXT_ID[0]}",
                    "deployment_url": f"http://{HOST}/repos/{parts[1]}/{parts[2]}/deployments/{dep_id}",
                    "repository_url": f"http://{HOST}/repos/{parts[1]}/{parts[2]}",
                }
                STATE["statuses"].append(status)
            extra = status["environment_url"] or status["description"]
            say(f"  github: deployment #{dep_id} is {status['state']}" + (f"  ({extra})" if extra else ""))
            return self.reply(201, status)
        if len(parts) == 5 and parts[0] == "repos" and parts[3] == "statuses":
            with LOCK:
                NEXT_ID[0] += 1
                status = {
                    "id": NEXT_ID[0], "sha": parts[4], "state": payload.get("state"),
                    "context": payload.get("context", "default"),
                    "description": payload.get("description", ""),
                    "target_url": payload.get("target_url"),
                    "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "updated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "creator": {"login": "branchflow[bot]", "id": 1, "type": "Bot"},
                    "url": f"http://{HOST}{path}",
                }
                STATE["commit_statuses"].append(status)
            say(f"  github: commit {parts[4][:7]} status {status['context']}: {status['state']}"
                f"  ({status['description']})")
            return self.reply(201, status)
        return self.reply(404, {"message": "Not Found"})

    def slack(self, method, payload):
        with LOCK:
            entry = {"method": method, "channel": payload.get("channel"), "ts": payload.get("ts"),
                     "thread_ts": payload.get("thread_ts"), "payload": payload}
            if method == "chat.postMessage":
                entry["ts"] = f"{time.time():.6f}"
            STATE["slack"].append(entry)
        text = blocks_text(payload).replace("\n", "\n          ")
        where = "reply in thread" if payload.get("thread_ts") else method
        say(f"  slack:  {where} in {payload.get('channel')}:\n          {text}")
        return self.reply(200, {"ok": True, "channel": payload.get("channel"), "ts": entry["ts"],
                                "message": {"text": payload.get("text", ""), "ts": entry["ts"]}})


if __name__ == "__main__":
    port = int(sys.argv[1])
    HOST = f"127.0.0.1:{port}"
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
