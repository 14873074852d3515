"""Form pieces shared by the supply and demand forms: skills with levels, places, money."""

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DecimalField, Field, SelectField, StringField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from lending import money
from lending.models.skills import SKILL_LEVELS
from lending.web.auth.forms import REQUIRED
from lending.web.forms import SubForm


class FrenchDecimalField(DecimalField):
    """Accepts what French users type: "1 200,50", "1200.50 €", "35,5"."""

    def process_formdata(self, valuelist):
        if valuelist:
            cleaned = valuelist[0].replace("\u202f", "").replace("\xa0", "").replace(" ", "")
            valuelist = [cleaned.replace("€", "").replace(",", ".")]
        super().process_formdata(valuelist)
        if self.data is not None and not self.data.is_finite():
            self.data = None
            raise ValueError(self.gettext("Not a valid decimal value."))


class MoneyField(Field):
    """An amount typed in euros the French way ("1 200,50", "1200.50 €"); `data` is int
    cents (money.parse_euros then money.to_cents: never a float), None when empty or not a
    number. `typed` keeps the exact amount typed, before rounding to the cent."""

    widget = widgets.NumberInput(step="any")  # as DecimalField's
    typed: Decimal | None = None

    def process_data(self, value):
        self.typed = None
        super().process_data(value)

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            self.typed = money.parse_euros(valuelist[0])
        except ValueError:
            self.data = None
            raise ValueError(self.gettext("Not a valid decimal value.")) from None
        try:
            self.data = money.to_cents(self.typed)
        except OverflowError:
            self.data = None  # "1e999999999": EurosRange refuses the typed amount

    @property
    def amount(self) -> Decimal | None:
        """Euros as typed, else as `data` holds them."""
        if self.typed is not None:
            return self.typed
        return None if self.data is None else money.to_euros(self.data)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else money.input_value(self.data)


class EurosRange:
    """NumberRange for a MoneyField, in whole euros, checked on the amount as typed: "-0,004"
    is refused although it rounds to 0 cents. Sets min and max on the input as NumberRange
    does."""

    def __init__(self, minimum: int, maximum: int, message):
        self.minimum, self.maximum, self.message = minimum, maximum, message
        self.field_flags = {"min": minimum, "max": maximum}

    def __call__(self, form, field):
        amount = field.amount
        if amount is None or not self.minimum <= amount <= self.maximum:
            raise ValidationError(self.message % {"min": self.minimum, "max": self.maximum})


LEVELS = [
    SelectChoice(str(level), _l("%(n)d – %(label)s", n=level, label=label))
    for level, label in SKILL_LEVELS.items()
]


class SkillRow(SubForm):
    """One skill and its level; a row left empty is ignored."""

    skill = SelectField(_l("Compétence"), default="", render_kw={"data-skill-picker": ""})
    level = SelectField(_l("Niveau"), choices=LEVELS, default="2")


class RequiredSkillRow(SkillRow):
    level = SelectField(_l("Niveau minimal"), choices=LEVELS, default="2")
    mandatory = BooleanField(_l("Indispensable"), default=True)


class ServedByPostalCode:
    """The chosen commune must be served by the postal code typed beside it (the rule of
    services/firms.commune_for)."""

    def __call__(self, form, field):
        from lending.services.errors import ServiceError
        from lending.services.firms import commune_for

        try:
            commune_for(form.postal_code.data or "", field.data or "")
        except ServiceError as exc:
            raise ValidationError(exc.message) from None


def place_fields():
    postal_code = StringField(
        _l("Code postal"),
        validators=[DataRequired(REQUIRED), Length(max=10)],
        render_kw={"inputmode": "numeric", "maxlength": 10, "autocomplete": "postal-code"},
    )
    commune_insee = SelectField(
        _l("Commune"),
        validators=[DataRequired(_l("Choisissez la commune.")), ServedByPostalCode()],
        validate_choice=False,
        description=_l("La liste se remplit d'après le code postal."),
    )
    return postal_code, commune_insee


def skill_choices(chosen_ids=()) -> list[SelectChoice]:
    """The starter taxonomy grouped by family, plus the skills already chosen (an imported
    ROME skill found through the search box, say), with an empty first choice."""
    from lending.models.skills import SOURCE_STARTER
    from lending.services.skills import all_skills_by_family, get_skill

    choices = [SelectChoice("", _l("— Aucune —"))]
    listed = set()
    for family, skills in all_skills_by_family(source=SOURCE_STARTER):
        choices += [SelectChoice(str(s.id), s.label, optgroup=family.label) for s in skills]
        listed.update(s.id for s in skills)
    for skill_id in chosen_ids:
        skill = None if skill_id in listed else get_skill(skill_id)
        if skill is not None:
            choices.append(SelectChoice(str(skill.id), skill.label, optgroup=skill.family.label))
    return choices


def prepare_skill_rows(field) -> None:
    """Give every row the skill choices (the same list, built once)."""
    chosen = [skill_id for skill_id, _level, _mandatory in read_skill_rows(field)]
    choices = skill_choices(chosen)
    for row in field:
        row.form.skill.choices = choices


def _row_number(text) -> int:
    """A row id or level as sent by the browser; 0 for anything else (then refused by the
    service with a message, never a database error)."""
    text = (text or "").strip()
    if text.isascii() and text.isdigit() and len(text) <= 10:
        value = int(text)
        return value if value <= 2**31 - 1 else 0
    return 0


def read_skill_rows(field) -> list[tuple[int, int, bool]]:
    """(skill id, level, mandatory) of the rows that name a skill."""
    rows = []
    for row in field:
        if (row.form.skill.data or "").strip():
            mandatory = getattr(row.form, "mandatory", None)
            rows.append(
                (
                    _row_number(row.form.skill.data),
                    _row_number(row.form.level.data),
                    True if mandatory is None else bool(mandatory.data),
                )
            )
    return rows


def fill_skill_rows(field, items) -> None:
    """Show existing (skill id, level[, mandatory]) items in the rows, keeping empty rows."""
    while len(field) < len(items) + 2 and len(field) < field.max_entries:
        field.append_entry()
    for row, item in zip(field, items, strict=False):
        row.form.skill.data = str(item[0])
        row.form.level.data = str(item[1])
        if len(item) > 2 and hasattr(row.form, "mandatory"):
            row.form.mandatory.data = item[2]


def fill_place(form, commune) -> None:
    """Show a stored commune in the postal code / commune pair."""
    form.postal_code.data = commune.postal_codes[0].code
    form.commune_insee.data = commune.insee


def prepare_place(form) -> None:
    """Commune choices from the postal code typed (several communes may share one)."""
    from lending.services.reference import communes_for_postal_code

    communes = communes_for_postal_code(form.postal_code.data or "")
    form.commune_insee.choices = [SelectChoice(c.insee, c.name) for c in communes]
    if len(communes) == 1 and not form.commune_insee.data:
        form.commune_insee.data = communes[0].insee
