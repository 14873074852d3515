"""Monthly lines for the `monthly` table: one line per chosen column, gaps where hidden."""

import math
import re
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup

from lending.services.dashboard.tables import Row, Table

from .svg import (
    CHAR_WIDTH,
    GRID,
    INK,
    MUTED,
    el,
    empty,
    fits,
    frame,
    hatch_fill,
    num,
    number,
    picture_id,
    tooltip,
)

# Distinct in hue, lightness, dash and marker, so the lines part on a grey print too.
SERIES = (
    ("#1f4e9c", None, "circle"),
    ("#a8430b", "7 4", "square"),
    ("#2a6e37", "2 3", "diamond"),
    ("#6b3fa0", "9 3 2 3", "triangle"),
)
WIDTH, LEFT, RIGHT, PLOT_H = 640, 52, 16, 220


def _ticks(top: float) -> list[float]:
    """0 and round steps up to at least `top` (five steps or fewer)."""
    if top <= 0:
        return [0, 1]
    raw = top / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    return [step * i for i in range(math.ceil(top / step) + 1)]


def _short(row: Row) -> str:
    """ "sept. 2026" for a month coded "2026-09"; the row's label otherwise."""
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", row.code):
        return format_date(date(int(row.code[:4]), int(row.code[5:]), 1), "MMM yyyy")
    return row.label


def _marker(shape: str, x: float, y: float, colour: str, content) -> Markup:
    common = {"fill": colour, "stroke": "#ffffff", "class_": "picture__point"}
    if shape == "circle":
        return el("circle", content, cx=num(x), cy=num(y), r="4", **common)
    if shape == "square":
        return el("rect", content, x=num(x - 3.5), y=num(y - 3.5), width="7", height="7", **common)
    corners = {
        "diamond": ((0, -5), (5, 0), (0, 5), (-5, 0)),
        "triangle": ((0, -5), (4.5, 4), (-4.5, 4)),
    }[shape]
    points = " ".join(f"{num(x + dx)},{num(y + dy)}" for dx, dy in corners)
    return el("polygon", content, points=points, **common)


def _legend(table: Table, columns: list[int]) -> tuple[Markup, float]:
    """The series' keys in rows across the top; returns them and the height they take."""
    parts: list[Markup] = []
    x: float = LEFT
    y = 14
    for k, c in enumerate(columns):
        colour, dash, shape = SERIES[k]
        label = fits(table.columns[c], 220, 12)
        wide = 32 + len(label) * 12 * CHAR_WIDTH + 18
        if x > LEFT and x + wide > WIDTH:
            x, y = LEFT, y + 20
        parts.append(
            el(
                "line",
                x1=x,
                x2=x + 26,
                y1=y,
                y2=y,
                stroke=colour,
                stroke_width="2.5",
                stroke_dasharray=dash,
            )
        )
        parts.append(_marker(shape, x + 13, y, colour, ""))
        parts.append(el("text", label, x=x + 32, y=y, dy="0.35em"))
        x += wide
    return el("g", Markup("").join(parts), aria_hidden="true"), y + 18


def trend_chart(table: Table, columns: list[int], caption: str) -> Markup:
    """Lines over the months of `table` (rows are months, in order) for up to four columns.

    A hidden figure breaks its line and shows as a hatched mark in a strip under the axis,
    in its series' row, whose tooltip reads the published text; nothing is drawn at a value
    the table does not publish.
    """
    pid = picture_id(table.key, tuple(columns), caption)
    columns = [c for c in columns if c < len(table.columns)][: len(SERIES)]
    rows = table.rows
    if not rows or not columns:
        return empty(pid, "trend", caption)
    legend, top = _legend(table, columns)
    bottom = top + PLOT_H
    values = [v for r in rows for c in columns if (v := r.figures[c].value) is not None]
    ticks = _ticks(max(values, default=0))
    plot_w = WIDTH - LEFT - RIGHT
    slot = plot_w / len(rows)
    x_of = [LEFT + slot * (i + 0.5) for i in range(len(rows))]

    def y_of(value: float) -> float:
        return bottom - PLOT_H * value / ticks[-1]

    body = [legend]
    for t in ticks:
        y = num(y_of(t))
        body.append(el("line", x1=LEFT, x2=WIDTH - RIGHT, y1=y, y2=y, stroke=GRID))
        body.append(
            el("text", number(t), x=LEFT - 6, y=y, dy="0.35em", text_anchor="end", fill=MUTED)
        )
    body.append(el("line", x1=LEFT, x2=WIDTH - RIGHT, y1=bottom, y2=bottom, stroke=INK))
    labels = [_short(r) for r in rows]
    room = max(len(label) for label in labels) * 12 * CHAR_WIDTH + 8
    every = max(1, math.ceil(room / slot))
    for i, label in enumerate(labels):
        if (len(rows) - 1 - i) % every == 0:  # the last month always has its label
            body.append(
                el("text", label, x=num(x_of[i]), y=bottom + 18, text_anchor="middle", fill=MUTED)
            )
    hidden_marks, strip = [], bottom + 44
    mark = min(slot - 2, 14)
    for k, c in enumerate(columns):
        colour, dash, shape = SERIES[k]
        runs: list[list[tuple[float, float]]] = []
        run: list[tuple[float, float]] = []
        points: list[Markup] = []
        if any(r.figures[c].value is None for r in rows):  # names its row of hidden marks
            hidden_marks.append(_marker(shape, LEFT - 10, strip + 14 * k + 5, colour, ""))
        for i, row in enumerate(rows):
            figure = row.figures[c]
            what = tooltip(f"{table.columns[c]} — {row.label}", figure.text)
            if figure.value is None:
                runs, run = [*runs, run] if run else runs, []
                hidden_marks.append(
                    el(
                        "rect",
                        what,
                        x=num(x_of[i] - mark / 2),
                        y=strip + 14 * k,
                        width=num(mark),
                        height="10",
                        fill=hatch_fill(pid),
                        stroke=colour,
                        class_="picture__point",
                    )
                )
                continue
            run.append((x_of[i], y_of(figure.value)))
            points.append(_marker(shape, x_of[i], y_of(figure.value), colour, what))
        for line in [*runs, run] if run else runs:
            path = "M" + " L".join(f"{num(x)},{num(y)}" for x, y in line)
            body.append(
                el(
                    "path",
                    d=path,
                    fill="none",
                    stroke=colour,
                    stroke_width="2.5",
                    stroke_dasharray=dash,
                    stroke_linejoin="round",
                )
            )
        body.extend(points)
    height = bottom + 30
    if hidden_marks:
        note = _("Hachures : mois non diffusés (moins de 5), la courbe s'interrompt.")
        body.append(el("text", note, x=LEFT, y=strip - 6, font_size="11", fill=MUTED))
        body.extend(hidden_marks)
        height = strip + 14 * len(columns) + 6
    return frame(pid, "trend", WIDTH, height, caption, _description(table, columns), body)


def _description(table: Table, columns: list[int]) -> str:
    rows = table.rows
    parts = [
        _(
            "« %(what)s » passe de %(first)s à %(last)s",
            what=table.columns[c],
            first=rows[0].figures[c].text,
            last=rows[-1].figures[c].text,
        )
        for c in columns
    ]
    return _(
        "Courbes mensuelles de %(start)s à %(end)s : %(lines)s. "
        "Les mois non diffusés (moins de 5) interrompent la courbe. "
        "Les valeurs figurent dans le tableau de données.",
        start=rows[0].label,
        end=rows[-1].label,
        lines=" ; ".join(parts),
    )
