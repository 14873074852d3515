"""A choropleth of the scheme's départements, coloured by one column of a published table."""

import math

from flask_babel import gettext as _
from markupsafe import Markup

from lending.reference.shapes import departement_shapes
from lending.services.dashboard.tables import Figure, Table

from .svg import (
    GRID,
    INK,
    MUTED,
    el,
    empty,
    fits,
    frame,
    hatch_fill,
    hatch_pattern,
    num,
    number,
    picture_id,
)
from .svg import tooltip as tip

# Sequential blues, light to dark: 0, then up to four classes of equal width. The first three
# take dark labels, the last two white ones (all at least 4.5:1).
PALETTE = ("#e3eef9", "#b7d3ec", "#78aed9", "#2e6aa6", "#123f73")
DARK_FILLS = PALETTE[3:]
CONTEXT_FILL, CONTEXT_STROKE = "#f1f2f4", "#b9bfc8"
MAP_W, MAP_H, LEGEND_X, WIDTH = 400, 420, 414, 620
OVERSEAS = ("971", "972", "973", "974", "976")


def _breaks(values: list[float]) -> list[float]:
    """Upper bounds of the classes after 0: equal round steps (1, 2, 2.5, 5 × 10^k), four at
    most; whole numbers when the figures are."""
    top = max(values, default=0)
    if top <= 0:
        return []
    raw = top / 4
    power = 10 ** math.floor(math.log10(raw))
    integers = all(float(v).is_integer() for v in values)
    step = next(
        m * power
        for m in (1, 2, 2.5, 5, 10)
        if m * power >= raw and (not integers or float(m * power).is_integer())
    )
    return [step * i for i in range(1, math.ceil(top / step) + 1)]


def _class(value: float, breaks: list[float]) -> int:
    if value <= 0:
        return 0
    return 1 + next(i for i, upper in enumerate(breaks) if value <= upper)


def _class_labels(breaks: list[float], integers: bool) -> list[str]:
    labels, low = ["0"], 0.0
    for upper in breaks:
        start = low + 1 if integers else low
        labels.append(_("%(low)s à %(high)s", low=number(start), high=number(upper)))
        low = upper
    return labels


def _fit(codes) -> tuple[float, float, float, float]:
    shapes = departement_shapes()
    x0 = min(shapes[c].bbox[0] for c in codes)
    y0 = min(shapes[c].bbox[1] for c in codes)
    x1 = max(shapes[c].bbox[2] for c in codes)
    y1 = max(shapes[c].bbox[3] for c in codes)
    pad = max(x1 - x0, y1 - y0) * 0.06 + 4
    return x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad


def _legend(pid, title, labels, hidden_texts, top) -> list[Markup]:
    body, y = [], top
    words, line = title.split(), ""
    for word in words:  # the column's name, on two lines at most
        if line and len(line) + len(word) > 28:
            body.append(el("text", line, x=LEGEND_X, y=num(y), font_weight="bold"))
            line, y = word, y + 15
        else:
            line = f"{line} {word}".strip()
    body.append(el("text", fits(line, 200, 12), x=LEGEND_X, y=num(y), font_weight="bold"))
    entries = list(zip(PALETTE, labels, strict=False))
    if hidden_texts:
        hidden = _("moins de 5 (non diffusé)") if hidden_texts == {"< 5"} else _("non diffusé")
        entries.append((hatch_fill(pid), hidden))
    for fill, label in entries:
        y += 22
        body.append(
            el("rect", x=LEGEND_X, y=num(y - 12), width="20", height="14", fill=fill, stroke=INK)
        )
        body.append(el("text", label, x=LEGEND_X + 28, y=num(y)))
    return body


def departement_map(table: Table, column: int, caption: str) -> Markup:
    """The scheme's départements (rows' Row.code) coloured by `table`'s column `column`.

    Hidden figures are hatched, their tooltip reads the published text ("< 5"); départements
    around the scheme's are drawn pale for orientation; the viewBox fits the scheme's ones.
    """
    pid = picture_id(table.key, column, caption)
    shapes = departement_shapes()
    rows = [r for r in table.rows if r.code in shapes and column < len(r.figures)]
    if not rows:
        return empty(pid, "map", caption)
    figures: dict[str, Figure] = {r.code: r.figures[column] for r in rows}
    values = [f.value for f in figures.values() if f.value is not None]
    breaks = _breaks(values)
    vx, vy, vw, vh = _fit(figures)
    scale = min(MAP_W / vw, MAP_H / vh)
    map_w, map_h = vw * scale, vh * scale
    height = max(map_h, 200)

    context = [
        el(
            "path",
            d=s.path,
            fill=CONTEXT_FILL,
            stroke=CONTEXT_STROKE,
            vector_effect="non-scaling-stroke",
        )
        for code, s in shapes.items()
        if code not in figures
        and code not in OVERSEAS  # insets in the sea: no context around them
        and s.bbox[0] < vx + vw
        and s.bbox[2] > vx
        and s.bbox[1] < vy + vh
        and s.bbox[3] > vy
    ]
    drawn, labels, hidden_texts = [], [], set()
    size = 11 / scale
    for row in rows:
        shape, figure = shapes[row.code], figures[row.code]
        if figure.value is None:
            fill, ink = f"url(#{pid}-hatch-map)", INK
            hidden_texts.add(figure.text)
        else:
            fill = PALETTE[_class(figure.value, breaks)]
            ink = "#ffffff" if fill in DARK_FILLS else INK
        drawn.append(
            el(
                "path",
                tip(row.label, figure.text),
                d=shape.path,
                fill=fill,
                stroke=INK,
                stroke_width="1",
                vector_effect="non-scaling-stroke",
                class_="picture__area",
                data_code=row.code,
            )
        )
        cx, cy = shape.label
        halo = {"stroke": "#ffffff", "stroke_width": num(size / 3), "paint_order": "stroke"}
        labels.append(
            el(
                "text",
                Markup("{}<tspan x='{}' dy='1.1em'>{}</tspan>").format(
                    row.code, num(cx), figure.text
                ),
                x=num(cx),
                y=num(cy - size * 0.3),
                text_anchor="middle",
                font_size=num(size),
                fill=ink,
                aria_hidden="true",
                **(halo if figure.value is None else {}),
            )
        )
    inner = el(
        "svg",
        Markup("<defs>{}</defs>").format(hatch_pattern(f"{pid}-hatch-map", 0.8 / scale))
        + Markup("").join(context + drawn + labels),
        x=num((MAP_W - map_w) / 2),
        y=num((height - map_h) / 2),
        width=num(map_w),
        height=num(map_h),
        viewBox=f"{num(vx)} {num(vy)} {num(vw)} {num(vh)}",
    )
    integers = all(float(v).is_integer() for v in values)
    legend = _legend(pid, table.columns[column], _class_labels(breaks, integers), hidden_texts, 24)
    credit = el(
        "text",
        _("Fond de carte : svg-maps (CC BY 4.0), IGN")
        if any(code in OVERSEAS for code in figures)
        else _("Fond de carte : svg-maps (CC BY 4.0)"),
        x=WIDTH - 4,
        y=num(height - 6),
        text_anchor="end",
        font_size="9",
        fill=MUTED,
    )
    frame_line = el(
        "rect", x="0.5", y="0.5", width=MAP_W, height=num(height - 1), fill="none", stroke=GRID
    )
    return frame(
        pid,
        "map",
        WIDTH,
        height,
        caption,
        _description(table, column, rows),
        [frame_line, inner, *legend, credit],
    )


def _description(table: Table, column: int, rows) -> str:
    shown = [r for r in rows if r.figures[column].value is not None]
    sentence = _(
        "Carte des %(count)s départements du dispositif, colorés selon « %(what)s ».",
        count=len(rows),
        what=table.columns[column],
    )
    if shown:
        best = max(shown, key=lambda r: r.figures[column].value)
        sentence += " " + _(
            "Le plus élevé : %(label)s (%(text)s).",
            label=best.label,
            text=best.figures[column].text,
        )
    return sentence + " " + _("Les valeurs figurent dans le tableau de données.")
