"""The folded form of text that searches compare, the same on SQLite and PostgreSQL.

SQLite's lower() only knows ASCII and neither database equates "é" with "e" or a decomposed
"e" + U+0301 with "é", so searchable rows store `fold(text)` and queries fold what was typed.
"""

import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})


def fold(text: str | None) -> str:
    """Case folded, accents stripped, spaces collapsed: " Élodie  MANŒUVRE" → "elodie manoeuvre".

    Punctuation is kept, so that what a user types is looked for as typed.
    """
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(_LIGATURES))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return " ".join(plain.split())


def like_pattern(word: str) -> str:
    """A LIKE pattern matching `word` anywhere, "%" and "_" taken literally (ESCAPE '\\')."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
