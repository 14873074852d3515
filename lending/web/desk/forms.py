from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from lending.services.desk.messages import BODY_MAX, BODY_MIN, SUBJECT_MAX
from lending.web.forms import BaseForm


class MessageForm(BaseForm):
    subject = StringField(
        _l("Objet"),
        validators=[
            DataRequired(_l("Indiquez l'objet du message.")),
            Length(max=SUBJECT_MAX, message=_l("L'objet tient en %(max)d caractères au plus.")),
        ],
        render_kw={"maxlength": SUBJECT_MAX},
    )
    body = TextAreaField(
        _l("Message"),
        validators=[
            DataRequired(_l("Écrivez votre message.")),
            Length(
                min=BODY_MIN,
                max=BODY_MAX,
                message=_l("Le message compte de %(min)d à %(max)d caractères."),
            ),
        ],
        render_kw={"maxlength": BODY_MAX, "rows": 8},
    )
    employee = BooleanField(_l("Écrire aussi au salarié"))
