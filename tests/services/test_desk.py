"""The operator's desk (services/desk): each section lists what it should, for the
operator's schemes only, with counts that match."""

from datetime import timedelta

import pytest

from lending.models import LoanStatus, Party, Role
from lending.models._time import local_date
from lending.services import desk
from lending.services.deals import signing, statements
from tests.factories import new_user
from tests.services.desk_helpers import fill, loan, months_back, side, statement


@pytest.fixture
def today(app):
    return local_date()


@pytest.fixture
def x(app, today):
    return fill(side("X"), today, "X")


@pytest.fixture
def y(app, today, x):
    return fill(side("Y", "31"), today, "Y")


def ids(section, attribute):
    return [getattr(line, attribute).id for line in section.lines]


def test_an_operator_sees_every_section_of_their_scheme_only(x, y, today):
    board = desk.build(x.operator, today)
    assert [s.name for s in board.schemes] == ["Dispositif X"]
    assert ids(board["entreprises"], "enrolment") == [e.id for e in x.applications]
    assert [line.need.id for line in board["besoins"].lines] == [n.id for n in x.unmatched]
    assert ids(board["propositions"], "proposal") == [p.id for p in x.proposals]
    agreements = {a.id for a in x.drafts + x.signing}
    assert set(ids(board["accords"], "agreement")) == agreements
    assert ids(board["prets"], "loan") == [loan.id for loan in x.soon]
    assert ids(board["releves"], "loan") == [loan.id for loan in x.unbilled]
    for section in board.sections:
        assert section.count == len(section.lines) > 0, section.key
        assert section.more == 0


def test_the_other_operator_sees_none_of_it(x, y, today):
    board = desk.build(y.operator, today)
    everything_x = {
        "entreprises": {e.id for e in x.applications},
        "propositions": {p.id for p in x.proposals},
        "accords": {a.id for a in x.drafts + x.signing},
        "prets": {loan.id for loan in x.soon},
        "releves": {loan.id for loan in x.unbilled},
    }
    attribute = {"entreprises": "enrolment", "propositions": "proposal", "accords": "agreement"}
    for key, x_ids in everything_x.items():
        seen = set(ids(board[key], attribute.get(key, "loan")))
        assert seen, key
        assert not seen & x_ids, key
    assert {line.need.id for line in board["besoins"].lines} == {n.id for n in y.unmatched}


def test_an_admin_sees_every_scheme(x, y, today):
    board = desk.build(new_user(Role.ADMIN), today)
    assert board["entreprises"].count == 4
    assert board["accords"].count == 4
    assert {s.name for s in board.schemes} == {"Dispositif X", "Dispositif Y"}


def test_an_operator_without_scheme_has_an_empty_desk(x, today):
    board = desk.build(new_user(Role.OPERATOR), today)
    assert board.schemes == ()
    assert all(section.count == 0 and not section.lines for section in board.sections)


def test_the_contact_of_an_application_is_the_applicant_or_a_colleague(x, today):
    lines = desk.build(x.operator, today)["entreprises"].lines
    assert [line.contact.id for line in lines] == [u.id for u in x.contacts]
    assert lines[0].enrolment.firm.commune.label == "Agen (47)"


def test_needs_come_with_the_last_round_and_its_reason(x, today):
    (line,) = desk.build(x.operator, today)["besoins"].lines
    assert line.round_id == x.last_round.id
    assert str(line.reason_label) == "Compétence obligatoire absente chez les salariés proches"


def test_proposals_tell_the_days_left_and_who_has_not_answered(x, today):
    (line,) = desk.build(x.operator, today)["propositions"].lines
    assert line.days_left == 3
    assert line.waiting_for == (Party.EMPLOYEE, Party.HOST)
    assert line.waiting_labels == ["le salarié", "l'entreprise d'accueil"]


def test_agreements_list_what_the_agreement_page_lists(x, today):
    lines = {line.agreement.id: line for line in desk.build(x.operator, today)["accords"].lines}
    draft = x.drafts[0]
    assert list(lines[draft.id].problems) == signing.problems(draft, today)
    assert lines[draft.id].problems
    missing = lines[x.signing[0].id].problems
    assert len(missing) == 3, missing
    assert all("signature manquante" in problem for problem in missing)
    assert not any("Entreprise prêteuse" in p and "Avenant" in p for p in missing)


def test_loans_soon_say_whether_they_start_or_end(x, today):
    starting, ending = desk.build(x.operator, today)["prets"].lines
    assert (starting.starts, starting.ends) == (True, False)
    assert (ending.starts, ending.ends) == (False, True)
    assert ending.loan.end_date == today + timedelta(days=10)


def test_statements_missing_are_the_months_over_without_one(x, today):
    lines = desk.build(x.operator, today)["releves"].lines
    for line in lines:
        have = {s.month for s in line.loan.statements}
        expected = [m for m in statements.due_months(line.loan, today) if m not in have]
        assert list(line.months) == expected
        assert expected


def test_a_section_shows_at_most_its_limit_and_counts_the_rest(x, today):
    board = desk.build(x.operator, today, limit=1)
    assert board["entreprises"].count == 2
    assert len(board["entreprises"].lines) == 1
    assert board["entreprises"].more == 1
    assert board["releves"].count == 2
    assert len(board["releves"].lines) == 1


def test_a_statement_of_a_month_after_an_early_end_does_not_hide_a_missing_one(x, today):
    start = months_back(today, 3)
    ended = loan(x, start, today + timedelta(days=60), LoanStatus.ENDED, start + timedelta(days=3))
    statement(ended, months_back(today, 1))  # issued before the loan was ended early
    lines = {line.loan.id: line for line in desk.build(x.operator, today)["releves"].lines}
    assert lines[ended.id].months == (start,)
