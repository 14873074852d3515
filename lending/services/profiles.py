"""What a host firm may see of another firm's employee before all three parties accept.

Only skills, qualification, a distance band and dates: never the name, contact or cost
(issue 3, item 5). Pages, exports and JSON for hosts must be built from this, and nothing
else, until a proposal is accepted.
"""

from dataclasses import asdict, dataclass
from datetime import date
from math import asin, cos, radians, sin, sqrt

from flask_babel import gettext as _

from lending.models import Commune, Employee
from lending.models.skills import SKILL_LEVELS

EARTH_RADIUS_KM = 6371.0
DISTANCE_BANDS_KM = (5, 10, 20, 40, 80)


def distance_km(a: Commune, b: Commune) -> float:
    """Great-circle distance between two communes' points (haversine), in km."""
    lat1, lon1, lat2, lon2 = map(radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = sin((lat2 - lat1) / 2) ** 2 + cos(lat1) * cos(lat2) * sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(sqrt(h))


def distance_band(km: float) -> str:
    for limit in DISTANCE_BANDS_KM:
        if km < limit:
            return _("moins de %(n)d km", n=limit)
    return _("%(n)d km ou plus", n=DISTANCE_BANDS_KM[-1])


@dataclass(frozen=True)
class AnonymousProfile:
    job_title: str
    qualification: str
    skills: list[tuple[str, int, str]]  # (label, level, level label)
    distance: str | None
    available_from: date
    available_until: date
    weekly_hours: float

    def as_dict(self) -> dict:
        data = asdict(self)
        data["available_from"] = self.available_from.isoformat()
        data["available_until"] = self.available_until.isoformat()
        return data


def anonymous_profile(employee: Employee, site: Commune | None = None) -> AnonymousProfile:
    """The employee as a host sees them; `site` is the host's place of work."""
    return AnonymousProfile(
        job_title=employee.job_title,
        qualification=employee.qualification,
        skills=sorted(
            (s.skill.label, s.level, str(SKILL_LEVELS[s.level])) for s in employee.skills
        ),
        distance=distance_band(distance_km(employee.commune, site)) if site else None,
        available_from=employee.available_from,
        available_until=employee.available_until,
        weekly_hours=float(employee.weekly_hours),
    )
