"""Print the PostgreSQL URL the tests should use, or nothing if no server is reachable.

TEST_DATABASE_URL wins; otherwise 127.0.0.1:5432 (trust auth, user postgres), database
lending_test, created here if missing.
"""

import os
import sys

import psycopg

DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/lending_test"


def main() -> int:
    url = os.environ.get("TEST_DATABASE_URL", DEFAULT)
    if not url.startswith("postgresql"):
        return 0
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    base, _, dbname = dsn.rpartition("/")
    try:
        with psycopg.connect(f"{base}/postgres", connect_timeout=3, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,))
            if exists.fetchone() is None:
                conn.execute(f'CREATE DATABASE "{dbname}"')
    except psycopg.OperationalError:
        return 0
    print(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
