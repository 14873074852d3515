"""Matching: how long a need waits (time to match, the scheme's headline), and the skills
most asked and least supplied (the shortage list)."""

from dataclasses import dataclass

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import Integer, case, cast, func, literal, select, union_all

import lending.services.dashboard.privacy as privacy
from lending.extensions import db
from lending.models import (
    Agreement,
    Employee,
    EmployeeSkill,
    Loan,
    Need,
    NeedSkill,
    Proposal,
    ProposalStatus,
    Skill,
)
from lending.services.dashboard._sql import (
    as_date,
    day_diff,
    greatest,
    member,
)
from lending.services.dashboard.scope import (
    Scope,
    enrolled_ids,
    is_available,
    open_needs_on,
)
from lending.services.dashboard.tables import Row, Table

ACCEPTED = (ProposalStatus.ACCEPTED, ProposalStatus.COMPLETED)
COVERING = (ProposalStatus.PENDING, *ACCEPTED)
STEPS = ("proposal", "accepted", "loan")
TOP = 20


@dataclass(frozen=True)
class Wait:
    needs: int  # needs that reached the step
    median: float | None  # days
    p90: int | None  # days, nearest rank


def raw_time_to_match(scope: Scope, today) -> dict[str, Wait]:
    """For needs posted in the period: days from posting to their first proposal, to their
    first proposal accepted by the three parties (the last of the three answers), to the
    start of their first loan (started by today). Median and 90th percentile (nearest rank)
    by window functions, in one query."""
    in_scheme = (Proposal.need_id == Need.id) & (Proposal.scheme_id == scope.scheme_id)
    accepted_at = greatest(
        Proposal.employee_decided_at, Proposal.lender_decided_at, Proposal.host_decided_at
    )
    # One pass over the needs of the period and their proposals (an agreement and a loan
    # at most each): when each need reached each step.
    reached = (
        select(
            Need.created_at.label("posted"),
            func.min(Proposal.created_at).label("proposal"),
            func.min(case((Proposal.status.in_(ACCEPTED), accepted_at))).label("accepted"),
            func.min(Loan.start_date).label("loan"),
        )
        .join(Proposal, in_scheme)
        .outerjoin(Agreement, Agreement.proposal_id == Proposal.id)
        .outerjoin(Loan, (Loan.agreement_id == Agreement.id) & (Loan.start_date <= today))
        .where(
            member(Need.firm_id, enrolled_ids(scope)),
            Need.created_at >= scope.start_at,
            Need.created_at < scope.end_at,
        )
        .group_by(Need.id, Need.created_at)
        .cte("reached")
    )
    posted = as_date(reached.c.posted)
    waits = union_all(
        select(
            literal("proposal").label("step"),
            day_diff(as_date(reached.c.proposal), posted).label("days"),
        ),
        select(literal("accepted"), day_diff(as_date(reached.c.accepted), posted)).where(
            reached.c.accepted.is_not(None)
        ),
        select(literal("loan"), day_diff(reached.c.loan, posted)).where(
            reached.c.loan.is_not(None)
        ),
    ).subquery("waits")
    ranked = select(
        waits.c.step,
        waits.c.days,
        func.row_number().over(partition_by=waits.c.step, order_by=waits.c.days).label("rank"),
        func.count().over(partition_by=waits.c.step).label("n"),
    ).subquery("ranked")
    n = ranked.c.n
    middle = ranked.c.rank.in_([(n + 1) // 2, (n + 2) // 2])
    query = select(
        ranked.c.step,
        func.max(n),
        func.avg(case((middle, cast(ranked.c.days, Integer) * 1.0))),
        func.max(case((ranked.c.rank == (9 * n + 9) // 10, ranked.c.days))),
    ).group_by(ranked.c.step)
    found = {name: Wait(0, None, None) for name in STEPS}
    for name, needs, median, p90 in db.session.execute(query):
        found[name] = Wait(needs, float(median), int(p90))
    return found


def time_to_match_table(raw: dict[str, Wait]) -> Table:
    labels = {
        "proposal": _("Jusqu'à la première proposition"),
        "accepted": _("Jusqu'à une proposition acceptée"),
        "loan": _("Jusqu'au début du prêt"),
    }
    rows = tuple(
        Row(
            labels[name],
            (
                privacy.count(wait.needs),
                privacy.measure(wait.median, wait.needs),
                privacy.measure(wait.p90, wait.needs),
            ),
            name,
        )
        for name, wait in raw.items()
    )
    return Table(
        key="time_to_match",
        title=_("Délai de rapprochement"),
        definition=_(
            "Besoins déposés pendant la période par les entreprises d'accueil du département "
            "choisi (ou du territoire) : jours calendaires entre le dépôt du besoin et sa "
            "première proposition, sa première proposition acceptée par les trois parties "
            "(date de la dernière réponse), le début de son premier prêt (commencé à ce jour). "
            "Seuls comptent les besoins qui ont atteint l'étape ; neuf sur dix l'ont "
            "atteinte en au plus le nombre de jours du 9e décile."
        ),
        columns=(_("Besoins comptés"), _("Médiane (jours)"), _("9e décile (jours)")),
        rows=rows,
    )


@dataclass(frozen=True)
class Shortage:
    skill_id: int
    label: str
    needs: int  # open needs asking the skill
    supply: int  # available employees holding it at the lowest level asked, or above
    uncovered: int  # positions of those needs without a pending or accepted proposal


def raw_shortages(scope: Scope) -> list[Shortage]:
    """The skills asked by needs open on the day stocks are taken on, most asked and least
    supplied first, top 20 (one query). The supply is counted only for the skills that can
    make the top: asked at least as often as the 20th most asked (ties included), each
    through the index of employee_skill by skill and level."""
    covered = (
        select(func.count())
        .where(
            Proposal.need_id == Need.id,
            Proposal.scheme_id == scope.scheme_id,
            Proposal.status.in_(COVERING),
        )
        .scalar_subquery()
    )
    open_needs = (
        select(Need.id.label("need_id"), greatest(Need.positions - covered, 0).label("left"))
        .where(
            member(Need.firm_id, enrolled_ids(scope)),
            open_needs_on(scope),
        )
        .subquery("open_needs")
    )
    asked = (
        select(
            NeedSkill.skill_id,
            func.count().label("needs"),
            func.min(NeedSkill.min_level).label("level"),
            func.sum(open_needs.c.left).label("uncovered"),
        )
        .join(open_needs, open_needs.c.need_id == NeedSkill.need_id)
        .group_by(NeedSkill.skill_id)
        .cte("asked")
    )
    last = (
        select(asked.c.needs)
        .order_by(asked.c.needs.desc())
        .limit(1)
        .offset(TOP - 1)
        .scalar_subquery()
    )
    # Available employees holding the skill at the lowest level asked or above: an
    # employee holds a skill once, so each is counted once. Read from the index of
    # employee_skill by skill and level, for the candidates only, each holder looked up.
    holders = select(Employee.id).where(
        is_available(scope), member(Employee.firm_id, enrolled_ids(scope))
    )
    supply = (
        select(func.count())
        .select_from(EmployeeSkill)
        .where(
            EmployeeSkill.skill_id == asked.c.skill_id,
            EmployeeSkill.level >= asked.c.level,
            member(EmployeeSkill.employee_id, holders),
        )
        .scalar_subquery()
    )
    candidates = (
        select(asked, supply.label("supply"))
        .where(asked.c.needs >= func.coalesce(last, 0))
        .subquery("candidates")
    )
    c = candidates.c
    query = (
        select(c.skill_id, Skill.label, c.needs, c.supply, c.uncovered)
        .join(Skill, Skill.id == c.skill_id)
        .order_by(c.needs.desc(), c.supply, Skill.label, c.skill_id)
        .limit(TOP)
    )
    return [Shortage(*row) for row in db.session.execute(query)]


def shortages_table(raw: list[Shortage], scope: Scope) -> Table:
    return Table(
        key="shortages",
        title=_("Compétences les plus demandées et les moins disponibles"),
        definition=_(
            "Compétences demandées par les besoins ouverts le %(day)s des entreprises "
            "d'accueil du département choisi (ou du territoire), les plus demandées et les "
            "moins disponibles d'abord (20 au plus). Salariés disponibles : déclarés "
            "disponibles sur la période, qui ont la compétence au niveau le plus bas demandé "
            "ou au-dessus. Postes sans proposition : postes de ces besoins qu'aucune "
            "proposition en attente ou acceptée ne couvre.",
            day=format_date(scope.as_of, "long"),
        ),
        columns=(
            _("Besoins ouverts qui la demandent"),
            _("Salariés disponibles qui l'ont"),
            _("Postes sans proposition"),
        ),
        rows=tuple(
            Row(
                s.label,
                (privacy.count(s.needs), privacy.count(s.supply), privacy.count(s.uncovered)),
                str(s.skill_id),
            )
            for s in raw
        ),
    )
