"""Browser tests: the site served on 127.0.0.1 by a real HTTP server, driven by Debian's chromium.

The server runs in a thread over the suite's app (the `app` fixture), so it sees the same
database as the factories; each request it serves gets its own app context and DB session.
Never a downloaded browser: `make system-packages` installs Debian's package.
The `worker` fixture runs a task worker beside the site, as `make run` does.
"""

import os
import threading
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these, chromium's own connections are refused on a closed network.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000


@pytest.fixture
def worker(app) -> Iterator[None]:
    """A worker thread beside the site: requests only queue their tasks, as in production."""
    from lending.worker import run

    app.config["TASKS_EAGER"] = False
    stop = threading.Event()
    thread = threading.Thread(
        target=run, args=(app,), kwargs={"stop": stop, "poll": 0.2}, name="worker", daemon=True
    )
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        app.config["TASKS_EAGER"] = True


BLOCKING_IMPACTS = ("serious", "critical")


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """Serve the test app on a free port for the duration of one test; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="live-server", daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Debian's chromium is missing ({CHROMIUM} not found): run `make system-packages` "
            "(apt-get install chromium). The browser tests never download a browser.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: Browser, live_server: str) -> Iterator[Page]:
    """A page in a fresh browser context (no cookies), relative URLs resolved on the server."""
    context = browser.new_context(base_url=live_server, locale="fr-FR")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def _shorten(html: str, limit: int = 200) -> str:
    html = " ".join(html.split())
    return html if len(html) <= limit else html[: limit - 1] + "…"


class AccessibilityAudit:
    """axe-core on each page visited; serious and critical violations are collected, then
    reported together by `assert_clean()` so that one run shows every page's problems."""

    def __init__(self) -> None:
        self._axe = Axe()
        self.problems: list[str] = []
        self.pages: list[str] = []

    def check(self, page: Page, name: str) -> None:
        """Run axe-core on the page as it is now, recording blocking violations under `name`."""
        self.pages.append(name)
        for violation in self._axe.run(page).response["violations"]:
            if violation["impact"] not in BLOCKING_IMPACTS:
                continue
            lines = [
                f"[{name}] {page.url}",
                f"  {violation['id']} ({violation['impact']}): {violation['help']}",
                f"  {violation['helpUrl']}",
            ]
            for node in violation["nodes"]:
                lines.append(f"    • {' '.join(map(str, node['target']))}")
                lines.append(f"      {_shorten(node['html'])}")
                lines.extend(
                    f"      {line.strip()}" for line in node["failureSummary"].splitlines()
                )
            self.problems.append("\n".join(lines))

    def assert_clean(self) -> None:
        assert not self.problems, (
            f"{len(self.problems)} serious/critical accessibility violation(s) "
            f"on the pages checked ({', '.join(self.pages)}):\n\n" + "\n\n".join(self.problems)
        )


@pytest.fixture
def a11y() -> AccessibilityAudit:
    return AccessibilityAudit()
