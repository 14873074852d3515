from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, HiddenField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from lending.models import EARLY_END_LABELS, PaymentStatus
from lending.services.deals.actuals import MAX_NOTE, month_words
from lending.services.deals.payments import MAX_REASON
from lending.web import choices
from lending.web.auth.forms import REQUIRED
from lending.web.employees.forms import DATE
from lending.web.fields import EurosRange, MoneyField
from lending.web.forms import BaseForm


class EndEarlyForm(BaseForm):
    on_date = DateField(_l("Dernier jour du prêt"), validators=[InputRequired(DATE)])
    category = SelectField(
        _l("Cause principale"),
        choices=choices([("", _l("— choisissez —"))] + list(EARLY_END_LABELS.items())),
        validators=[DataRequired(_l("Choisissez la cause principale de la fin anticipée."))],
    )
    reason = TextAreaField(
        _l("Motif de la fin anticipée"),
        validators=[DataRequired(REQUIRED), Length(max=2000)],
        render_kw={"maxlength": 2000, "rows": 2},
    )


class ReturnForm(BaseForm):
    on_date = DateField(_l("Date du retour dans l'entreprise"), validators=[InputRequired(DATE)])
    note = TextAreaField(
        _l("Poste retrouvé (le même ou un poste équivalent)"),
        validators=[Optional(), Length(max=2000)],
        render_kw={"maxlength": 2000, "rows": 2},
    )


class ExtendForm(BaseForm):
    new_end = DateField(_l("Nouvelle date de fin"), validators=[InputRequired(DATE)])


class StatementForm(BaseForm):
    month = SelectField(_l("Mois"), validators=[DataRequired(REQUIRED)])


class FeedbackForm(BaseForm):
    rating = SelectField(
        _l("Votre appréciation du prêt"),
        choices=choices(
            [
                ("5", _l("5 — très satisfaisant")),
                ("4", "4"),
                ("3", "3"),
                ("2", "2"),
                ("1", _l("1 — pas du tout satisfaisant")),
            ]
        ),
        validators=[DataRequired(REQUIRED)],
    )
    would_repeat = BooleanField(_l("Je recommencerais un prêt de ce type"))
    comment = TextAreaField(
        _l("Commentaire (facultatif)"),
        validators=[Optional(), Length(max=1000)],
        render_kw={"maxlength": 1000, "rows": 3},
    )


def _amount(label):
    """An amount of the month, required: int cents in `data`."""
    return MoneyField(
        label,
        validators=[
            InputRequired(REQUIRED),
            EurosRange(0, 100_000, _l("Montant entre 0 et 100 000 €.")),
        ],
        render_kw={"inputmode": "decimal", "step": "0.01", "min": 0},
    )


class ActualForm(BaseForm):
    """What the lender really paid for the days on loan of one month."""

    salary = _amount(_l("Salaire brut versé (€)"))
    charges = _amount(_l("Charges patronales (€)"))
    expenses = _amount(_l("Frais professionnels remboursés (€)"))
    note = TextAreaField(
        _l("Commentaire (facultatif)"),
        description=_l("Heures supplémentaires, prime, absence non rémunérée, arrêt maladie…"),
        validators=[Optional(), Length(max=MAX_NOTE)],
        render_kw={"maxlength": MAX_NOTE, "rows": 2},
    )
    version = HiddenField()  # the version the page showed (see actuals.record)


class ActualsImportForm(BaseForm):
    file = FileField(
        _l("Fichier des montants (CSV ou XLSX)"),
        validators=[FileRequired(_l("Choisissez le fichier à importer."))],
    )


class PaidForm(BaseForm):
    statement = SelectField(_l("Relevé"), validators=[DataRequired(REQUIRED)])
    paid_on = DateField(_l("Payé le"), validators=[InputRequired(DATE)])


class ContestForm(BaseForm):
    statement = SelectField(_l("Relevé"), validators=[DataRequired(REQUIRED)])
    reason = TextAreaField(
        _l("Motif de la contestation"),
        validators=[DataRequired(REQUIRED), Length(max=MAX_REASON)],
        render_kw={"maxlength": MAX_REASON, "rows": 3},
    )


def settle_forms(loan) -> tuple[PaidForm, ContestForm]:
    """The host's forms, each listing the statements it applies to."""
    paid, contest = PaidForm(prefix="paid"), ContestForm(prefix="contest")

    def listed(statuses):
        return choices(
            (str(s.id), f"{s.number} — {month_words(s.month)}")
            for s in loan.statements
            if s.payment_status in statuses
        )

    paid.statement.choices = listed((PaymentStatus.ISSUED, PaymentStatus.CONTESTED))
    contest.statement.choices = listed((PaymentStatus.ISSUED,))
    return paid, contest
