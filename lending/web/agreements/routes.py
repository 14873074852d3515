import re
from decimal import Decimal

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup

from lending.authz import (
    get_agreement_or_404,
    require_cse_note_reader,
    require_document_reader,
    require_party,
    roles_required,
)
from lending.documents import render
from lending.models import AgreementStatus, DocumentKind, Party, Role
from lending.models._time import local_date, utcnow
from lending.services.deals import agreements, presence, signatories, signing, working_time
from lending.web.agreements import bp
from lending.web.agreements.forms import (
    HostForm,
    LenderForm,
    SignForm,
    VerifyForm,
    signatory_choices,
)
from lending.web.edge import attempt, submit

PARTIES = (Role.HR, Role.EMPLOYEE, Role.OPERATOR, Role.ADMIN)
BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S)
MAX_PDF_BYTES = 1_900_000  # under MAX_CONTENT_LENGTH, so the form answers in French
YES_NO = {"oui": True, "non": False, "": None, None: None}
CSE_NOTE_NAMES = {Party.LENDER: "entreprise-preteuse", Party.HOST: "entreprise-accueil"}


def _to_form(value):
    return {True: "oui", False: "non"}.get(value, "")


@bp.get("/<id:agreement_id>")
@roles_required(*PARTIES)
def detail(agreement_id: int):
    agreement = get_agreement_or_404(agreement_id)
    found, today = [], local_date()
    if agreement.status == AgreementStatus.DRAFT:
        found = signing.problems(agreement, today)
    loan = agreements.loan_of(agreement)
    return render_template(
        "agreements/detail.html",
        agreement=agreement,
        problems=found,
        warnings=working_time.warnings(agreement),
        presence=presence.of_agreement(agreement, loan),
        today=today,
        signer_roles=agreements.signer_for(agreement, current_user),
        # why the user may not sign a frozen document yet (the avenant comes first...)
        not_yet={
            kind.value: signing.why_not(agreement, kind, current_user)
            if agreement.current(kind)
            else None
            for kind in DocumentKind
        },
        loan=loan,
    )


@bp.route("/<id:agreement_id>/entreprise-preteuse", methods=["GET", "POST"])
@roles_required(Role.HR)
def lender_part(agreement_id: int):
    agreement = get_agreement_or_404(agreement_id)
    require_party(agreement, Party.LENDER)
    form = LenderForm(obj=agreement)
    _signatories(form.lender_signatory_id, agreement.lender_firm_id)
    if request.method == "GET":
        for name in ("salary", "charges", "expenses"):
            form[name].data = getattr(agreement, f"{name}_cents")
        form.billing_regime.data = agreement.billing_regime.value

    def save():
        fields = {n: form[n].data for n in agreements.LenderPart.__annotations__ if n in form}
        for text_field in (
            "probation_terms",
            "below_cost_justification",
            "purpose",
            "lender_cse_opinion",
        ):
            fields[text_field] = fields[text_field] or ""
        fields["billing_regime"] = agreements.BillingRegime(form.billing_regime.data)
        fields["lender_weekly_hours"] = form.lender_weekly_hours.data or Decimal(0)
        fields["salary_cents"] = form.salary.data or 0
        fields["charges_cents"] = form.charges.data or 0
        fields["expenses_cents"] = form.expenses.data or 0
        _saved(agreements.update(agreement, agreements.LenderPart(**fields), current_user))

    if submit(form, save):
        return redirect(url_for("agreements.detail", agreement_id=agreement.id))
    return render_template("agreements/lender.html", agreement=agreement, form=form)


@bp.route("/<id:agreement_id>/entreprise-accueil", methods=["GET", "POST"])
@roles_required(Role.HR)
def host_part(agreement_id: int):
    agreement = get_agreement_or_404(agreement_id)
    require_party(agreement, Party.HOST)
    form = HostForm(obj=agreement)
    _signatories(form.host_signatory_id, agreement.host_firm_id)
    if request.method == "GET":
        for name in ("risky_post", "l4154_list_post", "medical_surveillance"):
            form[name].data = _to_form(getattr(agreement, name))

    def save():
        fields = {n: form[n].data for n in agreements.HostPart.__annotations__}
        for name in ("risky_post", "l4154_list_post", "medical_surveillance"):
            fields[name] = YES_NO.get(fields[name])
        for name in ("working_hours", "ppe", "physical_constraints"):
            fields[name] = fields[name] or ""
        _saved(agreements.update(agreement, agreements.HostPart(**fields), current_user))

    if submit(form, save):
        return redirect(url_for("agreements.detail", agreement_id=agreement.id))
    return render_template("agreements/host.html", agreement=agreement, form=form)


def _signatories(field, firm_id: int) -> None:
    """The firm's HR accounts to choose from; by default, the one filling in the part."""
    field.choices = signatory_choices(signatories.accounts(firm_id))
    if request.method == "GET" and field.data is None:
        field.data = current_user.id


def _saved(restarted: bool) -> None:
    if restarted:
        flash(
            _(
                "Modifications enregistrées. Les documents figés et leurs signatures sont "
                "annulés : une nouvelle version sera à signer."
            ),
            "info",
        )
    else:
        flash(_("Modifications enregistrées."), "success")


@bp.get("/<id:agreement_id>/<any(convention,avenant):kind>/apercu")
@roles_required(*PARTIES)
def preview(agreement_id: int, kind: str):
    """The document as it reads now (or as frozen), in the browser."""
    agreement = get_agreement_or_404(agreement_id)
    require_document_reader(agreement, kind)
    document = agreement.current(DocumentKind(kind))
    html = (
        document.html
        if document
        else render.render_html(agreement, DocumentKind(kind), agreement.version)
    )
    return render_template(
        "agreements/preview.html",
        agreement=agreement,
        kind=kind,
        body=_body(html),
        frozen=document is not None,
    )


def _body(html: str) -> Markup:
    """The inside of the document's <body>. The document comes from our own autoescaped
    templates (user text already escaped there), so it is safe to embed as it is."""
    match = BODY.search(html)
    return Markup(match.group(1) if match else "")


@bp.route("/verifier", methods=["GET", "POST"])
@roles_required(*PARTIES, Role.MONITOR)
def verify():
    """Is this PDF a document signed on the platform? Compares its SHA-256."""
    form = VerifyForm()
    result = None
    if form.validate_on_submit():
        data = form.pdf.data.read(MAX_PDF_BYTES + 1)
        if len(data) > MAX_PDF_BYTES:
            form.pdf.errors = [_("Le fichier dépasse la taille maximale.")]
        else:
            digest = render.sha256_hex(data)
            result = {"sha256": digest, "document": signing.find_document_by_hash(digest)}
    return render_template("agreements/verify.html", form=form, result=result)


@bp.post("/<id:agreement_id>/figer")
@roles_required(Role.HR)
def freeze(agreement_id: int):
    agreement = get_agreement_or_404(agreement_id)
    require_party(agreement, Party.LENDER, Party.HOST)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if attempt(lambda: signing.start_signing(agreement, current_user, local_date())):
        flash(_("Documents figés : chaque partie peut maintenant les signer."), "success")
    return redirect(url_for("agreements.detail", agreement_id=agreement.id))


@bp.post("/<id:agreement_id>/abandon")
@roles_required(Role.HR, Role.EMPLOYEE)
def abandon(agreement_id: int):
    agreement = get_agreement_or_404(agreement_id)
    require_party(agreement, *Party)  # any of the three
    if not FlaskForm().validate_on_submit():
        abort(403)
    if attempt(lambda: agreements.abandon(agreement, current_user)):
        flash(_("Accord abandonné. Le salarié et le poste sont de nouveau disponibles."), "success")
    return redirect(url_for("agreements.detail", agreement_id=agreement.id))


@bp.route("/<id:agreement_id>/<any(convention,avenant):kind>/signer", methods=["GET", "POST"])
@roles_required(Role.HR, Role.EMPLOYEE)
def sign(agreement_id: int, kind: str):
    agreement = get_agreement_or_404(agreement_id)
    require_document_reader(agreement, kind)
    document = agreement.current(DocumentKind(kind))
    if document is None:
        flash(_("Ce document n'est pas prêt à être signé."), "error")
        return redirect(url_for("agreements.detail", agreement_id=agreement.id))
    form = SignForm()
    if request.method == "GET":
        form.document_sha256.data = document.sha256
    outcome = submit(
        form,
        lambda: signing.sign(
            agreement,
            DocumentKind(kind),
            current_user,
            form.password.data,
            ip=request.remote_addr,
            user_agent=request.user_agent.string,
            now=utcnow(),
            expected_sha256=form.document_sha256.data or "",
        ),
    )
    if outcome:
        flash(_("Document signé."), "success")
    if outcome or (outcome.error and not form.password.errors):
        return redirect(url_for("agreements.detail", agreement_id=agreement.id))
    return render_template(
        "agreements/sign.html", agreement=agreement, document=document, form=form
    )


@bp.get("/<id:agreement_id>/<any(convention,avenant):kind>-v<int:version>.pdf")
@roles_required(*PARTIES)
def download(agreement_id: int, kind: str, version: int):
    agreement = get_agreement_or_404(agreement_id)
    require_document_reader(agreement, kind)
    document = next(
        (d for d in agreement.documents if d.kind == kind and d.version == version), None
    )
    if document is None:
        abort(404)
    data = document.signed_pdf or document.pdf
    suffix = "signe" if document.signed_pdf else "a-signer"
    return Response(
        data,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": (
                f'attachment; filename="{kind}-{agreement.id}-v{version}-{suffix}.pdf"'
            )
        },
    )


@bp.get("/<id:agreement_id>/note-cse.pdf")
@roles_required(Role.HR)
def cse_note(agreement_id: int):
    """The information note for the CSE of the user's own firm in this agreement."""
    agreement = get_agreement_or_404(agreement_id)
    side = require_cse_note_reader(agreement)
    filename = f"note-cse-{agreement.id}-{CSE_NOTE_NAMES[side]}.pdf"
    return Response(
        render.render_cse_note(agreement, side),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
