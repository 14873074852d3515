"""Who declared the facts a billing regime rests on, and when (issue 12, item 7): the
lender's headcounts and group relation, the host's creation date and headcount are
self-declared; the convention names the declaring user and dates the declaration."""

from datetime import date

from lending.documents import render_html
from lending.models import DocumentKind
from lending.services import uow
from lending.services.deals import agreements
from tests.services.agreement_helpers import host_part, lender_part


def _declared(agreement, side):
    return (
        getattr(agreement, f"{side}_facts_declared_by_id"),
        getattr(agreement, f"{side}_facts_declared_by"),
        getattr(agreement, f"{side}_facts_declared_at"),
    )


def test_each_firm_declaring_its_facts_is_named_and_dated(market, accepted, make_user):
    agreements.update(accepted, lender_part(accepted), market.lender_hr)
    agreements.update(accepted, host_part(accepted), market.host_hr)
    uow.commit()
    lender_id, lender_name, lender_at = _declared(accepted, "lender")
    assert (lender_id, lender_name) == (market.lender_hr.id, market.lender_hr.full_name)
    host_id, host_name, host_at = _declared(accepted, "host")
    assert (host_id, host_name) == (market.host_hr.id, market.host_hr.full_name)
    assert lender_at is not None
    assert host_at is not None

    # Saving again with the same facts keeps the first declaration; changing one renames.
    colleague = make_user(market.lender_hr.role, firm=market.lender)
    agreements.update(accepted, lender_part(accepted), colleague)
    assert _declared(accepted, "lender") == (lender_id, lender_name, lender_at)
    agreements.update(accepted, lender_part(accepted, lender_group_headcount=9_000), colleague)
    assert _declared(accepted, "lender")[:2] == (colleague.id, colleague.full_name)
    assert _declared(accepted, "host") == (host_id, host_name, host_at)  # not the host's


def test_saving_a_part_without_any_fact_declares_nothing(market, accepted):
    agreements.update(
        accepted,
        host_part(accepted, host_headcount=None, host_created_on=None),
        market.host_hr,
    )
    assert _declared(accepted, "host") == (None, "", None)


def test_the_l8241_3_convention_prints_the_declarations(market, accepted):
    agreements.update(
        accepted,
        lender_part(
            accepted,
            billing_regime=agreements.BillingRegime.L8241_3,
            lender_headcount=6_000,
            billed_share_pct=50,
            purpose="Transition professionnelle",
        ),
        market.lender_hr,
    )
    agreements.update(
        accepted, host_part(accepted, host_created_on=date(2021, 6, 1)), market.host_hr
    )
    html = render_html(accepted, DocumentKind.CONVENTION, 1)
    assert f"déclaré par {market.lender_hr.full_name} le " in html
    assert f"déclaré par {market.host_hr.full_name} le " in html
    assert "1er juin 2021" in html
