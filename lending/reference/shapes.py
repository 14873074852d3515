"""Outlines of the départements, shipped as SVG paths (see data/ATTRIBUTION.md).

All shapes share the mainland map's frame (viewBox ``0 0 613 585``); the five overseas
départements are insets in its Atlantic corner. Each shape carries its bounding box so that a
picture can fit its viewBox to the départements it draws.
"""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "departements_svg.json"


@dataclass(frozen=True)
class Shape:
    code: str  # INSEE département code: "01", "2A", "971"
    name: str
    path: str  # SVG path data
    bbox: tuple[float, float, float, float]  # x0, y0, x1, y1 in the shared frame
    label: tuple[float, float]  # a point well inside the shape, for its label


@lru_cache(maxsize=1)
def departement_shapes() -> dict[str, Shape]:
    """Every département's outline by INSEE code, read once per process."""
    with open(DATA, encoding="utf-8") as f:
        raw = json.load(f)
    return {
        code: Shape(code, item["name"], item["path"], tuple(item["bbox"]), tuple(item["label"]))
        for code, item in raw.items()
    }
