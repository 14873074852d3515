"""What a host firm may see of another firm's employee before all three parties accept.

Only skills, qualification, a distance band and dates: never the name, contact or cost
(issue 3, item 5). Pages, exports and JSON for hosts must be built from this, and nothing
else, until a proposal is accepted.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from lending.models import Employee
from lending.models.skills import SKILL_LEVELS

DISTANCE_BANDS_KM = (5, 10, 20, 40, 80)


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


def anonymous_profile(employee: Employee, km: float | None = None) -> AnonymousProfile:
    """The employee as a host sees them; `km`: the distance to the host's place of work,
    as the proposal stores it (the engine's distance), shown only as a band."""
    return AnonymousProfile(
        job_title=employee.job_title,
        qualification=employee.qualification,
        skills=sorted(
            (s.skill.label, s.level, str(SKILL_LEVELS[s.level])) for s in employee.skills
        ),
        distance=distance_band(km) if km is not None else None,
        available_from=employee.available_from,
        available_until=employee.available_until,
        weekly_hours=float(employee.weekly_hours),
    )
