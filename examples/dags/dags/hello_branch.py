"""hello_branch: says which branch's Airflow this is.

The Branchflow operator sets BRANCHFLOW_BRANCH, BRANCHFLOW_REPOSITORY and BRANCHFLOW_ENVIRONMENT
in every Airflow pod of an environment.
"""

import logging
import os
from datetime import datetime, timezone

from airflow.sdk import dag, task

log = logging.getLogger(__name__)


@dag(
    dag_id="hello_branch",
    schedule=None,
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["branchflow"],
)
def hello_branch():
    @task
    def hello() -> str:
        line = f"hello from branch {os.environ.get('BRANCHFLOW_BRANCH', '<BRANCHFLOW_BRANCH not set>')}"
        log.info(line)
        return line

    hello()


hello_branch()
