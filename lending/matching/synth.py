"""Seeded synthetic rounds for the benchmark and tests: an Occitanie-like population.

Employees' homes and need sites are communes of the 13 Occitanie départements drawn weighted
by population; skills come from the starter taxonomy with Zipf-like popularity.
"""

from __future__ import annotations

import csv
import gzip
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from .types import Employees, Needs

DATA = Path(__file__).resolve().parent.parent / "reference" / "data"
COMMUNES = DATA / "communes.csv.gz"
SKILLS = DATA / "skills" / "skills.csv"
DEPARTEMENTS = frozenset(
    ("09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82")
)
AT_RISK_SHARE = 0.07
HORIZON = 180  # days


@dataclass(frozen=True)
class Communes:
    lat: np.ndarray
    lon: np.ndarray
    weight: np.ndarray  # population share, sums to 1


def load_communes(path: Path = COMMUNES) -> Communes:
    lat, lon, pop = [], [], []
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["departement_code"] in DEPARTEMENTS and row["latitude"] and row["longitude"]:
                lat.append(float(row["latitude"]))
                lon.append(float(row["longitude"]))
                pop.append(max(float(row["population"] or 0), 1.0))
    weight = np.asarray(pop)
    return Communes(np.asarray(lat), np.asarray(lon), weight / weight.sum())


def load_skill_codes(path: Path = SKILLS) -> list[str]:
    with path.open(encoding="utf-8", newline="") as f:
        return [row["code"] for row in csv.DictReader(f) if row.get("code")]


def _skill_matrix(
    rng: np.random.Generator,
    rows: int,
    n_skills: int,
    popularity: np.ndarray,
    counts: np.ndarray,
    levels: tuple[int, int],
) -> sp.csr_matrix:
    """CSR rows × skills with `counts[i]` distinct skills per row, drawn by popularity."""
    width = int(counts.max()) if rows else 0
    if width == 0:
        return sp.csr_matrix((rows, n_skills), dtype=np.int16)
    # draw a few extra then keep the first distinct ones per row
    draw = rng.choice(n_skills, size=(rows, 2 * width + 2), p=popularity)
    r, c = [], []
    for i in range(rows):
        _, first = np.unique(draw[i], return_index=True)
        picked = draw[i][np.sort(first)][: counts[i]]
        r.append(np.full(len(picked), i))
        c.append(picked)
    rr, cc = np.concatenate(r), np.concatenate(c)
    data = rng.integers(levels[0], levels[1] + 1, len(rr))
    return sp.csr_matrix((data, (rr, cc)), shape=(rows, n_skills), dtype=np.int16)


def generate(
    n_emp: int, n_need: int, seed: int, communes: Communes, n_skills: int
) -> tuple[Employees, Needs]:
    rng = np.random.default_rng(seed)
    # Zipf-like skill popularity over a random order of the taxonomy
    rank = rng.permutation(n_skills) + 1
    popularity = 1.0 / rank**1.1
    popularity /= popularity.sum()
    jitter = 0.01  # degrees, ≈1 km, so that a commune's residents are not all on one point

    home = rng.choice(len(communes.weight), n_emp, p=communes.weight)
    site = rng.choice(len(communes.weight), n_need, p=communes.weight)
    n_firms = max(2, (n_emp + n_need) // 40)
    avail = rng.integers(0, HORIZON - 30, n_emp)
    employees = Employees(
        ids=np.arange(1, n_emp + 1),
        lat=communes.lat[home] + rng.uniform(-jitter, jitter, n_emp),
        lon=communes.lon[home] + rng.uniform(-jitter, jitter, n_emp),
        max_commute_km=rng.uniform(20.0, 60.0, n_emp),
        available_from=avail,
        available_until=avail + rng.integers(30, HORIZON, n_emp),
        firm_ids=rng.integers(1, n_firms + 1, n_emp),
        skills=_skill_matrix(rng, n_emp, n_skills, popularity, rng.integers(3, 9, n_emp), (1, 4)),
        monthly_cost=rng.uniform(2_500.0, 6_000.0, n_emp),
        at_risk=rng.random(n_emp) < AT_RISK_SHARE,
    )
    start = rng.integers(0, HORIZON - 20, n_need)
    needs = Needs(
        ids=np.arange(1, n_need + 1),
        lat=communes.lat[site] + rng.uniform(-jitter, jitter, n_need),
        lon=communes.lon[site] + rng.uniform(-jitter, jitter, n_need),
        firm_ids=rng.integers(1, n_firms + 1, n_need),
        start=start,
        end=start + rng.integers(10, 90, n_need),
        positions=rng.choice(np.arange(1, 6), n_need, p=[0.45, 0.25, 0.15, 0.1, 0.05]),
        budget=np.where(rng.random(n_need) < 0.4, rng.uniform(3_500.0, 7_000.0, n_need), 0.0),
        mandatory=_skill_matrix(
            rng, n_need, n_skills, popularity, rng.choice([1, 2, 3, 3], n_need), (1, 3)
        ),
        optional=_skill_matrix(
            rng, n_need, n_skills, popularity, rng.integers(0, 4, n_need), (1, 4)
        ),
    )
    return employees, needs


def subset(employees: Employees, idx: np.ndarray) -> Employees:
    return Employees(
        ids=employees.ids[idx],
        lat=employees.lat[idx],
        lon=employees.lon[idx],
        max_commute_km=employees.max_commute_km[idx],
        available_from=employees.available_from[idx],
        available_until=employees.available_until[idx],
        firm_ids=employees.firm_ids[idx],
        skills=employees.skills[idx],
        monthly_cost=employees.monthly_cost[idx],
        at_risk=employees.at_risk[idx],
    )


def round_of(n_emp: int, n_need: int, seed: int) -> tuple[Employees, Needs]:
    """The seeded synthetic round of the given size (communes and taxonomy from the package)."""
    return generate(n_emp, n_need, seed, load_communes(), len(load_skill_codes()))
