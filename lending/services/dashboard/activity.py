"""Activity over time and the funnels: the monthly trend, employees, needs, proposals."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, and_, case, exists, func, literal, select, union_all

import lending.services.dashboard.privacy as privacy
from lending.extensions import db
from lending.models import Loan, Need, Proposal, ProposalStatus
from lending.services.dashboard._sql import day_after, member, month_key
from lending.services.dashboard.filters import month_end, month_label, months_between
from lending.services.dashboard.scope import (
    Scope,
    enrolled_ids,
    loans_of,
    located_ids,
    open_needs_on,
)
from lending.services.dashboard.tables import Row, Table
from lending.services.dashboard.territory import Available, available_in, raw_available

ACCEPTED = (ProposalStatus.ACCEPTED, ProposalStatus.COMPLETED)
MONTHLY = ("started", "running", "proposals", "needs")


def trend_months(scope: Scope) -> list[date]:
    """The months shown: the period's, and at least the 12 ending with its last, up to the
    month stocks are taken in (no month to come)."""
    first = min(scope.start, scope.end.replace(day=1) - relativedelta(months=11))
    return months_between(first, scope.as_of)


def _at(day: date) -> datetime:
    return datetime.combine(day, time())


def raw_monthly(scope: Scope) -> dict[str, dict[str, int]]:
    """{"2027-03": {"started": n, "running": n, "proposals": n, "needs": n}} (three queries)."""
    months = trend_months(scope)
    first, after = months[0], month_end(months[-1]) + timedelta(days=1)
    found = {m.strftime("%Y-%m"): dict.fromkeys(MONTHLY, 0) for m in months}

    for month, started, running in db.session.execute(_loans_by_month(scope, months)):
        # Sums: numeric in PostgreSQL.
        found[month]["started"], found[month]["running"] = int(started), int(running)
    proposals = select(month_key(Proposal.created_at), func.count()).where(
        member(Proposal.host_firm_id, located_ids(scope)),
        Proposal.scheme_id == scope.scheme_id,
        Proposal.created_at >= _at(first),
        Proposal.created_at < _at(after),
    )
    needs = select(month_key(Need.created_at), func.count()).where(
        member(Need.firm_id, enrolled_ids(scope)),
        Need.created_at >= _at(first),
        Need.created_at < _at(after),
    )
    queries = (
        ("proposals", proposals.group_by(month_key(Proposal.created_at))),
        ("needs", needs.group_by(month_key(Need.created_at))),
    )
    for column, query in queries:
        for month, n in db.session.execute(query):
            found[month][column] = n
    return found


def _loans_by_month(scope: Scope, months: list[date]) -> Select:
    """(month, loans started in it, loans running on its last day (or the day stocks are
    taken on)). Running: those started by then minus those ended before (a loan never ends
    before it starts: the CHECK dates_in_order), as running sums of the loans' starts and
    ends (the day after their last) by month, in one pass over the loans instead of one
    probe per month."""
    ended = day_after(Loan.end_date)

    def bucket(day) -> ColumnElement[str]:
        return case((day < months[0], "0000-00"), else_=month_key(day))

    starts = (
        loans_of(scope)
        .add_columns(bucket(Loan.start_date).label("k"), literal(1).label("n"))
        .where(Loan.start_date <= scope.as_of)
    )
    ends = (
        loans_of(scope)
        .add_columns(bucket(ended).label("k"), literal(-1).label("n"))
        .where(Loan.end_date < scope.as_of)
    )
    events = union_all(starts, ends).subquery("events")
    # Materialised: summed once, not once per month.
    moves = (
        select(
            events.c.k,
            func.sum(events.c.n).label("n"),
            func.sum(case((events.c.n > 0, 1), else_=0)).label("started"),
        )
        .group_by(events.c.k)
        .cte("moves")
        .prefix_with("MATERIALIZED")
    )
    keys = union_all(*(select(literal(m.strftime("%Y-%m")).label("k")) for m in months)).subquery(
        "keys"
    )
    total = (
        select(func.coalesce(func.sum(moves.c.n), 0)).where(moves.c.k <= keys.c.k).scalar_subquery()
    )
    started = (
        select(func.coalesce(func.sum(moves.c.started), 0))
        .where(moves.c.k == keys.c.k)
        .scalar_subquery()
    )
    return select(keys.c.k, started, total)


def monthly_table(raw: dict[str, dict[str, int]]) -> Table:
    rows = tuple(
        Row(
            month_label(date(int(k[:4]), int(k[5:]), 1)),
            tuple(privacy.count(counts[c]) for c in MONTHLY),
            k,
        )
        for k, counts in raw.items()
    )
    return Table(
        key="monthly",
        title=_("Mois par mois"),
        definition=_(
            "Pour chaque mois de la période, et au moins les 12 mois qui la terminent : prêts "
            "commencés dans le mois et prêts en cours le dernier jour du mois (ou aujourd'hui "
            "pour le mois en cours), dans le département de l'entreprise prêteuse ; "
            "propositions faites dans le mois et besoins déposés dans le mois, dans le "
            "département de l'entreprise d'accueil."
        ),
        columns=(
            _("Prêts commencés"),
            _("Prêts en cours en fin de mois"),
            _("Propositions faites"),
            _("Besoins déposés"),
        ),
        rows=rows,
    )


@dataclass(frozen=True)
class EmployeeCounts:
    available: int
    proposed: int
    on_loan: int
    returned: int


def raw_employees(scope: Scope, available: Available | None = None) -> EmployeeCounts:
    """Four counts of distinct employees: the available ones from `raw_available` (run
    unless given), the three others in one query."""
    if available is None:
        available = raw_available(scope)
    proposed = select(
        literal("proposed").label("k"), func.count(Proposal.employee_id.distinct())
    ).where(
        member(Proposal.lender_firm_id, located_ids(scope)),
        Proposal.scheme_id == scope.scheme_id,
        Proposal.created_at >= scope.start_at,
        Proposal.created_at < scope.end_at,
    )
    on_loan = loans_of(scope)
    on_loan = on_loan.add_columns(
        literal("on_loan"), func.count(Loan.employee_id.distinct())
    ).where(Loan.start_date <= scope.as_of, Loan.end_date >= scope.start)
    returned = loans_of(scope)
    returned = returned.add_columns(
        literal("returned"), func.count(Loan.employee_id.distinct())
    ).where(Loan.returned_on >= scope.start, Loan.returned_on <= scope.end)
    rows = db.session.execute(union_all(proposed, on_loan, returned)).all()
    counts = dict(rows, available=sum(available_in(available, scope.codes).values()))
    return EmployeeCounts(**counts)


def employees_table(raw: EmployeeCounts, scope: Scope) -> Table:
    labels = (
        _("Salariés disponibles"),
        _("Salariés ayant reçu une proposition"),
        _("Salariés en prêt"),
        _("Salariés revenus à leur poste"),
    )
    values = (raw.available, raw.proposed, raw.on_loan, raw.returned)
    return Table(
        key="employees",
        title=_("Salariés"),
        definition=_(
            "Salariés des entreprises du département choisi (ou du territoire). Disponibles : "
            "offerts au prêt par leur entreprise adhérente pendant la période (leurs "
            "disponibilités ne s'achèvent pas avant son début). Ayant reçu une proposition : "
            "au moins une proposition faite "
            "pendant la période. En prêt : au moins un jour de prêt pendant la période "
            "(jusqu'au %(day)s). Revenus à leur poste : retour déclaré pendant la période.",
            day=format_date(scope.as_of, "long"),
        ),
        columns=(_("Salariés"),),
        rows=tuple(
            Row(label, (privacy.count(n),), key)
            for label, n, key in zip(
                labels, values, ("available", "proposed", "on_loan", "returned"), strict=True
            )
        ),
    )


@dataclass(frozen=True)
class NeedCounts:
    open: int
    filled: int
    expired: int
    positions: int


def raw_needs(scope: Scope) -> NeedCounts:
    """Needs open on the day stocks are taken on; needs posted in the period, filled (a
    proposal accepted by the three parties) or expired (none, and closed or past their end
    date by then); their positions. One query."""
    accepted = exists().where(
        Proposal.need_id == Need.id,
        Proposal.scheme_id == scope.scheme_id,
        Proposal.status.in_(ACCEPTED),
    )
    posted = and_(Need.created_at >= scope.start_at, Need.created_at < scope.end_at)
    over = (Need.closed_at < scope.as_of_at) | (Need.end_date < scope.as_of)
    is_open = open_needs_on(scope)
    # What became of a need posted in the period: asked once per need, as a group key.
    fate = case((~posted, "before"), (accepted, "filled"), (over, "expired"), else_="pending")
    query = (
        select(
            is_open.label("open"),
            fate.label("fate"),
            func.count(),
            func.coalesce(func.sum(Need.positions), 0),
        )
        .where(
            member(Need.firm_id, enrolled_ids(scope)),
            Need.created_at < scope.as_of_at,
        )
        .group_by(is_open, fate)
    )
    counts = dict.fromkeys(("open", "filled", "expired", "positions"), 0)
    for open_, fate_, n, positions in db.session.execute(query):
        counts["open"] += n if open_ else 0
        if fate_ in ("filled", "expired"):
            counts[fate_] += n
        if fate_ != "before":
            counts["positions"] += positions
    return NeedCounts(**counts)


def needs_table(raw: NeedCounts, scope: Scope) -> Table:
    rows = (
        (_("Besoins ouverts"), raw.open, "open"),
        (_("Besoins pourvus"), raw.filled, "filled"),
        (_("Besoins expirés sans proposition acceptée"), raw.expired, "expired"),
        (_("Postes demandés"), raw.positions, "positions"),
    )
    return Table(
        key="needs",
        title=_("Besoins des entreprises d'accueil"),
        definition=_(
            "Besoins des entreprises d'accueil adhérentes du département choisi (ou du "
            "territoire). Ouverts : non fermés et non échus le %(day)s. Pourvus : déposés "
            "pendant la période, avec au moins une proposition acceptée par les trois parties. "
            "Expirés : déposés pendant la période, sans proposition acceptée, fermés ou échus "
            "le %(day)s. Postes : nombre de postes des besoins déposés pendant la période.",
            day=format_date(scope.as_of, "long"),
        ),
        columns=(_("Nombre"),),
        rows=tuple(Row(label, (privacy.count(n),), key) for label, n, key in rows),
    )


@dataclass(frozen=True)
class ProposalCounts:
    made: int
    accepted: int
    declined: int
    expired: int


def raw_proposals(scope: Scope) -> ProposalCounts:
    """Proposals made in the period by what became of them (one grouped query)."""
    query = (
        select(Proposal.status, func.count())
        .where(
            member(Proposal.host_firm_id, located_ids(scope)),
            Proposal.scheme_id == scope.scheme_id,
            Proposal.created_at >= scope.start_at,
            Proposal.created_at < scope.end_at,
        )
        .group_by(Proposal.status)
    )
    counts = dict(db.session.execute(query).all())
    return ProposalCounts(
        made=sum(counts.values()),
        accepted=sum(counts.get(s, 0) for s in ACCEPTED),
        declined=counts.get(ProposalStatus.REFUSED, 0),
        expired=counts.get(ProposalStatus.EXPIRED, 0),
    )


def proposals_table(raw: ProposalCounts) -> Table:
    answered = raw.accepted + raw.declined + raw.expired
    rows = (
        Row(_("Propositions faites"), (privacy.count(raw.made),), "made"),
        Row(_("Acceptées par les trois parties"), (privacy.count(raw.accepted),), "accepted"),
        Row(_("Déclinées"), (privacy.count(raw.declined),), "declined"),
        Row(_("Expirées sans réponse"), (privacy.count(raw.expired),), "expired"),
        Row(_("Taux d'acceptation"), (privacy.rate(raw.accepted, answered),), "rate"),
    )
    return Table(
        key="proposals",
        title=_("Propositions"),
        definition=_(
            "Propositions faites pendant la période, pour des besoins d'entreprises du "
            "département choisi (ou du territoire), selon ce qu'elles sont devenues depuis. "
            "Taux d'acceptation : acceptées, sur les propositions acceptées, déclinées ou "
            "expirées (celles en attente ou annulées n'y entrent pas)."
        ),
        columns=(_("Nombre"),),
        rows=rows,
    )
