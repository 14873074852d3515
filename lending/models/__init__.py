"""SQLAlchemy models, one module per aggregate; importing this registers them all."""

from lending.models.audit import AuditEvent
from lending.models.firm import Firm
from lending.models.reference import (
    Commune,
    Departement,
    NafCode,
    NafSection,
    PostalCode,
    Region,
)
from lending.models.scheme import Enrolment, EnrolmentStatus, Scheme
from lending.models.user import Role, User, UserSession

__all__ = [
    "AuditEvent",
    "Commune",
    "Departement",
    "Enrolment",
    "EnrolmentStatus",
    "Firm",
    "NafCode",
    "NafSection",
    "PostalCode",
    "Region",
    "Role",
    "Scheme",
    "User",
    "UserSession",
]
