"""French wording: elision ("de Émile" -> "d'Émile"), "1er" for the first day of a month,
"à" before a place name, and the no-break spaces of French punctuation.

The one place for these rules: documents (lending/documents), pages and e-mails (the Jinja
`_()` of lending/setup.py and `gettext` below for Python messages) all go through it.

Elision happens before a vowel sound: a vowel, accented or not (A, É, Î, Œ...), a "y"
followed by a consonant (Yves, Ysaline; but Yann, Yacine keep "de"), and an "h" only for
the words of MUTE_H. Whether an "h" is mute cannot be told from the spelling ("l'hôtel",
"le hangar"), so every other "h" keeps "de": "de Hauts-de-France", "de Hélios" is the
safe mistake. Digits and signs never elide ("de 3M"); acronyms read letter by letter elide
when their first letter is a vowel ("d'EDF").
"""

import re
import unicodedata
from collections.abc import Mapping
from datetime import date

from babel.dates import format_date
from jinja2 import pass_context
from markupsafe import Markup

NBSP = "\u00a0"  # before ":" and inside « » (espace insécable)
NNBSP = "\u202f"  # before ";", "?" and "!" (espace fine insécable)

# Words whose "h" is mute (elided: "l'hôtel", "d'Hélène"), without accents, lower case.
# First names and the common nouns that begin firm names; keep it short and add by need.
# fmt: off
MUTE_H = frozenset({
    "habitat", "habitation", "habitations", "harmonie", "hebergement", "hector", "helene",
    "helicoptere", "helicopteres", "heloise", "henri", "heritage", "heritages", "herve",
    "heure", "heures", "hilaire", "hippolyte", "histoire", "homme", "hommes", "honore",
    "honorine", "hopital", "hopitaux", "horizon", "horizons", "horlogerie", "hortense",
    "horticulture", "hotel", "hotellerie", "hotels", "hubert", "hugo", "hugues", "huile",
    "huilerie", "huiles", "huitre", "huitres", "humain", "humains", "humanite", "hyacinthe",
    "hydraulique", "hygiene",
})
# fmt: on

VOWELS = frozenset("aeiouœæ")
# Words that elide, and their elided form.
ELIDED = {
    "de": "d'",
    "le": "l'",
    "la": "l'",
    "que": "qu'",
    "jusque": "jusqu'",
    "lorsque": "lorsqu'",
    "puisque": "puisqu'",
}
_FIRST_WORD = re.compile(r"[^\W\d_]+")


def _plain(text: str) -> str:
    """Lower case without accents: "Hôtel" -> "hotel"."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def starts_with_vowel_sound(text: str) -> bool:
    """Whether a French word elides before `text` (see the module's docstring)."""
    match = _FIRST_WORD.match(text or "")
    if match is None:  # a digit, a sign, a space or nothing first
        return False
    word = _plain(match.group())
    first = word[0]
    if first in VOWELS:
        return True
    if first == "y":
        return len(word) > 1 and word[1] not in VOWELS | {"y"}
    if first == "h":
        return word in MUTE_H
    return False


def elide(word: str, following: str) -> str:
    """`word` then `following`, elided when it must be: ("de", "Émile") -> "d'Émile",
    ("de", "Pruneaux") -> "de Pruneaux", ("Que", "Yves") -> "Qu'Yves". `word` keeps its
    case; a word that never elides is simply followed by a space."""
    if starts_with_vowel_sound(following) and (elided := _elided(word)):
        return f"{elided}{following}"
    return f"{word} {following}"


def _elided(word: str) -> str | None:
    """ "de" -> "d'", "Que" -> "Qu'"; None for a word that never elides."""
    elided = ELIDED.get(word.lower())
    if elided and word[:1].isupper():
        elided = elided[0].upper() + elided[1:]
    return elided


def de(name: str) -> str:
    """ "de" before a name: "d'Aéro Garonne", "de Pruneaux d'Agen"."""
    return elide("de", name)


def a_place(name: str) -> str:
    """ "à" before a commune's name, with the article joined: "à Agen", "au Passage"
    (Le Passage), "aux Mureaux" (Les Mureaux), "à La Rochelle", "à L'Isle-Jourdain"."""
    for article, joined in (("Le ", "au "), ("Les ", "aux ")):
        if name.startswith(article):
            return joined + name[len(article) :]
    return f"à {name}"


# "de %(name)s" in a message: the word that may elide before a value.
_PLACEHOLDER = re.compile(
    r"\b(jusque|lorsque|puisque|[Dd]e|[Ll]e|[Ll]a|[Qq]ue) %\((\w+)\)s", re.UNICODE
)


def elide_placeholders(message: str, values: Mapping) -> str:
    """`message` (a %-format string) with "de %(x)s" made "d'%(x)s" where the value of x
    starts with a vowel sound. The value itself is not touched, so escaping it stays the
    caller's business: "Candidature de %(f)s" with f="Atelier" -> "Candidature d'%(f)s"."""

    def fix(match: re.Match) -> str:
        word, name = match.groups()
        value = values.get(name)
        if isinstance(value, str) and starts_with_vowel_sound(value):
            return f"{_elided(word)}%({name})s"
        return match.group()

    return _PLACEHOLDER.sub(fix, message)


_DAY_ONE = re.compile(r"(?<!\d)1(?=\s)")


def first_day(text: str) -> str:
    """A French date in words with its first day as an ordinal: "1 mars 2027" -> "1er mars
    2027", "lundi 1 mars 2027, 09:05" -> "lundi 1er mars 2027, 09:05". In Babel's "long"
    and "full" French dates, a lone "1" before a space can only be the day."""
    return _DAY_ONE.sub("1er", text, count=1)


def date_long(value: date, locale: str = "fr", width: str = "long") -> str:
    """A date in words in `locale`, with "1er" in French: "1er mars 2027"."""
    text = format_date(value, width, locale=locale)
    return first_day(text) if str(locale).lower().startswith("fr") else text


_SPACE_BEFORE_COLON = re.compile(r"[ \t]+:")
_SPACE_BEFORE_TALL = re.compile(r"[ \t]+([;?!])")
_AFTER_OPENING = re.compile(r"«[ \t\u00a0\u202f]*")
_BEFORE_CLOSING = re.compile(r"[ \t\u00a0\u202f]*»")


def punctuation_spaces(text: str) -> str:
    """French no-break spaces: a space before ":" becomes a no-break space, one before
    ";", "?" or "!" a narrow no-break space, and « » hold a no-break space inside. A sign
    with no space before it is left alone ("08:15", "http://", "2001:db8::42")."""
    text = _SPACE_BEFORE_COLON.sub(NBSP + ":", text)
    text = _SPACE_BEFORE_TALL.sub(lambda m: NNBSP + m.group(1), text)
    text = _AFTER_OPENING.sub("«" + NBSP, text)
    return _BEFORE_CLOSING.sub(NBSP + "»", text)


# With Flask-Babel: the reader's language decides whether the French rules apply.


def is_french() -> bool:
    from flask_babel import get_locale

    locale = get_locale()
    return locale is None or locale.language == "fr"


@pass_context
def jinja_gettext(context, message: str, /, **variables):
    """The templates' `_()` and `gettext()`: Jinja's new-style gettext (translate, escape
    the values when autoescaping, format), with "de %(x)s" elided in French."""
    from flask_babel import get_translations

    text = get_translations().ugettext(message)
    if is_french():
        text = elide_placeholders(text, variables)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % variables


def gettext(message: str, /, **variables) -> str:
    """flask_babel.gettext, with "de %(x)s" elided in French (see elide_placeholders)."""
    from flask_babel import get_translations

    text = get_translations().ugettext(message)
    if is_french():
        text = elide_placeholders(text, variables)
    return text % variables if variables else text
