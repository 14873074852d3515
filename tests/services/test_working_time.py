"""Working time during the loan: 48 h a week and 44 h on average over 12 weeks (46 h where
an agreement allows it) refuse signing, the lender's hours in the same weeks counted; the
daily maximum, the daily and weekly rest are warned about where the schedule gives them.
Pure functions: Agreement objects in memory only."""

from datetime import timedelta
from decimal import Decimal

import pytest

from lending.services.deals.compliance import avenant_problems, convention_problems
from lending.services.deals.schedule import parse_schedule
from lending.services.deals.working_time import warnings
from tests.services.test_compliance import CONSENT, START, TODAY, agreement

# START to END of test_compliance: 184 days, so every 12 weeks of the loan are inside it.
AVERAGE_44 = (
    "À {h} h par semaine pendant 184 jours, la durée hebdomadaire moyenne sur 12 semaines "
    "consécutives dépasse 44 heures (article L3121-22 du Code du travail), ou 46 heures si "
    "un accord collectif (L3121-23) ou une autorisation administrative (L3121-24) le permet."
)
AVERAGE_46 = (
    "À {h} h par semaine pendant 184 jours, la durée hebdomadaire moyenne sur 12 semaines "
    "consécutives dépasse 46 heures, le maximum qu'un accord collectif ou une autorisation "
    "administrative peut permettre (articles L3121-23 et L3121-24 du Code du travail)."
)


def test_a_steady_45_hour_week_breaks_the_12_week_average_of_44_hours():
    a = agreement(weekly_hours=Decimal("44.5"))
    assert convention_problems(a, today=TODAY) == [AVERAGE_44.format(h="44,5")]
    assert avenant_problems(a, CONSENT) == [AVERAGE_44.format(h="44,5")]


def test_an_agreement_allowing_46_hours_is_a_setting_of_the_host():
    assert convention_problems(agreement(weekly_hours=46, host_average_46h=True), today=TODAY) == []
    a = agreement(weekly_hours=Decimal("46.5"), host_average_46h=True)
    assert convention_problems(a, today=TODAY) == [AVERAGE_46.format(h="46,5")]


def test_the_hours_kept_at_the_lender_count_with_the_hosts():
    part_time = agreement(weekly_hours=30, lender_weekly_hours=Decimal("14.5"))
    assert convention_problems(part_time, today=TODAY) == [AVERAGE_44.format(h="44,5")]
    within = agreement(weekly_hours=30, lender_weekly_hours=14)
    assert convention_problems(within, today=TODAY) == []
    over = agreement(weekly_hours=30, lender_weekly_hours=20)
    assert convention_problems(over, today=TODAY) == [
        "Avec les 20 h maintenues chaque semaine dans l'entreprise prêteuse, le salarié "
        "travaillerait 50 h par semaine : la durée maximale est de 48 heures (article L3121-20 "
        "du Code du travail)."
    ]


@pytest.mark.parametrize("hours", [Decimal("-1"), Decimal("48.5")])
def test_the_lender_hours_are_a_week_at_most(hours):
    assert convention_problems(agreement(lender_weekly_hours=hours), today=TODAY) == [
        "Les heures maintenues dans l'entreprise prêteuse pendant le prêt vont de 0 à 48 par "
        f"semaine : {str(hours).replace('.', ',')} h indiquées."
    ]


def test_a_loan_shorter_than_12_weeks_is_refused_only_when_the_average_is_certain():
    six_weeks = agreement(weekly_hours=46, end_date=START + timedelta(days=41))
    assert convention_problems(six_weeks, today=TODAY) == []
    assert warnings(six_weeks) == [
        "À 46 h par semaine pendant 42 jours, la moyenne sur 12 semaines consécutives reste "
        "dans la limite de 44 heures (articles L3121-22 à L3121-24 du Code du travail) "
        "seulement si, sur chaque période de 12 semaines qui contient le prêt, le salarié ne "
        "travaille pas plus de 42 h par semaine en moyenne en dehors du prêt."
    ]
    eleven_and_a_half_weeks = agreement(weekly_hours=48, end_date=START + timedelta(days=79))
    assert convention_problems(eleven_and_a_half_weeks, today=TODAY) == [
        "À 48 h par semaine pendant 80 jours, la durée hebdomadaire moyenne sur 12 semaines "
        "consécutives dépasse 44 heures (article L3121-22 du Code du travail), ou 46 heures si "
        "un accord collectif (L3121-23) ou une autorisation administrative (L3121-24) le permet."
    ]


# -- the schedule ----------------------------------------------------------------------

WEEK = {0: [(450, 720), (810, 990)], 1: [(450, 720), (810, 990)], 2: [(450, 720), (810, 990)]}


@pytest.mark.parametrize(
    ("text", "schedule"),
    [
        ("7 h 30 – 12 h, 13 h 30 – 16 h 30, du lundi au mercredi", WEEK),
        ("Du lundi au mercredi, de 7 h 30 à 12 h et de 13 h 30 à 16 h 30", WEEK),
        ("lun.-mer. 07:30-12:00 13:30-16:30", WEEK),
        ("Lundi, mardi et mercredi : 7h30-12h / 13h30-16h30", WEEK),
        ("8 h – 12 h, 13 h – 16 h", {None: [(480, 720), (780, 960)]}),
        (
            "lundi au jeudi 8h-12h ; vendredi 8h-12h 13h-15h",
            {**{d: [(480, 720)] for d in range(4)}, 4: [(480, 720), (780, 900)]},
        ),
        ("22 h - 6 h du lundi au mardi", {0: [(1320, 1800)], 1: [(1320, 1800)]}),
        ("samedi au lundi 8h-12h", {5: [(480, 720)], 6: [(480, 720)], 0: [(480, 720)]}),
        # what cannot be read for sure is not read
        ("", None),
        ("35 heures par semaine", None),
        ("Horaires d'équipe en 2x8 : 5h-13h / 13h-21h", None),
        ("8h-16h ou 12h-20h selon les semaines", None),
        ("lundi 8h-12h, mardi", None),
        ("8h-12h 10h-14h", None),  # overlapping
        ("8h-12h le lundi, 9h-13h", None),
        ("25h-26h", None),
    ],
)
def test_the_schedules_read_and_those_left_alone(text, schedule):
    assert parse_schedule(text) == schedule


def _warned(working_hours, **changes):
    return warnings(agreement(working_hours=working_hours, **changes))


def test_a_usual_schedule_has_no_warning():
    assert _warned("7 h 30 – 12 h, 13 h 30 – 16 h, du lundi au vendredi") == []  # 35 h
    assert _warned("une organisation à voir avec le salarié") == []


def test_a_day_over_10_hours_is_warned_about():
    assert _warned("lundi et mardi 7h-12h 13h-18h30", weekly_hours=21) == [
        "Les horaires indiqués comptent 10 h 30 de travail le lundi, mardi : si ce sont des "
        "heures de travail effectif (pauses à part), la durée quotidienne dépasse 10 heures, "
        "ce qui n'est permis que par dérogation de l'inspection du travail, en cas d'urgence "
        "ou par accord collectif dans la limite de 12 heures (articles L3121-18 et L3121-19 du "
        "Code du travail). Indiquez les pauses ou la dérogation qui s'applique."
    ]
    assert _warned("8 h - 19 h")[0].startswith(
        "Les horaires indiqués comptent 11 h de travail chaque jour travaillé :"
    )


def test_less_than_11_hours_of_rest_between_two_days_is_warned_about():
    rest = (
        "Les horaires indiqués ne laissent que {rest} de repos {between} : le repos quotidien "
        "est d'au moins 11 heures consécutives, sauf dérogation prévue par accord collectif ou "
        "par décret, ou en cas d'urgence (articles L3131-1 à L3131-3 du Code du travail)."
    )
    assert _warned("lundi 13h-21h ; mardi 6h-14h", weekly_hours=16) == [
        rest.format(rest="9 h", between="entre le lundi et le mardi")
    ]
    assert _warned("6 h - 10 h, 15 h - 20 h", weekly_hours=35) == [
        rest.format(rest="10 h", between="entre deux journées de travail consécutives")
    ]
    assert _warned("dimanche 14h-22h ; lundi 8h-12h", weekly_hours=12) == [
        rest.format(rest="10 h", between="entre le dimanche et le lundi")
    ]
    assert _warned("lundi 13h-21h ; mercredi 6h-14h", weekly_hours=16) == []  # not consecutive


def test_seven_days_a_week_and_a_schedule_longer_than_declared_are_warned_about():
    assert _warned("du lundi au dimanche de 8 h à 13 h", weekly_hours=35) == [
        "Les horaires indiqués font travailler le salarié les sept jours de la semaine : il ne "
        "peut pas travailler plus de six jours par semaine et a droit à un repos hebdomadaire "
        "d'au moins 24 heures consécutives, plus les 11 heures du repos quotidien (articles "
        "L3132-1 et L3132-2 du Code du travail)."
    ]
    assert _warned("Du lundi au vendredi, de 8 h à 16 h", weekly_hours=35) == [
        "Les horaires indiqués totalisent 40 h par semaine, plus que la durée hebdomadaire "
        "déclarée (35 h) : les durées maximales sont vérifiées sur la durée déclarée. "
        "Accordez les deux."
    ]


def test_warnings_never_stop_signing():
    a = agreement(working_hours="lundi 13h-21h ; mardi 6h-14h", weekly_hours=16)
    assert warnings(a)
    assert convention_problems(a, today=TODAY) == []
    assert avenant_problems(a, CONSENT) == []
