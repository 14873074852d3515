"""How long the site holds a request that starts long work, and how long the worker then
takes: a 2,000-row CSV import and a matching round, on a fresh SQLite database (or
DATABASE_URL) with the demo data.

    .venv/bin/python scripts/bench_requests.py [--region-employees N]

Prints one line per measure. The requests only queue their task; the worker does the work.
"""

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from lending import create_app, worker  # noqa: E402
from lending.extensions import db  # noqa: E402
from lending.models import Scheme  # noqa: E402
from lending.reference.loader import load_reference  # noqa: E402
from lending.reference.skills_loader import load_skills  # noqa: E402
from lending.services import demo, employee_import  # noqa: E402

ROWS = 2000


def _csv() -> bytes:
    header = [column.name for column in employee_import.COLUMNS]
    examples = {column.name: column.example for column in employee_import.COLUMNS}
    rows = [header]
    for n in range(ROWS):
        rows.append(
            [f"salarie{n}@example.fr" if name == "email" else examples[name] for name in header]
        )
    return employee_import.csv_bytes(rows)


def _timed(label: str, function):
    started = time.perf_counter()
    result = function()
    print(f"{label}: {time.perf_counter() - started:.2f} s")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--region-employees", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
        app = create_app(
            "testing",
            SQLALCHEMY_DATABASE_URI=url,
            TASKS_EAGER=False,
            WTF_CSRF_ENABLED=False,
            MATCHING_IN_WORKER=True,
        )
        with app.app_context():
            db.drop_all()
            db.create_all()
            load_reference(db.session)
            load_skills(db.session)
            demo.seed(args.region_employees, args.region_employees * 2 // 5)
            db.session.commit()
            sharing = db.session.scalar(select(Scheme).where(Scheme.name.like("SHARING%")))
            client = app.test_client()
            client.post(
                "/connexion", data={"email": demo.LENDER_EMAIL, "password": demo.DEMO_PASSWORD}
            )
            content = _csv()
            response = _timed(
                f"POST of a {ROWS}-row CSV import (the request only queues it)",
                lambda: client.post(
                    "/entreprise/salaries/import",
                    data={"file": (io.BytesIO(content), "salaries.csv")},
                ),
            )
            assert response.status_code == 302, response.status_code
            _timed(f"the worker imports the {ROWS} rows", lambda: worker.run(app, burst=True))
            client.post("/deconnexion")
            client.post(
                "/connexion",
                data={
                    "email": "operateur.sharing@demo.pret-main-oeuvre.fr",
                    "password": demo.DEMO_PASSWORD,
                },
            )
            response = _timed(
                "POST that starts a round (the request only queues it)",
                lambda: client.post(f"/dispositifs/{sharing.id}/tours"),
            )
            assert response.status_code == 302, response.status_code
            _timed("the worker runs the round", lambda: worker.run(app, burst=True))
            db.session.remove()
            db.drop_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
