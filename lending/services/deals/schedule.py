"""The working schedule as the host writes it ("du lundi au vendredi, de 8 h à 12 h et de
13 h à 16 h"), read into working intervals per weekday: pure functions, no database.

Only what can be read for sure is read: a text that names shifts or alternatives, leaves
days without hours or hours without days, or has overlapping ranges gives None, and
working_time.py then warns about nothing rather than about a misreading.
"""

import re
import unicodedata

DAY = 24 * 60  # minutes

Interval = tuple[int, int]  # minutes from the day's midnight; the end may pass 24 h
Schedule = dict[int | None, list[Interval]]  # weekday (0 = Monday) or None: each day worked

DAY_NAMES = {
    "lundi": 0, "lun": 0, "mardi": 1, "mar": 1, "mercredi": 2, "mer": 2, "jeudi": 3,
    "jeu": 3, "vendredi": 4, "ven": 4, "samedi": 5, "sam": 5, "dimanche": 6, "dim": 6,
}  # fmt: skip
_DAY = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lun|mar|mer|jeu|ven|sam|dim)"
_TIME = r"(\d{1,2})\s*(?:h(?:eures?)?|:)\s*(?:(\d{2})(?!\s*(?:h|:)))?(?![\d:])"
TOKENS = re.compile(
    rf"(?P<days>\b{_DAY}\b\.?\s*(?:-|au|à|a)\s*\b{_DAY}\b\.?)"
    rf"|(?P<week>\ben semaine\b)"
    rf"|(?P<day>\b{_DAY}\b\.?)"
    rf"|(?P<range>{_TIME}\s*(?:-|à|a)\s*{_TIME})"
)
# Words that make a schedule an alternative, not a sum: shifts, rotations, either/or.
ALTERNATIVES = re.compile(
    r"\bou\b|altern|rotati|roulement|semaines? sur|\b\d\s*[x×]\s*\d|équipe|variable|cycle"
)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower()
    for dash in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212":
        text = text.replace(dash, "-")
    return text


def _minutes(hour: str, minute: str | None) -> int | None:
    h, m = int(hour), int(minute or 0)
    return h * 60 + m if h <= 24 and m < 60 and h * 60 + m <= DAY else None


def _tokens(text: str) -> list[tuple[str, object]] | None:
    """("days", {weekdays}) and ("range", (start, end)) in the order of the text."""
    found: list[tuple[str, object]] = []
    for match in TOKENS.finditer(text):
        if match["days"]:
            first, last = (DAY_NAMES[n] for n in re.findall(_DAY, match["days"])[:2])
            span = range(first, last + 1) if first <= last else [*range(first, 7), *range(last + 1)]
            found.append(("days", set(span)))
        elif match["week"]:
            found.append(("days", set(range(5))))
        elif match["day"]:
            found.append(("days", {DAY_NAMES[match["day"].rstrip(".")]}))
        else:
            start, end = _minutes(match[5], match[6]), _minutes(match[7], match[8])
            if start is None or end is None or start == end:
                return None
            found.append(("range", (start, end if end > start else end + DAY)))
    return found


def _groups(tokens: list[tuple[str, object]]) -> list[tuple[str, list]]:
    """Runs of days merged into one set, runs of ranges into one list."""
    groups: list[tuple[str, list]] = []
    for kind, value in tokens:
        if groups and groups[-1][0] == kind:
            groups[-1][1].append(value)
        else:
            groups.append((kind, [value]))
    return groups


def parse_schedule(text: str) -> Schedule | None:
    """The working intervals of each day named in `text` ("du lundi au vendredi, de 8 h à
    12 h et de 13 h 30 à 17 h"; "lun.-jeu. 8h-12h 13h-17h ; ven. 8h-12h"; "7 h 30 –
    12 h, 13 h 30 – 16 h 30, du lundi au vendredi"), or under None for each working day
    when no day is named ("8 h – 12 h, 13 h – 16 h"). None when it cannot be read for sure:
    no time range, alternatives (shifts, "ou"), days without hours or hours without days,
    overlapping ranges. A range past midnight ("22 h - 6 h") belongs to the day it starts."""
    text = _normalise(text)
    if ALTERNATIVES.search(text):
        return None
    tokens = _tokens(text)
    if not tokens or all(kind == "days" for kind, _ in tokens):
        return None
    groups = _groups(tokens)
    pairs: list[tuple[list | None, list]]
    if len(groups) == 1:
        pairs = [(None, groups[0][1])]
    else:
        if len(groups) % 2:  # days left without hours, or hours without days
            return None
        days_first = groups[0][0] == "days"
        couples = [groups[i : i + 2] for i in range(0, len(groups), 2)]
        pairs = [(a[1], b[1]) if days_first else (b[1], a[1]) for a, b in couples]
    schedule: Schedule = {}
    for day_sets, ranges in pairs:
        days: list[int | None] = [None] if day_sets is None else sorted(set().union(*day_sets))
        for day in days:
            schedule.setdefault(day, []).extend(ranges)
    for intervals in schedule.values():
        intervals.sort()
        if any(a[1] > b[0] for a, b in zip(intervals, intervals[1:], strict=False)):
            return None
    return schedule
