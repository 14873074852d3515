"""Sample documents: what the platform produces, without a walk-through.

`write_samples(outdir)` builds, in a temporary SQLite database of its own (never the
site's), one loan per billing regime a new convention may use today — `cost_price` and
`l8241_3` — through the real services: the three acceptances, both firms' parts, the
freeze, the four signatures (avenant first), the loan, its first month's actual pay (with
overtime) and that month's statement, issued the day after the month ends. It writes each
document as `<regime>-<document>.pdf`.
"""

import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from stdnum import luhn

from lending.bench.target import bench_app, build_schema, target_database
from lending.extensions import db
from lending.models import (
    Agreement,
    BillingRegime,
    Departement,
    DocumentKind,
    Employee,
    EmployeeSkill,
    Enrolment,
    EnrolmentStatus,
    Firm,
    Loan,
    MatchingRound,
    Need,
    NeedSkill,
    Party,
    Proposal,
    Role,
    RoundStatus,
    Scheme,
    Skill,
    User,
)
from lending.models._time import local_date, utcnow
from lending.services import passwords, proposals, uow
from lending.services.deals import actuals, agreements, billing_rules, loans, signing, statements

REGIMES = (BillingRegime.COST_PRICE, BillingRegime.L8241_3)
# The documents, in the order written: file name → what it is.
DOCUMENTS = {
    "convention": "convention de mise à disposition, telle que figée pour signature",
    "avenant": "avenant au contrat de travail, tel que figé pour signature",
    "convention-signee": "convention signée, avec sa page de preuve",
    "avenant-signe": "avenant signé, avec sa page de preuve",
    "note-cse-preteuse": "note d'information du CSE de l'entreprise prêteuse",
    "note-cse-accueil": "note d'information du CSE de l'entreprise d'accueil",
    "releve": "relevé mensuel des salaires, charges et frais refacturés",
}
LENDER_INSEE, HOST_INSEE = "47201", "47001"  # Le Passage, Agen


@dataclass
class Cast:
    scheme: Scheme
    lender_hr: User
    host_hr: User
    employee: Employee
    need: Need
    password: str


def write_samples(outdir: Path) -> list[Path]:
    """Write every sample document into `outdir` (created if need be); their paths."""
    outdir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with target_database(None, keep=False) as target:
        app = bench_app(target.url)
        with app.app_context():
            build_schema()
            for n, regime in enumerate(REGIMES):
                cast = _cast(n)
                agreement = _signed_agreement(cast, regime)
                pdfs = _documents(agreement)
                pdfs["releve"] = _statement(agreement, cast)
                for name, pdf in pdfs.items():
                    path = outdir / f"{regime.value}-{name}.pdf"
                    path.write_bytes(pdf)
                    written.append(path)
            db.session.remove()
            db.engine.dispose()
    return written


def _documents(agreement: Agreement) -> dict[str, bytes]:
    from lending.documents import render

    convention = agreement.current(DocumentKind.CONVENTION)
    avenant = agreement.current(DocumentKind.AVENANT)
    if not (convention and avenant and convention.signed_pdf and avenant.signed_pdf):
        raise RuntimeError(f"agreement {agreement.id} is not signed by every party")
    return {
        "convention": convention.pdf,
        "avenant": avenant.pdf,
        "convention-signee": convention.signed_pdf,
        "avenant-signe": avenant.signed_pdf,
        "note-cse-preteuse": render.render_cse_note(agreement, Party.LENDER),
        "note-cse-accueil": render.render_cse_note(agreement, Party.HOST),
    }


def sample_siret(seed: int) -> str:
    siren = f"{seed:08d}"
    siren += luhn.calc_check_digit(siren)
    body = siren + "0001"
    return body + luhn.calc_check_digit(body)


def _cast(n: int) -> Cast:
    """A scheme on Lot-et-Garonne, an aeronautics lender and an agrifood host (both
    approved), their HR managers, a volunteer and the need the volunteer fits."""
    password = secrets.token_urlsafe(16)
    hashed = passwords.hash_password(password)
    scheme = Scheme(
        name=f"Exemple {n + 1}",
        sectors="C",
        default_max_commute_km=40,
        max_loan_months=24,
        proposal_deadline_days=7,
        matching_cron="0 6 * * 1",
        departements=[db.session.get_one(Departement, "47")],
    )
    lender = Firm(
        siret=sample_siret(42_000_001 + 10 * n),
        name="Aéro Garonne",
        naf_code="30.30Z",
        address_line="12 avenue de l'Aéroport",
        postal_code="47520",
        commune_insee=LENDER_INSEE,
    )
    host = Firm(
        siret=sample_siret(42_000_002 + 10 * n),
        name="Pruneaux d'Agen",
        naf_code="10.39B",
        address_line="3 chemin des Vergers",
        postal_code="47000",
        commune_insee=HOST_INSEE,
    )
    db.session.add_all([scheme, lender, host])
    for firm in (lender, host):
        db.session.add(Enrolment(firm=firm, scheme=scheme, status=EnrolmentStatus.APPROVED))

    def user(role, firm, name, email, job_title="") -> User:
        account = User(
            email=f"{email}{n + 1}@exemple.invalid",
            full_name=name,
            role=role,
            firm=firm,
            job_title=job_title,
            password_hash=hashed,
        )
        db.session.add(account)
        return account

    lender_hr = user(
        Role.HR, lender, "Sophie Durand", "rh.aero", "Directrice des ressources humaines"
    )
    host_hr = user(Role.HR, host, "Marc Lefèvre", "gerant.pruneaux", "Gérant")
    employee_user = user(Role.EMPLOYEE, lender, "Camille Rivière", "camille.riviere")
    skill = db.session.scalars(select(Skill).order_by(Skill.code).limit(1)).one()
    start = local_date() + timedelta(days=30)
    employee = Employee(
        firm=lender,
        user=employee_user,
        first_name="Camille",
        last_name="Rivière",
        email=employee_user.email,
        job_title="Ajusteuse-monteuse aéronautique",
        qualification="Niveau V, coefficient 335",
        commune_insee=HOST_INSEE,
        max_commute_km=40,
        available_from=start,
        available_until=start + timedelta(days=365),
        weekly_hours=Decimal("35"),
        gross_salary_cents=2_450_00,
        employer_charges_cents=1_102_50,
        expenses_cents=80_00,
        hr_confirmed_at=utcnow(),
        consent_given_at=utcnow(),
        skills=[EmployeeSkill(skill_id=skill.id, level=3)],
    )
    need = Need(
        firm=host,
        title="Conductrice de ligne de conditionnement",
        missions="Réglage des lignes de conditionnement\nMaintenance de premier niveau",
        positions=1,
        commune_insee=HOST_INSEE,
        start_date=start,
        end_date=start + timedelta(days=180),
        weekly_hours=Decimal("35"),
        skills=[NeedSkill(skill_id=skill.id, min_level=2, mandatory=True)],
    )
    db.session.add_all([employee, need])
    uow.commit()
    return Cast(scheme, lender_hr, host_hr, employee, need, password)


def _proposal(cast: Cast) -> Proposal:
    """The proposal a round made of the volunteer for the need (a round of one pair)."""
    now = utcnow()
    round_ = MatchingRound(
        scheme_id=cast.scheme.id,
        trigger="command",
        status=RoundStatus.DONE,
        stage="done",
        finished_at=now,
        employees=1,
        needs=1,
        positions=1,
        kept=0,
        feasible_pairs=1,
        proposals_count=1,
        components=1,
        total_score=9000,
        at_risk_rate=0.0,
        others_rate=1.0,
        seconds_snapshot=0.0,
        seconds_engine=0.0,
        seconds_write=0.0,
    )
    db.session.add(round_)
    db.session.flush()
    proposal = Proposal(
        round_id=round_.id,
        scheme_id=cast.scheme.id,
        employee_id=cast.employee.id,
        need_id=cast.need.id,
        lender_firm_id=cast.employee.firm_id,
        host_firm_id=cast.need.firm_id,
        expires_at=now + timedelta(days=7),
        score=0.9,
        skills_score=1.0,
        distance_score=0.8,
        dates_score=1.0,
        cost_score=0.7,
        priority_score=0.0,
        distance_km=8.4,
        skills_met=1,
        skills_asked=1,
    )
    db.session.add(proposal)
    uow.commit()
    return proposal


def _signed_agreement(cast: Cast, regime: BillingRegime) -> Agreement:
    proposal = _proposal(cast)
    for party, actor in (
        (Party.EMPLOYEE, cast.employee.user),
        (Party.HOST, cast.host_hr),
        (Party.LENDER, cast.lender_hr),
    ):
        proposals.decide(proposal, party, accept=True, actor=actor)
    uow.commit()
    agreement = agreements.for_proposal(proposal)
    today = local_date()
    agreements.update(agreement, _lender_part(agreement, cast, regime, today), cast.lender_hr)
    agreements.update(agreement, _host_part(agreement, cast, regime, today), cast.host_hr)
    uow.commit()
    signing.start_signing(agreement, cast.host_hr, today)
    uow.commit()
    for kind, user in (
        (DocumentKind.AVENANT, cast.employee.user),
        (DocumentKind.AVENANT, cast.lender_hr),
        (DocumentKind.CONVENTION, cast.lender_hr),
        (DocumentKind.CONVENTION, cast.host_hr),
    ):
        assert user is not None
        signing.sign(agreement, kind, user, cast.password, ip="192.0.2.10", user_agent="exemple")
        uow.commit()
    return agreement


def _statement(agreement: Agreement, cast: Cast) -> bytes:
    """The loan's first month: started by the daily job, its real pay entered by the
    lender's HR (overtime on top of the declared salary), its statement issued the day
    after the month ends."""
    from lending.documents.statement import render_statement

    loan = db.session.scalars(select(Loan).where(Loan.agreement_id == agreement.id)).one()
    month = loan.start_date.replace(day=1)
    after = billing_rules.month_bounds(month)[1] + timedelta(days=1)
    loans.advance(loan.start_date)
    declared = actuals.month_of(loan, month, after).declared
    paid = actuals.Figures(
        declared.salary_cents + 150_00, declared.charges_cents + 67_50, declared.expenses_cents
    )
    actuals.record(loan, month, paid, cast.lender_hr, note="Heures supplémentaires", today=after)
    statement = statements.issue(loan, month, cast.lender_hr, today=after)
    uow.commit()
    return render_statement(statement)


def _lender_part(agreement, cast: Cast, regime, today: date) -> agreements.LenderPart:
    below_cost = regime == BillingRegime.L8241_3
    return agreements.LenderPart(
        lender_signatory_id=cast.lender_hr.id,
        employee_classification="Niveau V, coefficient 335",
        contract_reference="CDI du 4 septembre 2017",
        representative_mandate=False,
        start_date=agreement.start_date,
        end_date=agreement.end_date,
        essential_change=False,
        probation_days=None,
        probation_terms="",
        notice_days=15,
        lender_no_cse=False,
        lender_cse_date=today - timedelta(days=2),
        lender_cse_opinion="favorable",
        billing_regime=regime,
        salary_cents=agreement.salary_cents,
        charges_cents=agreement.charges_cents,
        expenses_cents=agreement.expenses_cents,
        billed_share_pct=40 if below_cost else 100,
        below_cost_justification=(
            "Entreprise utilisatrice de 48 salariés, hors du groupe de l'entreprise prêteuse"
            if below_cost
            else ""
        ),
        purpose=(
            "Découverte du secteur agroalimentaire et transition professionnelle"
            if below_cost
            else ""
        ),
        billing_method="Relevé mensuel établi sur les salaires réellement versés, "
        "bulletins de paie joints.",
        payment_terms_days=30,
        lender_headcount=6_200 if below_cost else 850,
        lender_group_headcount=None,
        same_group=False,
        lender_in_activite_partielle=True,
    )


def _host_part(agreement, cast: Cast, regime, today: date) -> agreements.HostPart:
    return agreements.HostPart(
        host_signatory_id=cast.host_hr.id,
        missions=agreement.missions,
        work_address="ZI de Boé, 47550 Boé",
        weekly_hours=35,
        working_hours="Du lundi au vendredi, 8 h – 12 h, 13 h – 16 h",
        risky_post=True,
        l4154_list_post=False,
        medical_surveillance=False,
        ppe="Chaussures de sécurité, gants anti-coupure",
        physical_constraints="Station debout prolongée",
        host_no_cse=False,
        host_cse_date=today - timedelta(days=1),
        host_headcount=48,
        host_created_on=date(2021, 3, 1),
    )
