"""What every picture shares: the accessible frame, hatching for hidden figures, text.

Pictures are inline SVG built as strings from escaped parts. Colours are presentation
attributes (fill=, stroke=), never style= attributes, so the site's CSP (style-src 'self')
lets them through; static/css/pictures.css only adds sizing, hover and print rules.
"""

from hashlib import blake2s

from flask_babel import format_decimal
from flask_babel import gettext as _
from markupsafe import Markup, escape

INK = "#1b1f24"  # body text: 16:1 on white
MUTED = "#4a5360"  # secondary text: 7.6:1 on white
GRID = "#d5d9df"
HATCH = "#5b6472"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
CHAR_WIDTH = 0.58  # average glyph width, in font sizes, to fit labels


def num(x: float) -> str:
    """A coordinate, short: 12.5, 3, -0.2."""
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def attrs(**values) -> Markup:
    """' key="value"' pairs, escaped; underscores become dashes; None values are dropped."""
    # escape() rather than Markup.format: the same text, many times faster (a flow chart
    # has thousands of shapes).
    return Markup(
        "".join(
            f' {escape(key.rstrip("_").replace("_", "-"))}="{escape(value)}"'
            for key, value in values.items()
            if value is not None
        )
    )


def el(tag: str, content: str = "", **values) -> Markup:
    """An element; `content` is escaped unless it is already Markup."""
    return Markup(f"<{tag}{attrs(**values)}>{escape(content)}</{tag}>")


def tooltip(*parts: str) -> Markup:
    """A <title> child: what a pointer shows over a shape ("31 — Haute-Garonne : < 5")."""
    return el("title", "\u00a0: ".join(str(p) for p in parts if p))


def picture_id(*parts: object) -> str:
    """A stable id prefix, distinct for each table and choice, so several pictures can share
    a page without their <title>, <desc> and pattern ids clashing."""
    return "pic-" + blake2s(repr(parts).encode("utf-8"), digest_size=4).hexdigest()


def hatch_fill(pid: str) -> str:
    return f"url(#{pid}-hatch)"


def number(value: float) -> str:
    """A class boundary or an axis tick in the reader's language (1 000, 2,5)."""
    return format_decimal(value)


def fits(text: str, width: float, size: float) -> str:
    """`text` cut with an ellipsis to about `width` (the whole text stays in a tooltip)."""
    room = int(width / (size * CHAR_WIDTH))
    return text if len(text) <= room else text[: max(room - 1, 1)].rstrip() + "…"


def hatch_pattern(pattern_id: str, scale: float = 1.0) -> Markup:
    """Grey diagonal hatching on white: the mark of a figure that is not published."""
    return Markup(
        '<pattern id="{0}" width="6" height="6" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45) scale({2})"><rect width="6" height="6" fill="#ffffff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="{1}" stroke-width="2"/></pattern>'
    ).format(pattern_id, HATCH, f"{scale:.3g}")


def frame(
    pid: str, kind: str, width: float, height: float, caption: str, description: str, body
) -> Markup:
    """The <svg> root: sized by its viewBox, announced as one image by its title and desc."""
    hatch = hatch_pattern(f"{pid}-hatch")
    return Markup(
        '<svg xmlns="http://www.w3.org/2000/svg" class="picture picture--{kind}"'
        ' viewBox="0 0 {w} {h}" role="img" aria-labelledby="{pid}-title"'
        ' aria-describedby="{pid}-desc" font-family="{font}" font-size="12" fill="{ink}">'
        '<title id="{pid}-title">{caption}</title><desc id="{pid}-desc">{description}</desc>'
        "<defs>{hatch}</defs>{body}</svg>"
    ).format(
        kind=kind,
        w=num(width),
        h=num(height),
        pid=pid,
        font=FONT,
        ink=INK,
        caption=caption,
        description=description,
        hatch=hatch,
        body=Markup("").join(body),
    )


def empty(pid: str, kind: str, caption: str) -> Markup:
    """The picture of nothing: says so in words instead of drawing empty axes."""
    message = _("Aucune donnée")
    description = _("Aucune donnée à représenter pour cette sélection.")
    body = [
        el("rect", x="1", y="1", width="598", height="118", rx="6", fill="#f3f5f8", stroke=GRID),
        el("text", message, x="300", y="66", text_anchor="middle", font_size="16", fill=MUTED),
    ]
    return frame(pid, kind, 600, 120, caption, description, body)
