#!/usr/bin/env bash
# Extract the translatable (French) messages of lending/**.py and templates/ and merge them
# into the English catalogue. Run it from the repository root after adding or changing a
# translatable string:
#
#     scripts/update_translations.sh
#
# then, in lending/translations/en/LC_MESSAGES/messages.po, translate every entry it lists:
#   - "new": empty msgstr, write the English text;
#   - "fuzzy": Babel guessed the translation from a similar message; such guesses are often
#     wrong, so check it, fix it, and delete the "#, fuzzy" line.
# Keep every placeholder (%(name)s, %(n)d) as it is. tests/test_translations.py fails while
# a message is missing, empty or fuzzy. The .mo file is not committed: `make translations`
# compiles it.
set -euo pipefail

cd "$(dirname "$0")/.."

PYBABEL=.venv/bin/pybabel
PYTHON=.venv/bin/python
DIR=lending/translations
POT="$DIR/messages.pot"
PO="$DIR/en/LC_MESSAGES/messages.po"

mkdir -p "$DIR"

"$PYBABEL" -q extract -F babel.cfg -k _l -k lazy_gettext \
    --add-comments=TRANSLATORS: --sort-by-file --no-wrap \
    --project=lending --copyright-holder="lending contributors" \
    -o "$POT" .

if [ -f "$PO" ]; then
    # Keeps the existing translations; messages no longer used are kept as obsolete "#~"
    # entries, and restored below if they come back.
    "$PYBABEL" -q update -d "$DIR" -i "$POT" -l en --no-wrap
else
    "$PYBABEL" -q init -d "$DIR" -i "$POT" -l en --no-wrap
fi

"$PYTHON" - "$PO" <<'PY'
"""Restore obsolete translations of messages that are back, then list what needs work."""

import sys

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po
from jinja2 import Environment, TemplateSyntaxError

po_path = sys.argv[1]
with open(po_path, "rb") as f:
    catalog = read_po(f, locale="en")


def key(message):
    return (message.id, message.context)


obsolete = {key(m): m for m in catalog.obsolete.values()}
restored = []
for message in catalog:
    old = obsolete.get(key(message)) if message.id else None
    if old is not None and old.string and (message.fuzzy or not message.string):
        # The exact same message was translated before: no need for a fuzzy guess.
        message.string = old.string
        message.flags.discard("fuzzy")
        message.previous_id = []
        restored.append(message.id)
for msgid, old in list(catalog.obsolete.items()):
    if catalog.get(old.id, old.context) is not None:
        del catalog.obsolete[msgid]
with open(po_path, "wb") as f:
    write_po(f, catalog, width=None)
for msgid in restored:
    print(f"restored from an obsolete entry: {msgid!r}")

# Babel's Jinja extractor silently skips the templates it cannot parse.
with open("babel.cfg") as f:
    method_map, options_map = parse_mapping_cfg(f, filename="babel.cfg")
unreadable = []


def check_template(filename, method, options):
    if "jinja" not in method:
        return
    names = [e.strip() for e in options.get("extensions", "").split(",") if e.strip()]
    env = Environment(extensions=["jinja2.ext.i18n", *names])
    try:
        with open(filename, encoding=options.get("encoding", "utf-8")) as source:
            env.parse(source.read())
    except TemplateSyntaxError as exc:
        unreadable.append(f"  {filename}:{exc.lineno}: {exc.message}")


for _ in extract_from_dir(".", method_map, options_map, callback=check_template):
    pass
if unreadable:
    print("WARNING: Babel could not parse these templates, their messages are NOT extracted")
    print("(for a tag from a Jinja extension, e.g. `do`, add `extensions = jinja2.ext.do`")
    print("to the templates' sections of babel.cfg):")
    print("\n".join(unreadable))

todo = [
    m
    for m in catalog
    if m.id
    and (m.fuzzy or not all(m.string if isinstance(m.string, (tuple, list)) else [m.string]))
]
if todo:
    print(f"{len(todo)} message(s) to translate or review in {po_path}:")
    for m in todo:
        msgid = m.id[0] if isinstance(m.id, (tuple, list)) else m.id
        print(f"  {'fuzzy' if m.fuzzy else 'new  '}  {msgid!r}")
else:
    print(f"{po_path}: all {sum(1 for m in catalog if m.id)} messages are translated.")
if catalog.obsolete:
    print(f"({len(catalog.obsolete)} obsolete \"#~\" entries kept at the end of the file;")
    print(" delete them once they are no longer needed.)")
PY
