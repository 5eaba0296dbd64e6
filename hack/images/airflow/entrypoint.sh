#!/bin/bash
# Entrypoint of branchflow.local/airflow (built by hack/images.sh): the part of the official
# apache/airflow image's entrypoint that Branchflow uses. The arguments are an Airflow command
# (`scheduler`, `db migrate`, `api-server`, ...) and are passed to `airflow`, except when the first
# one is `bash`, `python`, `python3` or an absolute path: then they are exec'd as they are (the
# KubernetesExecutor's worker runs `python -m airflow.sdk.execution_time.execute_workload ...`).
# A leading `airflow` is dropped, as the official entrypoint does. No arguments: `airflow --help`.
set -euo pipefail

umask 0002
if [ $# -eq 0 ]; then
  set -- --help
fi
case $1 in
  airflow) shift ;;
  bash | python | python3 | /*) exec "$@" ;;
esac
exec airflow "$@"
