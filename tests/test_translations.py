"""The English catalogue translates every French message of the code and templates.

Messages are extracted the way scripts/update_translations.sh does it (babel.cfg, keywords
`_l` and `lazy_gettext` on top of Babel's defaults) and compared with
lending/translations/en/LC_MESSAGES/messages.po. No database or app needed.
"""

import re
from pathlib import Path

import jinja2
import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
MAPPING = ROOT / "babel.cfg"
PO_FILE = ROOT / "lending" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
# Keep in step with the `-k` options of scripts/update_translations.sh.
KEYWORDS = {**DEFAULT_KEYWORDS, **parse_keywords(["_l", "lazy_gettext"])}
FIX = (
    "Run scripts/update_translations.sh, then translate the new entries (and review the "
    f"fuzzy ones, removing the flag) in {PO_FILE.relative_to(ROOT)}."
)

# A printf-style conversion, named or not: %(name)s, %(n)d, %s, %.2f... ("%%" is literal).
PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]"
)


def _mapping():
    with MAPPING.open() as f:
        return parse_mapping_cfg(f, filename=str(MAPPING))


def _text(value) -> str:
    """The singular form of a msgid or msgstr (plural entries are tuples)."""
    return value[0] if isinstance(value, (tuple, list)) else value


@pytest.fixture(scope="module")
def extraction() -> tuple[dict[str, list[str]], list[tuple[str, str, dict]]]:
    """msgid -> "file:line" locations of every message the code and templates use, and the
    (file, method, options) of every file the extractor read."""
    method_map, options_map = _mapping()
    files: list[tuple[str, str, dict]] = []
    messages: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT),
        method_map,
        options_map,
        keywords=KEYWORDS,
        callback=lambda filename, method, options: files.append((filename, method, options)),
    ):
        messages.setdefault(_text(message), []).append(f"{filename}:{lineno}")
    return messages, files


@pytest.fixture(scope="module")
def extracted(extraction) -> dict[str, list[str]]:
    return extraction[0]


@pytest.fixture(scope="module")
def catalog():
    with PO_FILE.open("rb") as f:
        return read_po(f, locale="en")


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, (tuple, list)) else [message.string]
    return not message.fuzzy and all(s and s.strip() for s in strings)


def test_extraction_finds_messages(extracted):
    # Guards the tests below against a broken babel.cfg that extracts nothing.
    assert len(extracted) > 100
    assert "Se connecter" in extracted


def test_english_catalogue_covers_every_extracted_message(extracted, catalog):
    problems = []
    for msgid, where in sorted(extracted.items()):
        message = catalog.get(msgid)
        if message is None:
            state = "missing"
        elif message.fuzzy:
            state = "fuzzy"
        elif not _translated(message):
            state = "empty"
        else:
            continue
        problems.append(f"  [{state}] {msgid!r}  ({', '.join(where[:3])})")
    if problems:
        pytest.fail(
            f"{len(problems)} French message(s) have no English translation:\n"
            + "\n".join(problems)
            + f"\n{FIX}",
            pytrace=False,
        )


def _placeholders(text: str) -> tuple[set[str], list[str]]:
    """Named placeholders as a set, positional ones in order ("%%" is not a placeholder)."""
    named, positional = set(), []
    for match in PLACEHOLDER.finditer(text):
        if match.group() == "%%":
            continue
        if match.group("name") is not None:
            named.add(match.group())
        else:
            positional.append(match.group())
    return named, positional


def test_translations_keep_placeholders(catalog):
    problems = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, (tuple, list)) else [message.id]
        strings = message.string if isinstance(message.string, (tuple, list)) else [message.string]
        expected = _placeholders(ids[0])
        for string in strings:
            if string and _placeholders(string) != expected:
                problems.append(
                    f"  {_text(message.id)!r}\n    -> {string!r}\n"
                    f"    expected {sorted(expected[0]) + expected[1]}, "
                    f"found {sorted(_placeholders(string)[0]) + _placeholders(string)[1]}"
                )
    if problems:
        pytest.fail(
            "These translations do not keep the placeholders of their French message "
            f"(fix them in {PO_FILE.relative_to(ROOT)}):\n" + "\n".join(problems),
            pytrace=False,
        )


def test_every_template_can_be_read_by_the_extractor(extraction):
    """Babel's Jinja extractor silently skips a template it cannot parse, so its messages
    would never reach the catalogue: parse each template with babel.cfg's own options."""
    problems = []
    for filename, method, options in extraction[1]:
        if "jinja" not in method:
            continue
        extensions = [e.strip() for e in options.get("extensions", "").split(",") if e.strip()]
        env = jinja2.Environment(extensions=["jinja2.ext.i18n", *extensions])
        source = (ROOT / filename).read_text(encoding=options.get("encoding", "utf-8"))
        try:
            env.parse(source)
        except jinja2.TemplateSyntaxError as exc:
            problems.append(f"  {filename}:{exc.lineno}: {exc.message}")
    if problems:
        pytest.fail(
            "Babel cannot parse these templates, so their messages are left out of the catalogue "
            "and never translated. For a tag from a Jinja extension the app enables (such as "
            "`do`), declare it in the templates' sections of babel.cfg, e.g. "
            "`extensions = jinja2.ext.do`, then run scripts/update_translations.sh:\n"
            + "\n".join(problems),
            pytrace=False,
        )
