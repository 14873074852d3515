"""What legal.md §2–§4 requires before signing: each gate refuses with its own French
message, a complete agreement passes, regimes hold at their boundaries. Pure functions:
Agreement objects live in memory only, no database."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from lending.models import Agreement, BillingRegime, Signer
from lending.services.deals.billing_rules import in_covid_2020_sector, naf_code
from lending.services.deals.compliance import (
    avenant_problems,
    convention_problems,
    regime_problems,
    signature_order_problems,
)

LENDER_SIRET, HOST_SIRET = "55210055400005", "73282932000009"
START, END = date(2025, 3, 1), date(2025, 8, 31)
TODAY = date(2025, 2, 1)
CONSENT = datetime(2025, 2, 3, 9, 30)
NNBSP = "\u202f"  # thousands separator

# What makes an agreement eligible to L8241-3 (legal.md §2).
L8241_3 = {
    "billing_regime": BillingRegime.L8241_3,
    "lender_headcount": 12_000,
    "host_headcount": 40,
    "host_created_on": date(2010, 1, 1),
    "purpose": "Transitions professionnelles",
}


def agreement(**changes) -> Agreement:
    """An agreement where every check of legal.md passes, with `changes`."""
    fields = {
        "lender_name": "Aéro Précision SA",
        "lender_siret": LENDER_SIRET,
        "lender_address": "1 rue de l'Industrie, 31000 Toulouse",
        "lender_naf": "30.30Z – Construction aéronautique et spatiale",
        "lender_signatory_id": 1,
        "lender_signatory_name": "Claire Martin",
        "lender_signatory_role": "DRH",
        "host_name": "Boulangerie du Port",
        "host_siret": HOST_SIRET,
        "host_address": "2 quai des Pêcheurs, 29200 Brest",
        "host_naf": "10.71C – Boulangerie et boulangerie-pâtisserie",
        "host_signatory_id": 2,
        "host_signatory_name": "Yann Le Gall",
        "host_signatory_role": "Gérant",
        "employee_first_name": "Julie",
        "employee_last_name": "Durand",
        "employee_job_title": "Technicienne de maintenance",
        "employee_classification": "Niveau IV, coefficient 285",
        "contract_reference": "CDI du 4 septembre 2017",
        "representative_mandate": False,
        "start_date": START,
        "end_date": END,
        "purpose": "",
        "missions": "Maintenance des fours et de la chaîne de production",
        "work_address": "2 quai des Pêcheurs, 29200 Brest",
        "weekly_hours": Decimal("35.0"),
        "risky_post": False,
        "l4154_list_post": False,
        "medical_surveillance": False,
        "ppe": "",
        "physical_constraints": "",
        "essential_change": False,
        "probation_days": None,
        "probation_terms": "",
        "lender_no_cse": False,
        "lender_cse_date": date(2025, 2, 10),
        "lender_cse_opinion": "favorable",
        "host_no_cse": True,
        "host_cse_date": None,
        "billing_regime": BillingRegime.COST_PRICE,
        "salary_cents": 280_000,
        "charges_cents": 118_000,
        "expenses_cents": 0,
        "billed_share_pct": 100,
        "below_cost_justification": "",
        "lender_headcount": None,
        "lender_group_headcount": None,
        "host_headcount": None,
        "host_created_on": None,
        "same_group": False,
        "lender_in_activite_partielle": False,
        "signing_date": None,
    }
    return Agreement(**(fields | changes))


def test_a_complete_agreement_has_no_problem():
    a = agreement()
    assert convention_problems(a, today=TODAY) == []
    assert avenant_problems(a, CONSENT) == []
    assert signature_order_problems(START, {"lender": TODAY, "host": TODAY}) == []


OPEN_REGIMES = {
    BillingRegime.L8241_3: L8241_3,
    BillingRegime.COVID_2020_SECTOR: {"signing_date": date(2020, 9, 1)},
    BillingRegime.COVID_2021_ACTIVITE_PARTIELLE: {
        "signing_date": date(2021, 5, 1),
        "lender_in_activite_partielle": True,
    },
}


@pytest.mark.parametrize("regime", list(OPEN_REGIMES))
def test_a_complete_agreement_below_cost_passes_under_an_open_regime(regime):
    below_cost = {"billed_share_pct": 60, "below_cost_justification": "Formation en cours"}
    a = agreement(**({"billing_regime": regime} | OPEN_REGIMES[regime] | below_cost))
    assert convention_problems(a, today=TODAY) == []


def test_the_whole_list_comes_in_the_order_of_the_document():
    a = agreement(lender_siret="", missions="", employee_last_name="", host_no_cse=False)
    assert convention_problems(a, today=TODAY) == [
        "Indiquez le SIRET de l'entreprise prêteuse.",
        "Indiquez le nom du salarié.",
        "Indiquez les missions confiées au salarié.",
        "Indiquez la date d'information et de consultation du CSE de l'entreprise "
        "utilisatrice (ou qu'elle n'a pas de CSE).",
    ]


CONVENTION_GATES = [
    # both firms
    ({"lender_name": ""}, "Indiquez la raison sociale de l'entreprise prêteuse."),
    ({"host_address": " "}, "Indiquez l'adresse de l'entreprise utilisatrice."),
    ({"host_siret": ""}, "Indiquez le SIRET de l'entreprise utilisatrice."),
    (
        {"lender_siret": "55210055400006"},
        "Le SIRET de l'entreprise prêteuse n'est pas valide : 55210055400006.",
    ),
    (
        {"host_siret": "1234567890123"},
        "Le SIRET de l'entreprise utilisatrice n'est pas valide : 1234567890123.",
    ),
    (
        {"host_siret": LENDER_SIRET},
        "L'entreprise prêteuse et l'entreprise utilisatrice doivent être distinctes : même "
        f"SIRET {LENDER_SIRET}.",
    ),
    (
        {"lender_signatory_id": None, "lender_signatory_name": "", "lender_signatory_role": ""},
        "Désignez le signataire de l'entreprise prêteuse : un compte RH de l'entreprise, choisi "
        "dans sa partie de l'accord ; son nom et sa fonction figurent sur les documents.",
    ),
    (  # a name typed in, with no account behind it, designates nobody
        {"host_signatory_id": None},
        "Désignez le signataire de l'entreprise utilisatrice : un compte RH de l'entreprise, "
        "choisi dans sa partie de l'accord ; son nom et sa fonction figurent sur les documents.",
    ),
    (
        {"lender_signatory_role": ""},
        "Le signataire de l'entreprise prêteuse, Claire Martin, doit indiquer sa fonction dans "
        "« Mon compte » : elle figure sur les documents à signer.",
    ),
    (
        {"host_signatory_role": " "},
        "Le signataire de l'entreprise utilisatrice, Yann Le Gall, doit indiquer sa fonction "
        "dans « Mon compte » : elle figure sur les documents à signer.",
    ),
    # the employee
    ({"employee_last_name": ""}, "Indiquez le nom du salarié."),
    ({"employee_first_name": ""}, "Indiquez le prénom du salarié."),
    ({"employee_job_title": ""}, "Indiquez l'emploi du salarié."),
    (
        {"employee_classification": ""},
        "Indiquez la classification (ou le coefficient) du salarié dans la convention "
        "collective de l'entreprise prêteuse.",
    ),
    # dates
    ({"end_date": None}, "Indiquez la date de fin du prêt."),
    (
        {"end_date": START},
        "La date de fin du prêt (01/03/2025) doit être postérieure à la date de début "
        "(01/03/2025).",
    ),
    (
        {"end_date": date(2025, 2, 1)},
        "La date de fin du prêt (01/02/2025) doit être postérieure à la date de début "
        "(01/03/2025).",
    ),
    # billing
    ({"billing_regime": None}, "Choisissez le régime de refacturation."),
    ({"salary_cents": 0}, "Indiquez le salaire mensuel brut du salarié (plus de zéro)."),
    ({"salary_cents": None}, "Indiquez le salaire mensuel brut du salarié (plus de zéro)."),
    ({"charges_cents": -1}, "Indiquez les charges sociales mensuelles (zéro ou plus)."),
    ({"expenses_cents": None}, "Indiquez les frais professionnels mensuels (zéro ou plus)."),
    ({"billed_share_pct": None}, "Indiquez la part du coût refacturée."),
    (
        {"billed_share_pct": 80, "below_cost_justification": "Partenariat"},
        "Au prix coûtant, la refacturation porte sur 100 % du coût : 80 % indiqués.",
    ),
    (
        {**L8241_3, "billed_share_pct": 120},
        "La part refacturée va de 0 à 100 % du coût : 120 % indiqués.",
    ),
    (
        {**L8241_3, "billed_share_pct": 0},
        "Une refacturation inférieure au coût (0 %) doit être justifiée dans la convention.",
    ),
    (
        {**L8241_3, "purpose": ""},
        "Le régime L8241-3 exige que la convention indique l'objet du prêt (qualification, "
        "transitions professionnelles, partenariat).",
    ),
    # the work
    ({"missions": ""}, "Indiquez les missions confiées au salarié."),
    ({"work_address": ""}, "Indiquez le lieu de travail."),
    ({"weekly_hours": None}, "Indiquez la durée hebdomadaire de travail."),
    (
        {"weekly_hours": Decimal("0")},
        "La durée hebdomadaire de travail doit être comprise entre 0 et 48 heures : 0 h indiquées.",
    ),
    (
        {"weekly_hours": Decimal("48.5")},
        "La durée hebdomadaire de travail doit être comprise entre 0 et 48 heures : 48,5 h "
        "indiquées.",
    ),
    # the post
    ({"risky_post": None}, "Indiquez si le poste présente des risques particuliers."),
    (
        {"l4154_list_post": None},
        "Indiquez si le poste figure sur la liste des postes présentant des risques "
        "particuliers pour la santé ou la sécurité (L4154-2).",
    ),
    (
        {"medical_surveillance": None},
        "Indiquez si le poste exige une surveillance médicale particulière.",
    ),
    # probation
    (
        {"essential_change": True, "probation_days": None, "probation_terms": "Fin écrite"},
        "Un élément essentiel du contrat change : indiquez la durée de la période probatoire.",
    ),
    (
        {"essential_change": True, "probation_days": 15, "probation_terms": ""},
        "Un élément essentiel du contrat change : indiquez les modalités de la période "
        "probatoire (comment elle prend fin).",
    ),
    # CSE
    (
        {"lender_cse_date": None},
        "Indiquez la date de consultation du CSE de l'entreprise prêteuse (ou qu'elle n'a pas "
        "de CSE).",
    ),
    (
        {"lender_cse_date": START},
        "Le CSE de l'entreprise prêteuse doit être consulté avant le début du prêt "
        "(01/03/2025) : consultation du 01/03/2025.",
    ),
    ({"lender_cse_opinion": ""}, "Indiquez l'avis du CSE de l'entreprise prêteuse."),
    (
        {"host_no_cse": False},
        "Indiquez la date d'information et de consultation du CSE de l'entreprise "
        "utilisatrice (ou qu'elle n'a pas de CSE).",
    ),
    (
        {"host_no_cse": False, "host_cse_date": date(2025, 3, 2)},
        "Le CSE de l'entreprise utilisatrice doit être informé et consulté avant l'arrivée du "
        "salarié (01/03/2025) : consultation du 02/03/2025.",
    ),
]


@pytest.mark.parametrize(("changes", "message"), CONVENTION_GATES)
def test_each_convention_gate_refuses_with_its_message(changes, message):
    assert convention_problems(agreement(**changes), today=TODAY) == [message]


def test_missing_dates_are_asked_for_and_nothing_is_compared_with_them():
    start = "Indiquez la date de début du prêt."
    end = "Indiquez la date de fin du prêt."
    assert convention_problems(agreement(start_date=None), today=TODAY) == [start]
    a = agreement(start_date=None, end_date=None, **L8241_3)
    assert convention_problems(a, today=TODAY) == [start, end]
    assert avenant_problems(a, datetime(2030, 1, 1)) == [start, end]


@pytest.mark.parametrize(
    "changes",
    [
        {"weekly_hours": Decimal("44")},  # the 12-week average's limit (L3121-22)
        # 77 days at 48 h: the 12 weeks that hold them average 44 h at least
        {"weekly_hours": Decimal("48"), "end_date": date(2025, 5, 16)},
        {"weekly_hours": Decimal("0.5")},
        {"risky_post": True, "l4154_list_post": True, "medical_surveillance": True},
        {"essential_change": True, "probation_days": 15, "probation_terms": "Fin écrite"},
        {"lender_no_cse": True, "lender_cse_date": None, "lender_cse_opinion": ""},
        {"host_no_cse": False, "host_cse_date": date(2025, 2, 28)},
        {"lender_cse_date": date(2025, 2, 28)},
        {"host_siret": "35600000049837"},  # a La Poste establishment: no Luhn
        {**L8241_3, "billed_share_pct": 50, "below_cost_justification": "Partenariat"},
    ],
)
def test_what_the_gates_accept(changes):
    assert convention_problems(agreement(**changes), today=TODAY) == []


# -- billing regimes (legal.md §2) --------------------------------------------------------

SIGNED = date(2025, 2, 1)


def l8241_3(**changes) -> Agreement:
    return agreement(**(L8241_3 | changes))


def test_cost_price_is_always_open():
    a = agreement(same_group=True, host_naf="")
    assert regime_problems(a, date(2019, 1, 1)) == []
    assert regime_problems(a, SIGNED) == []


@pytest.mark.parametrize(
    ("lender", "group", "problem"),
    [
        (5_000, None, None),
        (None, 5_000, None),
        (1_200, 80_000, None),
        (4_999, None, f"4{NNBSP}999"),
        (1_200, 3_000, f"3{NNBSP}000"),
    ],
)
def test_l8241_3_needs_a_lender_or_group_of_5000(lender, group, problem):
    problems = regime_problems(
        l8241_3(lender_headcount=lender, lender_group_headcount=group), SIGNED
    )
    expected = (
        "Le régime L8241-3 exige une entreprise prêteuse (ou son groupe) d'au moins "
        f"5{NNBSP}000 salariés : effectif déclaré {problem}."
    )
    assert problems == ([] if problem is None else [expected])


def test_l8241_3_asks_for_the_lender_headcount():
    a = l8241_3(lender_headcount=None, lender_group_headcount=None)
    assert regime_problems(a, SIGNED) == [
        "Le régime L8241-3 dépend de l'effectif de l'entreprise prêteuse (ou de son groupe) : "
        "indiquez-le."
    ]


@pytest.mark.parametrize(
    ("created", "headcount", "detail"),
    [
        (date(2017, 2, 2), 900, None),  # 7 years old on 01/02/2025: young
        (date(2017, 2, 1), 249, None),  # 8 years old but small
        (
            date(2017, 2, 1),
            None,
            "créée le 01/02/2017, elle a 8 ans à la signature ; indiquez son effectif",
        ),
        (None, 250, "effectif déclaré 250 ; indiquez sa date de création"),
        (date(2017, 2, 1), 250, "créée le 01/02/2017 (8 ans à la signature), effectif déclaré 250"),
        (
            date(2016, 2, 29),
            300,
            "créée le 29/02/2016 (8 ans à la signature), effectif déclaré 300",
        ),
        (date(2017, 2, 2), None, None),
        (None, 249, None),
    ],
)
def test_l8241_3_needs_a_host_under_8_years_or_250_employees(created, headcount, detail):
    a = l8241_3(host_created_on=created, host_headcount=headcount)
    expected = (
        "Le régime L8241-3 exige une entreprise utilisatrice de moins de 8 ans ou de moins "
        f"de 250 salariés : {detail}."
    )
    assert regime_problems(a, SIGNED) == ([] if detail is None else [expected])


def test_l8241_3_asks_for_the_host_facts():
    a = l8241_3(host_created_on=None, host_headcount=None)
    assert regime_problems(a, SIGNED) == [
        "Le régime L8241-3 dépend de l'âge ou de l'effectif de l'entreprise utilisatrice : "
        "indiquez sa date de création ou son effectif."
    ]


def test_l8241_3_is_closed_within_a_group():
    assert regime_problems(l8241_3(same_group=True), SIGNED) == [
        "Le régime L8241-3 est exclu entre entreprises d'un même groupe."
    ]


@pytest.mark.parametrize(
    ("start", "end", "too_long"),
    [
        (date(2025, 1, 1), date(2026, 12, 31), False),  # exactly 2 years
        (date(2025, 1, 1), date(2027, 1, 1), True),
        (date(2024, 2, 29), date(2026, 2, 28), False),
        (date(2024, 2, 29), date(2026, 3, 1), True),
    ],
)
def test_l8241_3_lasts_2_years_at_most(start, end, too_long):
    problems = regime_problems(l8241_3(start_date=start, end_date=end), SIGNED)
    message = (
        f"Le régime L8241-3 limite le prêt à 2 ans : du {start:%d/%m/%Y} au {end:%d/%m/%Y}, "
        "cette durée est dépassée."
    )
    assert problems == ([message] if too_long else [])


COVID_2020 = {"billing_regime": BillingRegime.COVID_2020_SECTOR}


@pytest.mark.parametrize(
    ("signed", "open_"),
    [
        (date(2020, 6, 17), False),
        (date(2020, 6, 18), True),
        (date(2020, 12, 31), True),
        (date(2021, 1, 1), False),
        (SIGNED, False),
    ],
)
def test_the_2020_derogation_is_for_conventions_signed_in_its_window(signed, open_):
    problems = regime_problems(agreement(**COVID_2020), signed)
    message = (
        "La dérogation 2020 ne vaut que pour les conventions signées du 18/06/2020 au "
        f"31/12/2020 : signature le {signed:%d/%m/%Y}."
    )
    assert problems == ([] if open_ else [message])


@pytest.mark.parametrize(
    ("naf", "in_sector"),
    [
        ("86.10Z – Activités hospitalières", True),
        ("87.10A – Hébergement médicalisé pour personnes âgées", True),
        ("88.91A", True),
        ("10.71C – Boulangerie et boulangerie-pâtisserie", True),
        ("11.05Z – Fabrication de bière", True),
        ("50.20Z – Transports maritimes et côtiers de fret", True),
        ("30.30Z – Construction aéronautique et spatiale", True),
        ("33.16Z – Réparation et maintenance d'aéronefs et d'engins spatiaux", True),
        ("33.12Z – Réparation de machines et équipements mécaniques", False),
        ("30.20Z – Construction de locomotives", False),
        ("47.11D – Supermarchés", False),
        ("49.10Z – Transport ferroviaire interurbain de voyageurs", False),
    ],
)
def test_the_2020_derogation_is_for_the_sectors_of_decree_2020_1317(naf, in_sector):
    problems = regime_problems(agreement(**COVID_2020, host_naf=naf), date(2020, 9, 1))
    message = (
        "La dérogation 2020 est réservée aux secteurs du décret 2020-1317 (santé et "
        "médico-social, aéronautique, agroalimentaire, transport maritime) : code NAF "
        f"{naf_code(naf)} de l'entreprise utilisatrice."
    )
    assert problems == ([] if in_sector else [message])


@pytest.mark.parametrize("naf", ["", None, "Boulangerie"])
def test_the_2020_derogation_asks_for_the_host_naf(naf):
    problems = regime_problems(agreement(**COVID_2020, host_naf=naf), date(2020, 9, 1))
    assert problems == [
        "La dérogation 2020 dépend du secteur de l'entreprise utilisatrice : indiquez son code NAF."
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [("10.71C – Boulangerie", "10.71C"), (" 86.10z", "86.10Z"), ("86", "86"), ("x", None)],
)
def test_naf_code_is_read_before_the_dash(text, code):
    assert naf_code(text) == code
    assert in_covid_2020_sector(text) == (code is not None and code[:2] in {"10", "86"})


COVID_2021 = {
    "billing_regime": BillingRegime.COVID_2021_ACTIVITE_PARTIELLE,
    "lender_in_activite_partielle": True,
}


@pytest.mark.parametrize(
    ("signed", "open_"),
    [
        (date(2020, 12, 31), False),
        (date(2021, 1, 1), True),
        (date(2021, 9, 30), True),
        (date(2021, 10, 1), False),
    ],
)
def test_the_2021_derogation_is_for_conventions_signed_in_its_window(signed, open_):
    problems = regime_problems(agreement(**COVID_2021), signed)
    message = (
        "La dérogation 2021 ne vaut que pour les conventions signées du 01/01/2021 au "
        f"30/09/2021 : signature le {signed:%d/%m/%Y}."
    )
    assert problems == ([] if open_ else [message])


def test_the_2021_derogation_needs_a_lender_in_activite_partielle():
    a = agreement(**(COVID_2021 | {"lender_in_activite_partielle": False}))
    assert regime_problems(a, date(2021, 3, 1)) == [
        "La dérogation 2021 exige une entreprise prêteuse en activité partielle : elle n'est "
        "pas déclarée comme telle."
    ]


def test_the_convention_judges_the_regime_at_its_signing_date_or_today():
    a = l8241_3(host_created_on=date(2017, 3, 1), host_headcount=900)
    # 7 years old on 28/02/2025, 8 on 01/03/2025.
    assert convention_problems(a, today=date(2025, 2, 28)) == []
    assert len(convention_problems(a, today=date(2025, 3, 1))) == 1
    a.signing_date = date(2025, 2, 28)
    assert convention_problems(a, today=date(2025, 3, 1)) == []


# -- avenant (legal.md §4) ----------------------------------------------------------------

AVENANT_GATES = [
    ({"employee_first_name": ""}, CONSENT, "Indiquez le prénom du salarié."),
    (
        {"contract_reference": ""},
        CONSENT,
        "Indiquez la référence du contrat de travail du salarié.",
    ),
    (
        {},
        None,
        "L'accord écrit du salarié n'est pas enregistré : il doit l'être avant le début du prêt.",
    ),
    (
        {},
        datetime(2025, 3, 1, 7, 0),
        "L'accord du salarié doit être recueilli avant le début du prêt (01/03/2025) : "
        "recueilli le 01/03/2025.",
    ),
    ({"host_name": ""}, CONSENT, "Indiquez la raison sociale de l'entreprise utilisatrice."),
    ({"missions": ""}, CONSENT, "Indiquez les missions confiées au salarié."),
    ({"weekly_hours": None}, CONSENT, "Indiquez la durée hebdomadaire de travail."),
    ({"work_address": ""}, CONSENT, "Indiquez le lieu de travail."),
    (
        {"medical_surveillance": None},
        CONSENT,
        "Indiquez si le poste exige une surveillance médicale particulière.",
    ),
    (
        {"risky_post": True},
        CONSENT,
        "Décrivez les caractéristiques particulières du poste (risques, contraintes "
        "physiques) : il n'est pas déclaré sans risque.",
    ),
    ({"end_date": None}, CONSENT, "Indiquez la date de fin du prêt."),
    (
        {"essential_change": True, "probation_days": 0, "probation_terms": "Fin écrite"},
        CONSENT,
        "Un élément essentiel du contrat change : indiquez la durée de la période probatoire.",
    ),
]


@pytest.mark.parametrize(("changes", "consent", "message"), AVENANT_GATES)
def test_each_avenant_gate_refuses_with_its_message(changes, consent, message):
    assert avenant_problems(agreement(**changes), consent) == [message]


def test_an_unanswered_risk_question_also_asks_for_the_post_characteristics():
    assert avenant_problems(agreement(risky_post=None), CONSENT) == [
        "Indiquez si le poste présente des risques particuliers.",
        "Décrivez les caractéristiques particulières du poste (risques, contraintes "
        "physiques) : il n'est pas déclaré sans risque.",
    ]


def test_a_risky_post_with_its_constraints_described_passes():
    a = agreement(risky_post=True, physical_constraints="Port de charges jusqu'à 20 kg")
    assert avenant_problems(a, CONSENT) == []


def test_consent_the_day_before_the_start_passes():
    # 22:59 UTC on 28 February is 23:59 in Paris (winter time, UTC+1): the day before.
    assert avenant_problems(agreement(), datetime(2025, 2, 28, 22, 59)) == []


def test_consent_is_judged_on_the_french_calendar_date():
    """00:30 in Paris on 1 March (23:30 UTC on 28 February) is the start date itself: too
    late, as signing judges it on the Paris date."""
    assert avenant_problems(agreement(), datetime(2025, 2, 28, 23, 30)) == [
        "L'accord du salarié doit être recueilli avant le début du prêt (01/03/2025) : "
        "recueilli le 01/03/2025."
    ]


# -- signatures ---------------------------------------------------------------------------


def test_every_party_signs_before_the_start():
    problems = signature_order_problems(
        START,
        {
            Signer.EMPLOYEE: date(2025, 2, 28),
            Signer.LENDER: datetime(2025, 3, 1, 8, 0),
            "host": None,
        },
    )
    assert problems == [
        "Entreprise prêteuse : signature du 01/03/2025 ; elle doit précéder le début du prêt "
        "(01/03/2025).",
        "Entreprise utilisatrice : signature manquante ; elle doit précéder le début du prêt "
        "(01/03/2025).",
    ]


def test_a_late_employee_signature_is_named():
    assert signature_order_problems(START, {"employee": date(2025, 4, 1)}) == [
        "Salarié : signature du 01/04/2025 ; elle doit précéder le début du prêt (01/03/2025)."
    ]
