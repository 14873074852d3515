"""The legal side of an accepted proposal: the agreement (convention de mise à disposition
between the two firms, and avenant to the employee's contract), its frozen document versions
and the signatures on them.

One Agreement per accepted proposal holds every field of legal.md §3 and §4. Identity data is
copied when the agreement is drafted, so a later edit of a firm or an employee never changes
a document in progress; a change to the agreement after signing started voids the frozen
versions and their signatures (see services/deals/agreements.py).
"""

import enum
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lending.extensions import db
from lending.models._time import utcnow


class BillingRegime(enum.StrEnum):
    COST_PRICE = "cost_price"
    L8241_3 = "l8241_3"
    COVID_2020_SECTOR = "covid_2020_sector"
    COVID_2021_ACTIVITE_PARTIELLE = "covid_2021_activite_partielle"


BILLING_REGIME_LABELS = {
    BillingRegime.COST_PRICE: _l(
        "Prix coûtant : salaire, charges et frais refacturés à l'euro près"
    ),
    BillingRegime.L8241_3: _l("Article L8241-3 : refacturation partielle ou nulle possible"),
    BillingRegime.COVID_2020_SECTOR: _l(
        "Dérogation 2020 (secteurs du décret 2020-1317) : refacturation partielle possible"
    ),
    BillingRegime.COVID_2021_ACTIVITE_PARTIELLE: _l(
        "Dérogation 2021 (prêteur en activité partielle) : refacturation partielle possible"
    ),
}


class AgreementStatus(enum.StrEnum):
    DRAFT = "draft"  # parties complete the missing data
    SIGNING = "signing"  # documents frozen, signatures being collected
    SIGNED = "signed"  # both documents signed by their parties
    CANCELLED = "cancelled"


class DocumentKind(enum.StrEnum):
    CONVENTION = "convention"  # lender <-> host
    AVENANT = "avenant"  # lender <-> employee


class Signer(enum.StrEnum):
    LENDER = "lender"
    HOST = "host"
    EMPLOYEE = "employee"


# Who signs what (legal.md §3 and §4).
SIGNERS = {
    DocumentKind.CONVENTION: (Signer.LENDER, Signer.HOST),
    DocumentKind.AVENANT: (Signer.EMPLOYEE, Signer.LENDER),
}


class Agreement(db.Model):
    """Every field of the convention and the avenant. Money in euro cents, per month."""

    __tablename__ = "agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposal.id", ondelete="CASCADE"), unique=True
    )
    scheme_id: Mapped[int] = mapped_column(ForeignKey("scheme.id"), index=True)
    lender_firm_id: Mapped[int] = mapped_column(ForeignKey("firm.id"), index=True)
    host_firm_id: Mapped[int] = mapped_column(ForeignKey("firm.id"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    status: Mapped[AgreementStatus] = mapped_column(
        Enum(AgreementStatus, native_enum=False, length=16), default=AgreementStatus.DRAFT
    )
    version: Mapped[int] = mapped_column(Integer, default=1)  # +1 at each change after freezing
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    # Both firms, as they were when drafted (legal.md §3, first line).
    lender_name: Mapped[str] = mapped_column(String(200))
    lender_siret: Mapped[str] = mapped_column(String(14))
    lender_address: Mapped[str] = mapped_column(String(300))
    lender_naf: Mapped[str] = mapped_column(String(300))
    # Each firm's signatory is one of its HR accounts: the one that signs for it. Their name
    # and function are copied from the account (see services/deals/agreements.py).
    lender_signatory_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    lender_signatory_name: Mapped[str] = mapped_column(String(120), default="")
    lender_signatory_role: Mapped[str] = mapped_column(String(120), default="")
    host_name: Mapped[str] = mapped_column(String(200))
    host_siret: Mapped[str] = mapped_column(String(14))
    host_address: Mapped[str] = mapped_column(String(300))
    host_naf: Mapped[str] = mapped_column(String(300))
    host_signatory_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    host_signatory_name: Mapped[str] = mapped_column(String(120), default="")
    host_signatory_role: Mapped[str] = mapped_column(String(120), default="")

    # The employee (§3 identity and qualification; §4 reference to the contract).
    employee_first_name: Mapped[str] = mapped_column(String(80))
    employee_last_name: Mapped[str] = mapped_column(String(80))
    employee_job_title: Mapped[str] = mapped_column(String(200))
    employee_classification: Mapped[str] = mapped_column(String(200), default="")
    contract_reference: Mapped[str] = mapped_column(String(300), default="")
    representative_mandate: Mapped[bool] = mapped_column(Boolean, default=False)

    # The loan itself.
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    purpose: Mapped[str] = mapped_column(Text, default="")  # required for L8241-3
    missions: Mapped[str] = mapped_column(Text)
    skill_codes: Mapped[str] = mapped_column(String(600), default="")  # space-separated
    work_address: Mapped[str] = mapped_column(String(300))
    weekly_hours: Mapped[Decimal] = mapped_column(Numeric(4, 1))
    working_hours: Mapped[str] = mapped_column(String(600), default="")  # schedule, if known
    # Working time (services/deals/working_time.py): hours the employee keeps working for
    # the lender in the same weeks (a part-time loan; 0 for a full-time one), declared by
    # the lender; and whether an agreement or an authorisation lets the host average up to
    # 46 h a week over 12 weeks (Code du travail L3121-23, L3121-24), declared by the host.
    lender_weekly_hours: Mapped[Decimal] = mapped_column(
        Numeric(4, 1), default=Decimal(0), server_default="0"
    )
    host_average_46h: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    # Post risks (§3, answered yes/no) and particular characteristics (§4).
    risky_post: Mapped[bool | None] = mapped_column(Boolean)
    l4154_list_post: Mapped[bool | None] = mapped_column(Boolean)
    medical_surveillance: Mapped[bool | None] = mapped_column(Boolean)
    ppe: Mapped[str] = mapped_column(Text, default="")
    physical_constraints: Mapped[str] = mapped_column(Text, default="")

    # Probation, required when an essential element of the contract changes.
    essential_change: Mapped[bool] = mapped_column(Boolean, default=False)
    probation_days: Mapped[int | None] = mapped_column(Integer)
    probation_terms: Mapped[str] = mapped_column(Text, default="")
    notice_days: Mapped[int] = mapped_column(Integer, default=15)  # early termination

    # CSE steps: consulted (lender) and informed/consulted (host) before the start, or none.
    lender_no_cse: Mapped[bool] = mapped_column(Boolean, default=False)
    lender_cse_date: Mapped[date | None] = mapped_column(Date)
    lender_cse_opinion: Mapped[str] = mapped_column(String(20), default="")
    host_no_cse: Mapped[bool] = mapped_column(Boolean, default=False)
    host_cse_date: Mapped[date | None] = mapped_column(Date)

    # Billing (legal.md §2): monthly amounts declared by the lender, what is billed.
    billing_regime: Mapped[BillingRegime] = mapped_column(
        Enum(BillingRegime, native_enum=False, length=40), default=BillingRegime.COST_PRICE
    )
    salary_cents: Mapped[int] = mapped_column(Integer)
    charges_cents: Mapped[int] = mapped_column(Integer)
    expenses_cents: Mapped[int] = mapped_column(Integer)
    billed_share_pct: Mapped[int] = mapped_column(Integer, default=100)  # of the cost
    below_cost_justification: Mapped[str] = mapped_column(Text, default="")
    billing_method: Mapped[str] = mapped_column(Text, default="")
    payment_terms_days: Mapped[int] = mapped_column(Integer, default=30)
    # Firm facts the regimes depend on, declared by the parties.
    lender_headcount: Mapped[int | None] = mapped_column(Integer)
    lender_group_headcount: Mapped[int | None] = mapped_column(Integer)
    host_headcount: Mapped[int | None] = mapped_column(Integer)
    host_created_on: Mapped[date | None] = mapped_column(Date)
    same_group: Mapped[bool] = mapped_column(Boolean, default=False)
    # Who declared each firm's facts, and when (UTC): the lender's headcounts and group
    # relation, the host's creation date and headcount. The L8241-3 convention prints them.
    lender_facts_declared_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    lender_facts_declared_by: Mapped[str] = mapped_column(String(120), default="")
    lender_facts_declared_at: Mapped[datetime | None] = mapped_column(DateTime)
    host_facts_declared_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    host_facts_declared_by: Mapped[str] = mapped_column(String(120), default="")
    host_facts_declared_at: Mapped[datetime | None] = mapped_column(DateTime)
    lender_in_activite_partielle: Mapped[bool] = mapped_column(Boolean, default=False)
    signing_date: Mapped[date | None] = mapped_column(Date)  # set when signing starts

    proposal: Mapped["Proposal"] = relationship()  # noqa: F821
    employee: Mapped["Employee"] = relationship()  # noqa: F821
    lender_firm: Mapped["Firm"] = relationship(foreign_keys=[lender_firm_id])  # noqa: F821
    host_firm: Mapped["Firm"] = relationship(foreign_keys=[host_firm_id])  # noqa: F821
    documents: Mapped[list["AgreementDocument"]] = relationship(
        back_populates="agreement",
        cascade="all, delete-orphan",
        order_by="(AgreementDocument.kind, AgreementDocument.version)",
    )

    @property
    def monthly_cost_cents(self) -> int:
        return self.salary_cents + self.charges_cents + self.expenses_cents

    @property
    def employee_full_name(self) -> str:
        return f"{self.employee_first_name} {self.employee_last_name}"

    @property
    def regime_label(self):
        return BILLING_REGIME_LABELS[self.billing_regime]

    def current(self, kind: DocumentKind) -> "AgreementDocument | None":
        """The frozen document of `kind` for the current version, unless voided."""
        for document in self.documents:
            if (document.kind, document.version) == (kind, self.version) and (
                document.voided_at is None
            ):
                return document
        return None

    def signed_documents(self) -> list["AgreementDocument"]:
        """Every fully signed document, all versions (extensions keep the earlier ones)."""
        return [d for d in self.documents if d.completed_at is not None]


class AgreementDocument(db.Model):
    """A frozen document: its rendered HTML and PDF and the PDF's SHA-256, fixed when
    signing starts. Once every signer has signed, `signed_pdf` is the PDF with its evidence
    page appended, and `signed_sha256` its hash (what the verification page compares)."""

    __tablename__ = "agreement_document"
    __table_args__ = (UniqueConstraint("agreement_id", "kind", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("agreement.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[DocumentKind] = mapped_column(Enum(DocumentKind, native_enum=False, length=16))
    version: Mapped[int] = mapped_column(Integer)
    html: Mapped[str] = mapped_column(Text)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    frozen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    voided_at: Mapped[datetime | None] = mapped_column(DateTime)
    signed_pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    signed_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime)

    agreement: Mapped[Agreement] = relationship(back_populates="documents")
    signatures: Mapped[list["Signature"]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="Signature.signed_at"
    )

    @property
    def signers(self) -> tuple[Signer, ...]:
        return SIGNERS[self.kind]

    def signature_of(self, signer: Signer) -> "Signature | None":
        return next((s for s in self.signatures if s.signer == signer), None)


class Signature(db.Model):
    """The evidence record of one signature: who, when (UTC), from where, on which bytes."""

    __tablename__ = "signature"
    __table_args__ = (UniqueConstraint("document_id", "signer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("agreement_document.id", ondelete="CASCADE"), index=True
    )
    signer: Mapped[Signer] = mapped_column(Enum(Signer, native_enum=False, length=16))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    signer_name: Mapped[str] = mapped_column(String(120))
    signed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(255))
    document_sha256: Mapped[str] = mapped_column(String(64))
    document_version: Mapped[int] = mapped_column(Integer)

    document: Mapped[AgreementDocument] = relationship(back_populates="signatures")
