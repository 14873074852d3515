from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from lending.models.agreement import BILLING_REGIME_LABELS
from lending.web import choices
from lending.web.auth.forms import REQUIRED
from lending.web.employees.forms import DATE, money, text
from lending.web.fields import FrenchDecimalField
from lending.web.forms import BaseForm

YES_NO = choices([("", _l("— à préciser —")), ("oui", _l("Oui")), ("non", _l("Non"))])


def area(label, max_length, required=False, rows=3, **kw):
    validators = [DataRequired(REQUIRED)] if required else [Optional()]
    return TextAreaField(
        label,
        validators=[*validators, Length(max=max_length)],
        render_kw={"maxlength": max_length, "rows": rows},
        **kw,
    )


def number(label, low, high, required=True, **kw):
    return IntegerField(
        label,
        validators=[
            InputRequired(REQUIRED) if required else Optional(),
            NumberRange(low, high, _l("Saisissez un nombre entre %(min)s et %(max)s.")),
        ],
        render_kw={"min": low, "max": high, "inputmode": "numeric"},
        **kw,
    )


def optional_date(label, **kw):
    return DateField(label, validators=[Optional()], **kw)


def yes_no(label, **kw):
    return SelectField(label, choices=YES_NO, validators=[Optional()], **kw)


SIGNATORY_HELP = _l(
    "Un compte RH de votre entreprise. Les documents portent son nom et sa fonction tels "
    "qu'ils figurent dans son compte (page « Mon compte »), et lui seul peut les signer pour "
    "l'entreprise."
)


def signatory(label):
    """The firm's signatory: one of its HR accounts (choices set by the view)."""
    return SelectField(
        label,
        coerce=int,
        choices=[],
        validators=[InputRequired(REQUIRED)],
        description=SIGNATORY_HELP,
    )


def signatory_choices(accounts) -> list[tuple[int, str]]:
    """Each account as "name — function", saying when the function is still missing."""
    missing = _l("fonction à indiquer dans son compte")
    return [(a.id, f"{a.full_name} — {a.job_title or missing}") for a in accounts]


class LenderForm(BaseForm):
    lender_signatory_id = signatory(_l("Signataire pour l'entreprise prêteuse"))
    employee_classification = text(
        _l("Qualification du salarié (classification, coefficient de la convention collective)"),
        200,
    )
    contract_reference = text(
        _l("Contrat de travail d'origine (nature et date)"),
        300,
        description=_l("Par exemple « CDI du 3 septembre 2018 »."),
    )
    representative_mandate = BooleanField(_l("Le salarié exerce un mandat de représentant"))
    start_date = DateField(_l("Début du prêt"), validators=[InputRequired(DATE)])
    end_date = DateField(_l("Fin du prêt"), validators=[InputRequired(DATE)])
    essential_change = BooleanField(
        _l("Le prêt modifie un élément essentiel du contrat (une période probatoire s'impose)")
    )
    probation_days = number(_l("Durée de la période probatoire (jours)"), 1, 90, required=False)
    probation_terms = area(_l("Modalités de la période probatoire"), 1000)
    notice_days = number(_l("Préavis en cas de fin anticipée (jours)"), 0, 90)
    lender_no_cse = BooleanField(_l("Pas de CSE dans l'entreprise prêteuse (moins de 11 salariés)"))
    lender_cse_date = optional_date(_l("Date de consultation du CSE de l'entreprise prêteuse"))
    lender_cse_opinion = SelectField(
        _l("Avis du CSE"),
        choices=choices(
            [
                ("", _l("— à préciser —")),
                ("favorable", _l("Favorable")),
                ("défavorable", _l("Défavorable")),
            ]
        ),
        validators=[Optional()],
    )
    billing_regime = SelectField(
        _l("Régime de refacturation"),
        choices=choices((r.value, label) for r, label in BILLING_REGIME_LABELS.items()),
        validators=[DataRequired(REQUIRED)],
    )
    salary = money(_l("Salaire brut mensuel (€)"))
    charges = money(_l("Charges sociales patronales mensuelles (€)"))
    expenses = money(_l("Frais professionnels mensuels remboursés (€)"))
    billed_share_pct = number(_l("Part du coût refacturée (%)"), 0, 100)
    below_cost_justification = area(
        _l("Justification d'une refacturation inférieure au coût"), 2000
    )
    purpose = area(_l("Objet du prêt (obligatoire pour le régime L8241-3)"), 2000)
    billing_method = area(_l("Méthode de refacturation"), 2000, required=True, rows=4)
    payment_terms_days = number(_l("Délai de paiement des factures (jours)"), 0, 90)
    lender_headcount = number(
        _l("Effectif de l'entreprise prêteuse"), 0, 10_000_000, required=False
    )
    lender_group_headcount = number(_l("Effectif de son groupe"), 0, 10_000_000, required=False)
    same_group = BooleanField(_l("Les deux entreprises appartiennent au même groupe"))
    lender_in_activite_partielle = BooleanField(
        _l("L'entreprise prêteuse a recours à l'activité partielle")
    )
    lender_weekly_hours = FrenchDecimalField(
        _l("Heures que le salarié continue de faire chaque semaine pour l'entreprise prêteuse"),
        places=1,
        validators=[
            Optional(),
            NumberRange(0, 48, _l("Saisissez un nombre entre %(min)s et %(max)s.")),
        ],
        description=_l(
            "0 ou vide si le prêt est à temps plein. Les durées maximales de travail "
            "(48 heures par semaine, 44 heures en moyenne sur 12 semaines) s'appliquent au "
            "total des heures faites dans les deux entreprises."
        ),
        render_kw={"inputmode": "decimal"},
    )


class HostForm(BaseForm):
    host_signatory_id = signatory(_l("Signataire pour l'entreprise d'accueil"))
    missions = area(_l("Missions confiées"), 5000, required=True, rows=4)
    work_address = text(_l("Lieu de travail (adresse)"), 300)
    weekly_hours = FrenchDecimalField(
        _l("Durée hebdomadaire de travail (heures)"),
        places=1,
        validators=[
            InputRequired(REQUIRED),
            NumberRange(1, 48, _l("Saisissez un nombre entre %(min)s et %(max)s.")),
        ],
        render_kw={"inputmode": "decimal"},
    )
    working_hours = area(
        _l("Horaires de travail"),
        600,
        description=_l(
            "Par exemple « du lundi au vendredi, de 8 h à 12 h et de 13 h à 16 h ». Écrits "
            "ainsi, les horaires sont vérifiés : 10 heures de travail par jour au plus, "
            "11 heures de repos entre deux journées."
        ),
    )
    host_average_46h = BooleanField(
        _l(
            "Un accord collectif (d'entreprise ou, à défaut, de branche) ou une autorisation "
            "administrative permet une durée hebdomadaire moyenne de 46 heures sur 12 semaines "
            "(articles L3121-23 et L3121-24 du Code du travail)"
        )
    )
    risky_post = yes_no(_l("Le poste présente-t-il des risques particuliers ?"))
    l4154_list_post = yes_no(
        _l("Le poste figure-t-il sur la liste des postes à risques particuliers (L4154-2) ?")
    )
    medical_surveillance = yes_no(_l("Le poste exige-t-il un suivi médical renforcé ?"))
    ppe = area(_l("Équipements de protection fournis par l'entreprise d'accueil"), 2000)
    physical_constraints = area(
        _l("Caractéristiques particulières du poste (risques, contraintes physiques)"), 2000
    )
    host_no_cse = BooleanField(_l("Pas de CSE dans l'entreprise d'accueil (moins de 11 salariés)"))
    host_cse_date = optional_date(_l("Date d'information et de consultation du CSE d'accueil"))
    host_headcount = number(_l("Effectif de l'entreprise d'accueil"), 0, 10_000_000, required=False)
    host_created_on = optional_date(_l("Date de création de l'entreprise d'accueil"))


class SignForm(BaseForm):
    document_sha256 = HiddenField()  # the version the signer was shown
    password = PasswordField(
        _l("Votre mot de passe, pour confirmer votre identité"),
        validators=[DataRequired(REQUIRED), Length(max=128)],
        render_kw={"autocomplete": "current-password", "maxlength": 128},
    )


class VerifyForm(BaseForm):
    pdf = FileField(
        _l("Document PDF à vérifier"),
        validators=[
            FileRequired(_l("Choisissez un fichier PDF.")),
            FileAllowed(["pdf"], _l("Choisissez un fichier PDF.")),
        ],
    )
