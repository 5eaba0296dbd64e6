"""warehouse_report: reads production data through the read-only connection `warehouse`.

The environment gets the connection as the variable AIRFLOW_CONN_WAREHOUSE, from the Secret
warehouse-readonly that the repository's productionData copies into it.
"""

import logging
from datetime import datetime, timezone

from airflow.sdk import dag, task

log = logging.getLogger(__name__)


@dag(
    dag_id="warehouse_report",
    schedule=None,
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["branchflow"],
)
def warehouse_report():
    @task
    def report() -> str:
        # Imported when the task runs, not each time the DAG file is parsed.
        from airflow.providers.postgres.hooks.postgres import PostgresHook

        hook = PostgresHook(postgres_conn_id="warehouse")
        count, total = hook.get_first("SELECT count(*), coalesce(sum(amount), 0) FROM sales.orders")
        line = f"warehouse report: {count} orders, total {total:.2f}"
        log.info(line)
        return line

    report()


warehouse_report()
