"""French wording helpers (lending/french.py): elision, "1er", "à" before a commune, the
no-break spaces of French punctuation. Pure functions, no app."""

from datetime import date

import pytest

from lending import french
from lending.documents.formatting import typography

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Émile", "d'Émile"),
        ("Aéro Garonne", "d'Aéro Garonne"),
        ("Atelier", "d'Atelier"),
        ("Usinage de la Garonne", "d'Usinage de la Garonne"),
        ("Île-de-France Métal", "d'Île-de-France Métal"),
        ("Œuvres sociales", "d'Œuvres sociales"),
        ("EDF", "d'EDF"),  # read letter by letter
        ("Yves Martin", "d'Yves Martin"),  # y before a consonant sounds like i
        ("Yann Le Goff", "de Yann Le Goff"),
        ("Hélène Dubois", "d'Hélène Dubois"),  # mute h, listed
        ("Hôtel-Dieu", "d'Hôtel-Dieu"),
        ("Hauts-de-France Industrie", "de Hauts-de-France Industrie"),  # aspirated h
        ("Hachette", "de Hachette"),  # an h not listed keeps "de"
        ("Pruneaux d'Agen", "de Pruneaux d'Agen"),
        ("3M France", "de 3M France"),
        ("« Atelier »", "de « Atelier »"),
        ("", "de "),
    ],
)
def test_de_elides_before_a_vowel_sound(name, expected):
    assert french.de(name) == expected


def test_other_words_elide_and_keep_their_case():
    assert french.elide("que", "Émile") == "qu'Émile"
    assert french.elide("Le", "Atelier") == "L'Atelier"
    assert french.elide("jusque", "Agen") == "jusqu'Agen"
    assert french.elide("du", "Atelier") == "du Atelier"  # never elides


def test_placeholders_of_a_message_are_elided_by_their_value():
    message = "Candidature de %(f)s acceptée ; De %(l)s vers %(h)s, du %(d)s, de %(n)d"
    values = {"f": "Atelier", "l": "Émile", "h": "Ici", "d": "1er mars", "n": 8}
    assert french.elide_placeholders(message, values) % values == (
        "Candidature d'Atelier acceptée ; D'Émile vers Ici, du 1er mars, de 8"
    )
    assert french.elide_placeholders("de %(f)s", {"f": "Pruneaux"}) == "de %(f)s"
    assert french.elide_placeholders("de %(f)s", {}) == "de %(f)s"


@pytest.mark.parametrize(
    ("day", "width", "text"),
    [
        (date(2027, 3, 1), "long", "1er mars 2027"),
        (date(2027, 3, 1), "full", "lundi 1er mars 2027"),
        (date(2027, 3, 11), "long", "11 mars 2027"),
        (date(2027, 3, 21), "long", "21 mars 2027"),
        (date(2001, 1, 1), "long", "1er janvier 2001"),
    ],
)
def test_the_first_day_of_a_month_is_1er(day, width, text):
    assert french.date_long(day, "fr", width) == text


def test_1er_only_in_french():
    assert french.date_long(date(2027, 3, 1), "en") == "March 1, 2027"
    assert french.first_day("1 mars 2027 14:01") == "1er mars 2027 14:01"
    assert french.first_day("11 mars 2027 01:01") == "11 mars 2027 01:01"


@pytest.mark.parametrize(
    ("commune", "text"),
    [
        ("Agen", "à Agen"),
        ("Le Passage", "au Passage"),
        ("Les Mureaux", "aux Mureaux"),
        ("La Rochelle", "à La Rochelle"),
        ("L'Isle-Jourdain", "à L'Isle-Jourdain"),
    ],
)
def test_a_place_joins_the_article(commune, text):
    assert french.a_place(commune) == text


def test_punctuation_gets_its_no_break_spaces():
    assert french.punctuation_spaces("Objet : tri ; oui ? non ! « a » «b»") == (
        f"Objet{NBSP}: tri{NNBSP}; oui{NNBSP}? non{NNBSP}! «{NBSP}a{NBSP}» «{NBSP}b{NBSP}»"
    )
    untouched = "08:15, https://exemple.fr, 2001:db8::42, &#39;x&#39;;"
    assert french.punctuation_spaces(untouched) == untouched
    once = french.punctuation_spaces("a : b « c »")
    assert french.punctuation_spaces(once) == once


def test_typography_leaves_markup_and_style_sheets_alone():
    html = (
        '<style>p { content: "a :" ; }</style>'
        '<p title="x : y">Objet : <span class="a">tri</span> ?</p>'
    )
    assert str(typography(html)) == (
        '<style>p { content: "a :" ; }</style>'
        f'<p title="x : y">Objet{NBSP}: <span class="a">tri</span>{NNBSP}?</p>'
    )
