"""Hand-made tiny rounds: one skill column, everyone and every need near Lyon by default."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from lending.matching import Employees, Needs

EMPLOYEE = {
    "lat": 45.75,
    "lon": 4.85,
    "max_commute_km": 30.0,
    "available_from": 0,
    "available_until": 100,
    "firm_ids": 1,
    "skill": 3,
    "monthly_cost": 3000.0,
    "at_risk": False,
}
NEED = {
    "lat": 45.75,
    "lon": 4.85,
    "firm_ids": 2,
    "start": 10,
    "end": 40,
    "positions": 1,
    "budget": 0.0,
    "mandatory": 2,
}


def employees(*rows: dict, first_id: int = 11) -> Employees:
    rows = [{**EMPLOYEE, **r} for r in rows]
    column = {k: [r[k] for r in rows] for k in EMPLOYEE}
    skill = column.pop("skill")
    return Employees(
        ids=np.arange(first_id, first_id + len(rows)),
        skills=sp.csr_matrix(np.array(skill, np.int64).reshape(len(rows), 1)),
        **column,
    )


def needs(*rows: dict, first_id: int = 5) -> Needs:
    rows = [{**NEED, **r} for r in rows]
    column = {k: [r[k] for r in rows] for k in NEED}
    mandatory = column.pop("mandatory")
    return Needs(
        ids=np.arange(first_id, first_id + len(rows)),
        mandatory=sp.csr_matrix(np.array(mandatory, np.int64).reshape(len(rows), 1)),
        optional=sp.csr_matrix((len(rows), 1), dtype=np.int16),
        **column,
    )


def km_north(km: float) -> float:
    """Latitude of a point `km` north of the default place."""
    return EMPLOYEE["lat"] + km / 111.2
