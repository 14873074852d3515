"""SQLAlchemy models, one module per aggregate; importing this registers them all."""

from lending.models.agreement import (
    Agreement,
    AgreementDocument,
    AgreementStatus,
    BillingRegime,
    DocumentKind,
    Signature,
    Signer,
)
from lending.models.audit import AuditEvent
from lending.models.employee import (
    ConsentEvent,
    Employee,
    EmployeeSkill,
    EmployeeStatus,
    Invitation,
)
from lending.models.firm import Firm
from lending.models.job import JobClaim
from lending.models.loan import (
    ACTUAL_SOURCE_LABELS,
    EARLY_END_LABELS,
    ActualSource,
    BillingStatement,
    EarlyEnd,
    Feedback,
    Loan,
    LoanEvent,
    LoanStatus,
    MonthlyActual,
    PaymentStatus,
)
from lending.models.need import Need, NeedSkill, NeedStatus
from lending.models.proposal import (
    Decision,
    MatchingRound,
    Party,
    Proposal,
    ProposalStatus,
    RoundStatus,
    UnmatchedNeed,
)
from lending.models.reference import (
    Commune,
    Departement,
    NafCode,
    NafDivision,
    NafSection,
    PostalCode,
    Region,
)
from lending.models.scheme import Enrolment, EnrolmentStatus, Scheme
from lending.models.signup import PendingSignup
from lending.models.skills import JobTitle, Skill, SkillFamily
from lending.models.task import Task, TaskStatus
from lending.models.user import Role, User, UserSession

__all__ = [
    "Task",
    "TaskStatus",
    "ACTUAL_SOURCE_LABELS",
    "ActualSource",
    "Agreement",
    "AgreementDocument",
    "AgreementStatus",
    "BillingRegime",
    "BillingStatement",
    "DocumentKind",
    "EARLY_END_LABELS",
    "EarlyEnd",
    "Feedback",
    "Loan",
    "LoanEvent",
    "LoanStatus",
    "MonthlyActual",
    "PaymentStatus",
    "Signature",
    "Signer",
    "AuditEvent",
    "ConsentEvent",
    "Employee",
    "EmployeeSkill",
    "EmployeeStatus",
    "Invitation",
    "PendingSignup",
    "Need",
    "NeedSkill",
    "NeedStatus",
    "Commune",
    "Decision",
    "MatchingRound",
    "Party",
    "Proposal",
    "ProposalStatus",
    "RoundStatus",
    "UnmatchedNeed",
    "Departement",
    "Enrolment",
    "EnrolmentStatus",
    "Firm",
    "JobClaim",
    "JobTitle",
    "NafCode",
    "NafDivision",
    "NafSection",
    "PostalCode",
    "Region",
    "Role",
    "Scheme",
    "Skill",
    "SkillFamily",
    "User",
    "UserSession",
]
