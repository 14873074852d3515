"""Access rules live in lending/authz.py: views and templates ask its predicates and never
compare firms, users or parties themselves (design.md §3)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VIEWS = sorted((ROOT / "lending" / "web").rglob("*.py"))
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))

# A firm, a user or a party compared by hand.
COMPARISONS = re.compile(
    r"_id\s*(==|!=)|\b(party|party\.value|side)\s*(==|!=|\bin\b|\bnot in\b)"
    r"|(==|!=)\s*(current_user\.)?(firm_id|id)\b"
)


@pytest.mark.parametrize("path", VIEWS + TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_access_rule_outside_authz(path):
    found = [
        f"{number}: {line.strip()}"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if COMPARISONS.search(line)
    ]
    assert not found, "compare with a predicate of lending/authz.py instead:\n" + "\n".join(found)


def test_the_guard_catches_what_it_is_for():
    for line in (
        "{% if p.lender_firm_id == current_user.firm_id %}",
        "if statement.loan_id != loan.id:",
        '{% if party.value == "employee" %}',
        "if party in (Party.LENDER, Party.HOST):",
        '{% if side == "lender" %}',
    ):
        assert COMPARISONS.search(line), line
