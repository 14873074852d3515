"""The pages timed, and how: through the app with Flask's test client, server time only.

Each page is asked once to warm up, then `requests` times (unless the warm-up took more
than SLOW_MS); the time is measured around the whole request inside the process (routing,
session, queries, template, response), so no network or browser time is counted. A page
not built yet shows its status (404) instead.
"""

import contextvars
import statistics
import time
from dataclasses import dataclass
from datetime import date

from flask import Flask
from flask.testing import FlaskClient

from lending.extensions import db
from lending.models import User
from lending.services import sessions

# A page slower than this at its warm-up (ten times the target) is not asked again: its
# one time is what is printed, so that a slow query does not hold the run for hours.
SLOW_MS = 5000


@dataclass(frozen=True)
class Page:
    name: str
    role: str  # who asks: "monitor" or "operator"
    url: str  # {scheme} and {year} are filled in


# The pages timed, in the order printed; adjust the URLs here.
PAGES = (
    Page("suivi", "monitor", "/suivi"),
    Page("tableau de bord", "monitor", "/suivi/{scheme}"),
    Page("tableau, département 31", "monitor", "/suivi/{scheme}?departement=31"),
    Page("tableau, année", "monitor", "/suivi/{scheme}?periode=annee&annee={year}"),
    Page("export XLSX", "monitor", "/suivi/{scheme}/export.xlsx"),
    Page("données JSON", "monitor", "/suivi/{scheme}/donnees.json"),
    Page("export CSV (flux)", "monitor", "/suivi/{scheme}/export.csv?tableau=flows"),
    Page("version imprimable", "monitor", "/suivi/{scheme}/imprimer"),
    Page("bureau de l'opérateur", "operator", "/bureau"),
)


@dataclass(frozen=True)
class Timing:
    page: Page
    url: str
    median_ms: float
    min_ms: float
    max_ms: float
    status: str  # the HTTP status of the timed requests ("500", "404"...) or "erreur"

    @property
    def answered(self) -> bool:
        return self.status.isdigit() and int(self.status) < 400

    def line(self) -> str:
        return (
            f"{self.page.name:<26} {self.url:<44} médiane {self.median_ms:7.1f} ms  "
            f"min {self.min_ms:7.1f}  max {self.max_ms:7.1f}  HTTP {self.status}"
        )


def _isolated(function, *args, **kwargs):
    """Each request in a context of its own, as on a server: its own app context, `g` and
    database session, so nothing loaded by one request is reused by the next."""
    return contextvars.Context().run(function, *args, **kwargs)


def logged_in_client(app: Flask, user_id: int) -> FlaskClient:
    """A client with a server-side session of `user_id`, made as the login form makes it
    (services.sessions.start), without the password check."""

    def start() -> str:
        with app.test_request_context():
            user = db.session.get_one(User, user_id)
            token = sessions.start(user, "127.0.0.1", "banc-essai")
            db.session.commit()
            return token

    client = app.test_client()
    token = _isolated(start)
    with client.session_transaction() as cookie_session:
        cookie_session["_user_id"] = token
        cookie_session["_fresh"] = True
    return client


def _get(client: FlaskClient, url: str) -> tuple[float, str]:
    started = time.perf_counter()
    try:
        response = _isolated(client.get, url)
        status = str(response.status_code)
        response.close()
    except Exception as error:  # noqa: BLE001  (a page under construction must not stop the run)
        status = f"erreur ({type(error).__name__})"
    return (time.perf_counter() - started) * 1000, status


def time_pages(
    clients: dict[str, FlaskClient], scheme_id: int, today: date, requests: int
) -> list[Timing]:
    timings = []
    for page in PAGES:
        url = page.url.format(scheme=scheme_id, year=today.year - 1)
        client = clients[page.role]
        warm_up, status = _get(client, url)  # templates compiled, caches filled
        samples = [warm_up]  # kept only if the page is too slow to ask again
        if warm_up <= SLOW_MS:
            samples = []
            for _ in range(requests):
                elapsed, status = _get(client, url)
                samples.append(elapsed)
        timings.append(
            Timing(page, url, statistics.median(samples), min(samples), max(samples), status)
        )
    return timings


def worst_line(timings: list[Timing]) -> str:
    """The last line: the worst median of the pages that answered (of all, if none did)."""
    answered = [t.median_ms for t in timings if t.answered] or [t.median_ms for t in timings]
    return f"dashboard worst median {round(max(answered, default=0))} ms"
