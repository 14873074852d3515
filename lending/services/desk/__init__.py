"""The operator's desk: what needs an operator's attention today in their schemes (all
schemes for an admin), section by section, each with its count and its first lines.

firms     firms to approve; needs the last round left without a candidate
deals     proposals waiting for answers; agreements not signed yet and what each lacks
loans     loans starting or ending soon; months over with no billing statement
messages  the operator writes to the parties of a proposal, an agreement or a loan

Every section costs a bounded number of queries, whatever the number of lines: a count,
then at most LIMIT lines with what they show loaded at once.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from lending.authz import visible_schemes_query
from lending.extensions import db
from lending.models import Scheme, User
from lending.services.desk import deals, firms, loans

LIMIT = 50  # lines shown per section; the count says how many there are in all


@dataclass(frozen=True)
class Section:
    key: str  # the anchor of the section on the page
    title: Any  # a lazy French string
    count: int
    lines: tuple

    @property
    def more(self) -> int:
        """Lines not shown (beyond LIMIT)."""
        return max(0, self.count - len(self.lines))


@dataclass(frozen=True)
class Desk:
    schemes: tuple[Scheme, ...]
    sections: tuple[Section, ...]

    def __getitem__(self, key: str) -> Section:
        return next(section for section in self.sections if section.key == key)


TITLES = {
    "entreprises": _l("Entreprises à valider"),
    "besoins": _l("Besoins sans candidat"),
    "propositions": _l("Propositions en attente"),
    "accords": _l("Accords non signés"),
    "prets": _l("Prêts qui commencent ou finissent sous %(n)d jours", n=loans.SOON_DAYS),
    "releves": _l("Relevés non établis"),
}


def build(user: User, today: date, limit: int = LIMIT) -> Desk:
    """The desk of `user` (an operator or an admin) on the French calendar date `today`:
    the schemes authz lets them open, whose ids scope every section."""
    schemes = tuple(db.session.scalars(visible_schemes_query(user)))
    scope = [scheme.id for scheme in schemes]
    found: dict[str, tuple[int, list[Any]]] = {
        "entreprises": firms.to_approve(scope, limit),
        "besoins": firms.without_candidate(scope, limit),
        "propositions": deals.proposals_waiting(scope, today, limit),
        "accords": deals.agreements_stuck(scope, today, limit),
        "prets": loans.starting_or_ending(scope, today, limit),
        "releves": loans.statements_missing(scope, today, limit),
    }
    sections = tuple(
        Section(key, TITLES[key], count, tuple(lines)) for key, (count, lines) in found.items()
    )
    return Desk(schemes, sections)
