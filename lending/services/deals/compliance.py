"""What the law requires of a convention and an avenant before signing (legal.md §3, §4):
pure functions, no database. Each returns the problems found as French sentences, one per
missing or wrong item, in the order of the document; an empty list means it may go on.
They only read attributes: an Agreement, or any object with the same attributes, will do.
"""

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from stdnum.fr import siret

from lending.models._time import local_date
from lending.models.agreement import BillingRegime, Signer
from lending.services.deals import working_time
from lending.services.deals.billing_rules import fr_date, regime_problems

__all__ = ["avenant_problems", "convention_problems", "regime_problems", "signature_order_problems"]

MAX_WEEKLY_HOURS = working_time.WEEK_MAX


# Every message, by key; a key named after an attribute is the "fill it in" message.
M = {
    # §3 and §4: the firms ("firm" is one of the two labels below)
    "lender": _l("l'entreprise prêteuse"),
    "host": _l("l'entreprise utilisatrice"),
    "name": _l("Indiquez la raison sociale de %(firm)s."),
    "address": _l("Indiquez l'adresse de %(firm)s."),
    "siret": _l("Indiquez le SIRET de %(firm)s."),
    "bad_siret": _l("Le SIRET de %(firm)s n'est pas valide : %(siret)s."),
    "signatory": _l(
        "Désignez le signataire de %(firm)s : un compte RH de l'entreprise, choisi dans sa "
        "partie de l'accord ; son nom et sa fonction figurent sur les documents."
    ),
    "signatory_role": _l(
        "Le signataire de %(firm)s, %(name)s, doit indiquer sa fonction dans « Mon compte » : "
        "elle figure sur les documents à signer."
    ),
    "same_siret": _l(
        "L'entreprise prêteuse et l'entreprise utilisatrice doivent être distinctes : même "
        "SIRET %(siret)s."
    ),
    # the employee, the loan
    "employee_last_name": _l("Indiquez le nom du salarié."),
    "employee_first_name": _l("Indiquez le prénom du salarié."),
    "employee_job_title": _l("Indiquez l'emploi du salarié."),
    "employee_classification": _l(
        "Indiquez la classification (ou le coefficient) du salarié dans la convention "
        "collective de l'entreprise prêteuse."
    ),
    "contract_reference": _l("Indiquez la référence du contrat de travail du salarié."),
    "start_date": _l("Indiquez la date de début du prêt."),
    "end_date": _l("Indiquez la date de fin du prêt."),
    "end_before_start": _l(
        "La date de fin du prêt (%(end)s) doit être postérieure à la date de début (%(start)s)."
    ),
    "billing_regime": _l("Choisissez le régime de refacturation."),
    "salary_cents": _l("Indiquez le salaire mensuel brut du salarié (plus de zéro)."),
    "charges_cents": _l("Indiquez les charges sociales mensuelles (zéro ou plus)."),
    "expenses_cents": _l("Indiquez les frais professionnels mensuels (zéro ou plus)."),
    "billed_share_pct": _l("Indiquez la part du coût refacturée."),
    "share_not_full": _l(
        "Au prix coûtant, la refacturation porte sur 100 %% du coût : %(share)s %% indiqués."
    ),
    "share_range": _l("La part refacturée va de 0 à 100 %% du coût : %(share)s %% indiqués."),
    "below_cost_justification": _l(
        "Une refacturation inférieure au coût (%(share)s %%) doit être justifiée dans la "
        "convention."
    ),
    "missions": _l("Indiquez les missions confiées au salarié."),
    "work_address": _l("Indiquez le lieu de travail."),
    "weekly_hours": _l("Indiquez la durée hebdomadaire de travail."),
    "hours_range": _l(
        "La durée hebdomadaire de travail doit être comprise entre 0 et %(max)s heures : "
        "%(hours)s h indiquées."
    ),
    "risky_post": _l("Indiquez si le poste présente des risques particuliers."),
    "l4154_list_post": _l(
        "Indiquez si le poste figure sur la liste des postes présentant des risques "
        "particuliers pour la santé ou la sécurité (L4154-2)."
    ),
    "medical_surveillance": _l(
        "Indiquez si le poste exige une surveillance médicale particulière."
    ),
    "physical_constraints": _l(
        "Décrivez les caractéristiques particulières du poste (risques, contraintes "
        "physiques) : il n'est pas déclaré sans risque."
    ),
    "probation_days": _l(
        "Un élément essentiel du contrat change : indiquez la durée de la période probatoire."
    ),
    "probation_terms": _l(
        "Un élément essentiel du contrat change : indiquez les modalités de la période "
        "probatoire (comment elle prend fin)."
    ),
    # CSE, consent, signatures
    "lender_cse_date": _l(
        "Indiquez la date de consultation du CSE de l'entreprise prêteuse (ou qu'elle n'a pas "
        "de CSE)."
    ),
    "lender_cse_late": _l(
        "Le CSE de l'entreprise prêteuse doit être consulté avant le début du prêt "
        "(%(start)s) : consultation du %(date)s."
    ),
    "lender_cse_opinion": _l("Indiquez l'avis du CSE de l'entreprise prêteuse."),
    "host_cse_date": _l(
        "Indiquez la date d'information et de consultation du CSE de l'entreprise "
        "utilisatrice (ou qu'elle n'a pas de CSE)."
    ),
    "host_cse_late": _l(
        "Le CSE de l'entreprise utilisatrice doit être informé et consulté avant l'arrivée du "
        "salarié (%(start)s) : consultation du %(date)s."
    ),
    "consent": _l(
        "L'accord écrit du salarié n'est pas enregistré : il doit l'être avant le début du prêt."
    ),
    "consent_late": _l(
        "L'accord du salarié doit être recueilli avant le début du prêt (%(start)s) : "
        "recueilli le %(date)s."
    ),
    "signer_lender": _l("Entreprise prêteuse"),
    "signer_host": _l("Entreprise utilisatrice"),
    "signer_employee": _l("Salarié"),
    "unsigned": _l(
        "%(signer)s : signature manquante ; elle doit précéder le début du prêt (%(start)s)."
    ),
    "signed_late": _l(
        "%(signer)s : signature du %(date)s ; elle doit précéder le début du prêt (%(start)s)."
    ),
}


def _say(key: str, **values) -> str:
    text = str(M[key])
    return text % values if values else text


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _required(a, *attributes: str) -> list[str]:
    return [_say(name) for name in attributes if _blank(getattr(a, name))]


def _signatory(a, side: str) -> list[str]:
    """The firm's signatory is one of its accounts (`<side>_signatory_id`), whose name and
    function the agreement holds a copy of."""
    firm, name = str(M[side]), getattr(a, f"{side}_signatory_name")
    if getattr(a, f"{side}_signatory_id") is None or _blank(name):
        return [_say("signatory", firm=firm)]
    if _blank(getattr(a, f"{side}_signatory_role")):
        return [_say("signatory_role", firm=firm, name=name)]
    return []


def _firm(a, side: str, checks: tuple[str, ...]) -> list[str]:
    problems, firm = [], str(M[side])
    for check in checks:
        if check == "signatory":
            problems += _signatory(a, side)
            continue
        value = getattr(a, f"{side}_{check}")
        if _blank(value):
            problems.append(_say(check, firm=firm))
        elif check == "siret" and not siret.is_valid(value):
            problems.append(_say("bad_siret", firm=firm, siret=value))
    return problems


def _dates(a) -> list[str]:
    problems = _required(a, "start_date", "end_date")
    if a.start_date and a.end_date and a.end_date <= a.start_date:
        dates = {"start": fr_date(a.start_date), "end": fr_date(a.end_date)}
        problems.append(_say("end_before_start", **dates))
    return problems


def _work(a) -> list[str]:
    """Missions, place of work, weekly hours; the weekly maxima of working time, the
    lender's hours in the same weeks included (working_time.py: L3121-20, L3121-22)."""
    problems = _required(a, "missions", "work_address", "weekly_hours")
    if a.weekly_hours is not None and not 0 < a.weekly_hours <= MAX_WEEKLY_HOURS:
        hours = f"{Decimal(a.weekly_hours).normalize():f}".replace(".", ",")
        problems.append(_say("hours_range", max=MAX_WEEKLY_HOURS, hours=hours))
    return problems + working_time.problems(a)


def _risks(a) -> list[str]:
    return _required(a, "risky_post", "l4154_list_post", "medical_surveillance")


def _probation(a) -> list[str]:
    if not a.essential_change:
        return []
    problems = [] if (a.probation_days or 0) > 0 else [_say("probation_days")]
    return problems + _required(a, "probation_terms")


def _billing(a, signing_date: date) -> list[str]:
    valid = a.billing_regime in set(BillingRegime)
    problems = [] if valid else [_say("billing_regime")]
    if a.salary_cents is None or a.salary_cents <= 0:
        problems.append(_say("salary_cents"))
    for name in ("charges_cents", "expenses_cents"):
        if getattr(a, name) is None or getattr(a, name) < 0:
            problems.append(_say(name))
    share = a.billed_share_pct
    if not valid:
        return problems
    if share is None:
        problems.append(_say("billed_share_pct"))
    elif a.billing_regime == BillingRegime.COST_PRICE and share != 100:
        problems.append(_say("share_not_full", share=share))
    elif not 0 <= share <= 100:
        problems.append(_say("share_range", share=share))
    elif share < 100 and _blank(a.below_cost_justification):
        problems.append(_say("below_cost_justification", share=share))
    return problems + regime_problems(a, signing_date)


def _cse(a) -> list[str]:
    problems, start = [], a.start_date
    for side, late in (("lender", "lender_cse_late"), ("host", "host_cse_late")):
        if getattr(a, f"{side}_no_cse"):
            continue
        held = getattr(a, f"{side}_cse_date")
        if held is None:
            problems.append(_say(f"{side}_cse_date"))
        elif start and held >= start:
            problems.append(_say(late, start=fr_date(start), date=fr_date(held)))
        if side == "lender":
            problems += _required(a, "lender_cse_opinion")
    return problems


FIRM_CHECKS = ("name", "address", "siret", "signatory")


def convention_problems(agreement, *, today: date | None = None) -> list[str]:
    """Everything legal.md §3 checks on the convention, in the order of the document. The
    regime is judged at the agreement's signing date, or `today` (default: today)."""
    a = agreement
    problems = _firm(a, "lender", FIRM_CHECKS) + _firm(a, "host", FIRM_CHECKS)
    lender, host = siret.compact(a.lender_siret or ""), siret.compact(a.host_siret or "")
    if lender and lender == host:
        problems.append(_say("same_siret", siret=lender))
    problems += _required(
        a,
        "employee_last_name",
        "employee_first_name",
        "employee_job_title",
        "employee_classification",
    )
    problems += _dates(a) + _billing(a, a.signing_date or today or date.today())
    return problems + _work(a) + _risks(a) + _probation(a) + _cse(a)


def avenant_problems(agreement, consent_recorded_at: datetime | None) -> list[str]:
    """Everything legal.md §4 checks on the avenant, in the order of the document. The
    consent counts by its French calendar date, like the loan's start and the signatures
    (stored in UTC: 00:30 in Paris on 1 March is still 28 February in UTC)."""
    a = agreement
    problems = _required(a, "employee_last_name", "employee_first_name", "contract_reference")
    if consent_recorded_at is None:
        problems.append(_say("consent"))
    elif a.start_date and local_date(consent_recorded_at) >= a.start_date:
        dates = {"start": fr_date(a.start_date), "date": fr_date(local_date(consent_recorded_at))}
        problems.append(_say("consent_late", **dates))
    problems += _firm(a, "host", ("name", "address")) + _work(a) + _risks(a)
    if a.risky_post is not False and _blank(a.physical_constraints):
        problems.append(_say("physical_constraints"))
    return problems + _dates(a) + _probation(a)


def signature_order_problems(
    start_date: date, signed_dates: Mapping[str, date | None]
) -> list[str]:
    """Each party of a document (key: lender, host or employee) signs strictly before the
    start date; None means not signed yet. A datetime counts by its date."""
    problems, start = [], fr_date(start_date)
    for signer, signed in signed_dates.items():
        label = _say(f"signer_{signer}") if signer in set(Signer) else signer
        day = signed.date() if isinstance(signed, datetime) else signed
        if day is None:
            problems.append(_say("unsigned", signer=label, start=start))
        elif day >= start_date:
            problems.append(_say("signed_late", signer=label, date=fr_date(day), start=start))
    return problems
