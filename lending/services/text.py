"""Text as users type it: stored in NFC, on one line where one line is expected, without
invisible or control characters.

A line break in a firm's name ends up in an email header; a bidi control (U+202E) in a name
reverses the text that follows it in a PDF, a printed SIRET included. Forms (through
lending/web/forms.py) and the CSV import refuse both with the messages below.
"""

import unicodedata

from flask_babel import lazy_gettext as _l

# Every character that starts a new line somewhere (str.splitlines() knows them all).
LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
# Zero-width (non-)joiners are format characters that some scripts need to spell a name
# correctly (Persian, the Indic scripts); they reorder nothing.
ALLOWED_FORMAT = frozenset("\u200c\u200d")
MULTILINE_ALLOWED = frozenset("\n\r\t")

ONE_LINE = _l("Ce champ tient sur une seule ligne : retirez les retours à la ligne.")
INVISIBLE = _l("Ce champ contient un caractère invisible ou de contrôle (%(code)s) : retirez-le.")


def nfc(text):
    """`text` in Unicode normal form C ("e" + U+0301 becomes "é"); None stays None."""
    return unicodedata.normalize("NFC", text) if isinstance(text, str) else text


def code_point(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def problem(text: str | None, *, multiline: bool = False) -> str | None:
    """The French message refusing `text`, or None if it may be stored.

    One-line text refuses line breaks and tabs; multi-line text accepts line breaks and tabs.
    Both refuse the other control (Cc) and format (Cf) characters.
    """
    for ch in text or "":
        if multiline and ch in MULTILINE_ALLOWED:
            continue
        if not multiline and ch in LINE_BREAKS:
            return str(ONE_LINE)
        category = unicodedata.category(ch)
        if category == "Cc" or (category == "Cf" and ch not in ALLOWED_FORMAT):
            return str(INVISIBLE % {"code": code_point(ch)})
    return None
