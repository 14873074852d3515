"""The site runs with the runtime dependencies alone (`make run` installs no test extras):
no module of `lending` may import a package that only the test extras install."""

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Distribution name -> module name, where they differ.
MODULE_NAMES = {"axe-playwright-python": "axe_playwright_python"}

CHECK = """
import importlib, pkgutil, sys

class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{name} is only a test dependency")
        return None

sys.meta_path.insert(0, Refuse())
import lending
from lending import create_app
create_app("testing")
for module in pkgutil.walk_packages(lending.__path__, "lending."):
    importlib.import_module(module.name)
"""


def test_lending_imports_no_test_only_package():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]["test"]
    names = {MODULE_NAMES.get(d.split("==")[0], d.split("==")[0].replace("-", "_")) for d in extras}
    code = f"BLOCKED = {sorted(names)!r}\n{CHECK}"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]


def _locked(name: str) -> dict[str, str]:
    """{normalised name: version} of a lock file made by `make lock`."""
    pins = {}
    for line in (ROOT / name).read_text().splitlines():
        if line and not line[0].isspace() and not line.startswith("#"):
            package, _, version = line.split(" ")[0].partition("==")
            pins[package.lower().replace("_", "-")] = version
    return pins


def test_locks_pin_what_pyproject_pins():
    """`make` installs the locks, then the project with --no-deps: a pin changed in
    pyproject.toml without `make lock` would go unnoticed."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    run, test = _locked("requirements.lock"), _locked("requirements-test.lock")
    for locks, deps in (
        ((run, test), project["dependencies"]),
        ((test,), project["optional-dependencies"]["test"]),
    ):
        for dep in deps:
            name, _, version = dep.partition("==")
            name = name.split("[")[0].lower().replace("_", "-")
            for lock in locks:
                assert lock.get(name) == version, f"{name}=={version}: run `make lock`"
    assert {name: test[name] for name in run} == run, "the two locks disagree: run `make lock`"
