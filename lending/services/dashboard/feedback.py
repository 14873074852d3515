"""End-of-loan feedback: per party, the answers, their average and distribution."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import case, func

import lending.services.dashboard.privacy as privacy
from lending.extensions import db
from lending.models import Feedback, Loan, Party
from lending.services.dashboard.scope import Scope, loans_of
from lending.services.dashboard.tables import Row, Table

RATINGS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Answers:
    count: int
    average: float | None
    ratings: tuple[int, ...]  # answers rating 1, 2, 3, 4, 5


def raw_feedback(scope: Scope) -> dict[str, Answers]:
    """Feedback given in the period on loans of the lending firms counted (one query)."""
    query = loans_of(scope)
    query = (
        query.add_columns(
            Feedback.party,
            func.count(),
            func.avg(Feedback.rating * 1.0),
            *(func.sum(case((Feedback.rating == r, 1), else_=0)) for r in RATINGS),
        )
        .join(Feedback, Feedback.loan_id == Loan.id)
        .where(Feedback.created_at >= scope.start_at, Feedback.created_at < scope.end_at)
        .group_by(Feedback.party)
    )
    found = {party.value: Answers(0, None, (0,) * len(RATINGS)) for party in Party}
    for party, n, average, *ratings in db.session.execute(query):
        found[party] = Answers(n, float(average), tuple(int(r) for r in ratings))
    return found


def feedback_table(raw: dict[str, Answers]) -> Table:
    labels = {
        Party.EMPLOYEE.value: _("Salariés"),
        Party.LENDER.value: _("Entreprises prêteuses"),
        Party.HOST.value: _("Entreprises d'accueil"),
    }
    return Table(
        key="feedback",
        title=_("Avis de fin de prêt"),
        definition=_(
            "Avis donnés pendant la période à la fin des prêts des entreprises prêteuses du "
            "département choisi (ou du territoire), par partie : nombre d'avis, note moyenne "
            "sur 5 et nombre d'avis pour chaque note."
        ),
        columns=(_("Avis"), _("Note moyenne"), *(_("Note %(n)d", n=r) for r in RATINGS)),
        rows=tuple(
            Row(
                labels.get(party, party),
                (
                    privacy.total(a.count, a.ratings),  # banded when a rating's count is hidden
                    privacy.measure(a.average, a.count, fixed=True),
                    *(privacy.count(n) for n in a.ratings),
                ),
                party,
            )
            for party, a in raw.items()
        ),
    )
