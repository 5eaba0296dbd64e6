"""Reads `kubectl get pods -o json` on stdin and prints, per pod of the environment, its node and
what really happens to it: Ready, Completed, or the reason Kubernetes gives (an image that
cannot be had, a crash loop, ...). Exits 0 when every pod has settled (ready, finished or stuck
for a stated reason) and the Airflow components exist, 1 while something is still on its way.
Used by hack/demo.sh."""
import json
import sys

# Waiting reasons that do not resolve by waiting: the demo shows them instead of timing out.
STUCK = {"ErrImagePull", "ImagePullBackOff", "ErrImageNeverPull", "InvalidImageName",
         "CrashLoopBackOff", "CreateContainerConfigError", "CreateContainerError", "RunContainerError"}


def describe(pod):
    """(what happens to the pod, whether it has settled, whether it is stuck for a STUCK reason)"""
    status = pod.get("status", {})
    if status.get("phase") == "Succeeded":
        return "Completed", True, False
    if status.get("phase") == "Failed":
        return "Failed: " + (status.get("reason") or "a container exited with an error"), True, False
    ready = any(c["type"] == "Ready" and c["status"] == "True" for c in status.get("conditions", []))
    if ready:
        return "Running, Ready (real readiness probe)" if any(
            c.get("readinessProbe") for c in pod["spec"]["containers"]) else "Running, Ready", True, False
    for key in ("initContainerStatuses", "containerStatuses"):
        for c in status.get(key) or []:
            waiting = (c.get("state") or {}).get("waiting")
            if waiting and waiting.get("reason") in STUCK:
                message = (waiting.get("message") or "").split("\n")[0][:110]
                return f"{c['name']}: {waiting['reason']}: {message}", True, True
            terminated = (c.get("state") or {}).get("terminated")
            if terminated and terminated.get("exitCode", 0) != 0 and key == "containerStatuses":
                return f"{c['name']}: exited {terminated['exitCode']} ({terminated.get('reason')})", False, False
    for c in status.get("conditions", []):
        if c["type"] == "PodScheduled" and c["status"] == "False":
            return "Pending: " + (c.get("message") or c.get("reason") or "not scheduled"), False, False
    return status.get("phase", "Pending") + " (starting)", False, False


pods = json.load(sys.stdin)["items"]
components = {p["metadata"].get("labels", {}).get("app.kubernetes.io/component") for p in pods}
described = [(pod, *describe(pod)) for pod in sorted(pods, key=lambda p: p["metadata"]["name"])]
stuck = any(is_stuck for _, _, _, is_stuck in described)
# Airflow's pods exist once the database is ready and migrated; a stuck pod before that is an
# answer too.
settled = bool(pods) and ("scheduler" in components or stuck) and all(done for _, _, done, _ in described)
for pod, text, _, _ in described:
    print(f"{pod['metadata']['name']:<34} {pod['spec'].get('nodeName') or '-':<12} {text}")
sys.exit(0 if settled else 1)
