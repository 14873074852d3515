from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from lending.models import EARLY_END_LABELS
from lending.web import choices
from lending.web.auth.forms import REQUIRED
from lending.web.employees.forms import DATE
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
