"""A small market for round and proposal tests: one scheme on Lot-et-Garonne, an approved
aeronautics lender with volunteers in Agen, an approved agrifood host with a need in Agen."""

from dataclasses import dataclass, field

import pytest

from lending.models import Employee, EnrolmentStatus, Firm, Need, Role, Scheme, User


@dataclass
class Market:
    scheme: Scheme
    lender: Firm
    host: Firm
    lender_hr: User
    host_hr: User
    employees: list[Employee] = field(default_factory=list)
    needs: list[Need] = field(default_factory=list)


@pytest.fixture
def market(make_scheme, make_firm, make_enrolment, make_user, make_employee, make_need):
    scheme = make_scheme("SHARING test")
    lender = make_firm("Aéro Garonne", naf="30.30Z")
    host = make_firm("Pruneaux d'Agen", naf="10.71C")
    for firm in (lender, host):
        make_enrolment(firm, scheme, EnrolmentStatus.APPROVED)
    m = Market(scheme, lender, host, make_user(Role.HR, firm=lender), make_user(Role.HR, firm=host))
    for _ in range(2):
        user = make_user(Role.EMPLOYEE, firm=lender)
        m.employees.append(make_employee(lender, user=user, consent=True))
    m.needs.append(make_need(host, positions=1))
    return m
