"""The engine imports neither flask, sqlalchemy nor lending.models (it runs in a worker);
OR-Tools is allowed."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import lending.matching

PACKAGE = Path(lending.matching.__file__).parent
# lending/__init__.py builds the Flask app, so the subprocess stubs the parent package
FORBIDDEN = ("flask", "sqlalchemy", "lending.models", "flask_sqlalchemy")

BLOCKER = """
import importlib.abc, sys
FORBIDDEN = {forbidden!r}
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN):
            raise ImportError("blocked: " + name)
        return None
sys.meta_path.insert(0, Block())
sys.modules.pop("lending", None)
import types
try:
    import flask
except ImportError:
    pass
else:
    raise SystemExit("blocker does not block flask")
pkg = types.ModuleType("lending")
pkg.__path__ = [{root!r}]
sys.modules["lending"] = pkg
import lending.matching
from lending.matching import bench, checks, explain, pairs, score, solve, synth, types
assert not any(m == f or m.startswith(f + ".") for m in sys.modules for f in FORBIDDEN)
print("ok")
"""


def test_no_forbidden_imports_in_source():
    for path in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            for name in names:
                assert not name.startswith(FORBIDDEN), f"{path.name} imports {name}"
                assert not name.startswith("lending"), f"{path.name}: use relative imports"


def test_package_imports_with_flask_and_sqlalchemy_blocked():
    root = str(PACKAGE.parent)
    code = BLOCKER.format(forbidden=FORBIDDEN, root=root)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
