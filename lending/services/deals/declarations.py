"""Who declared the facts a billing regime rests on, and when.

The lender's headcounts and group relation and the host's creation date and headcount are
self-declared (billing_rules.regime_problems checks them for L8241-3). Each firm's last
declaration is kept on the agreement, by user and UTC time, and the L8241-3 convention
prints it.
"""

from lending.models import Agreement
from lending.models._time import utcnow

# The facts each firm declares, by side ("lender", "host").
DECLARED_FACTS = {
    "lender": ("lender_headcount", "lender_group_headcount", "same_group"),
    "host": ("host_headcount", "host_created_on"),
}


def facts(agreement: Agreement, side: str) -> list:
    return [getattr(agreement, name) for name in DECLARED_FACTS[side]]


def record(agreement: Agreement, side: str, before: list, actor) -> None:
    """Name and date `actor` as the declarant of `side`'s facts when they changed from
    `before`, or the first time the firm saves its part with any of them given (a
    headcount, a creation date, or "same group" ticked)."""
    now_facts = facts(agreement, side)
    declared_at = getattr(agreement, f"{side}_facts_declared_at")
    given = any(value not in (None, False) for value in now_facts)
    if now_facts == before and (declared_at is not None or not given):
        return
    setattr(agreement, f"{side}_facts_declared_by_id", actor.id)
    setattr(agreement, f"{side}_facts_declared_by", actor.full_name)
    setattr(agreement, f"{side}_facts_declared_at", utcnow())
