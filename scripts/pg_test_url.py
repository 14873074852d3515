"""Print the PostgreSQL URL the tests should use, or nothing if no server is reachable.

TEST_DATABASE_URL wins; otherwise 127.0.0.1:5432 (trust auth, user postgres), database
lending_test, created here if missing.
"""

import os
import socket
import sys
from urllib.parse import urlsplit

import psycopg

DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/lending_test"


def main() -> int:
    url = os.environ.get("TEST_DATABASE_URL", DEFAULT)
    if not url.startswith("postgresql"):
        return 0
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    base, _, dbname = dsn.rpartition("/")
    parts = urlsplit(dsn)
    try:
        socket.create_connection((parts.hostname, parts.port or 5432), timeout=3).close()
    except OSError:
        return 0  # no server listening: the PostgreSQL pass is skipped
    try:
        with psycopg.connect(f"{base}/postgres", connect_timeout=3, autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,))
            if exists.fetchone() is None:
                conn.execute(f'CREATE DATABASE "{dbname}"')
    except psycopg.OperationalError as exc:
        # A server is listening but refuses us: that must not pass for "no PostgreSQL".
        print(f"PostgreSQL is reachable but unusable: {exc}", file=sys.stderr)
        return 1
    print(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
