"""warehouse_is_read_only: the connection `warehouse` may read production data and nothing else.

A SELECT must work; INSERT, UPDATE, DELETE and CREATE TABLE must each be refused by the database
for want of privilege (SQLSTATE 42501, InsufficientPrivilege: psycopg2's or psycopg 3's, whichever
driver the Postgres provider uses). Each write runs in
its own transaction and is rolled back whatever happens, so even a wrongly granted write changes
nothing; the task then fails, naming it.
"""

import logging
from datetime import datetime, timezone

from airflow.sdk import dag, task

log = logging.getLogger(__name__)

WRITES = {
    "INSERT": "INSERT INTO sales.orders (id, customer, amount, ordered_at)"
    " VALUES (1000000, 'branchflow probe', 0, now())",
    "UPDATE": "UPDATE sales.orders SET amount = amount WHERE id = 1",
    "DELETE": "DELETE FROM sales.orders WHERE id = 1",
    "CREATE TABLE": "CREATE TABLE sales.x (id integer)",
}


@dag(
    dag_id="warehouse_is_read_only",
    schedule=None,
    start_date=datetime(2026, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    tags=["branchflow"],
)
def warehouse_is_read_only():
    @task
    def check_read_only() -> dict:
        # Imported when the task runs, not each time the DAG file is parsed.
        from airflow.providers.postgres.hooks.postgres import PostgresHook

        conn = PostgresHook(postgres_conn_id="warehouse").get_conn()
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT count(*) FROM sales.orders")
                (count,) = cur.fetchone()
            conn.rollback()
            log.info("read works: sales.orders has %d rows", count)

            refused, allowed = {}, []
            for name, sql in WRITES.items():
                try:
                    with conn.cursor() as cur:
                        cur.execute(sql)
                    allowed.append(name)
                    log.error("NOT refused: %s succeeded (rolled back)", name)
                except Exception as e:  # noqa: BLE001 - the SQLSTATE decides, not the driver
                    if (getattr(e, "sqlstate", None) or getattr(e, "pgcode", None)) != "42501":
                        raise
                    message = (e.diag.message_primary or str(e)).strip()
                    refused[name] = message
                    log.info("refused as expected: %s -> %s", name, message)
                finally:
                    conn.rollback()
        finally:
            conn.close()
        if allowed:
            raise RuntimeError(f"the warehouse connection may write: {', '.join(allowed)} succeeded")
        return refused

    check_read_only()


warehouse_is_read_only()
