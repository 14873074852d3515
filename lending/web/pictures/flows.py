"""Flows between sectors as a Sankey diagram: lending sections on the left, hosts on the right.

A band's width is its published figure; a hidden cell ("< 5") is a thin hatched band of a
fixed width, so it shows that a flow exists without telling its size; 0 draws nothing. A
territory with many sectors has hundreds of flows (88 NAF divisions on each side): only the
MAX_BANDS largest are drawn, which the picture says; its table holds them all.
"""

from markupsafe import Markup

from lending.french import gettext as _
from lending.services.dashboard.tables import Figure, Table

from .svg import (
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

# One hue per lending section (bands take their source's colour), dark enough for 3:1
# against white as graphics; cycled past eight sections.
COLOURS = ("#1f4e9c", "#a8430b", "#2a6e37", "#6b3fa0", "#8a2846", "#00676b", "#6b5a00", "#4a5360")
WIDTH, LABEL_W, NODE_W, TOP = 720, 230, 12, 28
LEFT_X, RIGHT_X = LABEL_W, WIDTH - LABEL_W - NODE_W
FLOW_H, GAP, MIN_SLOT, HIDDEN_W = 300, 10, 16, 2.0
MAX_BANDS = 40


def flows_chart(table: Table, caption: str) -> Markup:
    """A Sankey of `table` (rows: lending sections; columns: host sections, codes in
    Table.column_codes); hidden cells are thin hatched bands titled with their text."""
    pid = picture_id(table.key, caption)
    every = [
        (i, j, f)
        for i, row in enumerate(table.rows)
        for j, f in enumerate(row.figures[: len(table.columns)])
        if f.value is None or f.value > 0
    ]
    if not every:
        return empty(pid, "flows", caption)
    # The largest flows first, hidden ones ("< 5") last.
    cells = sorted(every, key=lambda c: (c[2].value is None, -(c[2].value or 0)))[:MAX_BANDS]
    visible = sum(f.value for _i, _j, f in cells if f.value is not None)
    hidden = sum(1 for *_ij, f in cells if f.value is None)
    scale = max(FLOW_H - hidden * HIDDEN_W, FLOW_H / 2) / visible if visible else 0
    width = lambda f: HIDDEN_W if f.value is None else f.value * scale  # noqa: E731
    lefts = sorted({i for i, _j, _f in cells})
    rights = sorted({j for _i, j, _f in cells})
    left_h = {i: sum(width(f) for a, _j, f in cells if a == i) for i in lefts}
    right_h = {j: sum(width(f) for _i, b, f in cells if b == j) for j in rights}
    left_y, bottom_l = _stack(lefts, left_h)
    right_y, bottom_r = _stack(rights, right_h)
    height = max(bottom_l, bottom_r) + 10
    left_out = len(every) - len(cells)

    colour_of = {i: COLOURS[rank % len(COLOURS)] for rank, i in enumerate(lefts)}
    body, out_used, in_used = [], dict.fromkeys(lefts, 0.0), dict.fromkeys(rights, 0.0)
    # Bands leave each source in the order of their targets, so they cross as little as can
    # be, and enter each target below the bands of earlier sources.
    for i, j, figure in sorted(cells, key=lambda c: (c[0], c[1])):
        w = width(figure)
        y0 = left_y[i] + out_used[i]
        out_used[i] += w
        y1 = right_y[j] + in_used[j]
        in_used[j] += w
        body.append(_band(pid, table, i, j, figure, y0, y1, w, colour_of[i]))
    for i in lefts:
        body.append(_node(LEFT_X, left_y[i], left_h[i], colour_of[i], table.rows[i].label, "end"))
    for j in rights:
        body.append(_node(RIGHT_X, right_y[j], right_h[j], INK, table.columns[j], "start"))
    body.append(
        el(
            "text",
            _("Entreprises prêteuses"),
            x=LEFT_X + NODE_W,
            y="14",
            text_anchor="end",
            fill=MUTED,
            font_weight="bold",
        )
    )
    body.append(
        el("text", _("Entreprises d'accueil"), x=RIGHT_X, y="14", fill=MUTED, font_weight="bold")
    )
    if left_out:
        height += 16
        body.append(
            el("text", _left_out(len(cells), len(every)), x="0", y=num(height - 6), fill=MUTED)
        )
    description = _description(table, cells, len(every))
    return frame(pid, "flows", WIDTH, height, caption, description, body)


def _left_out(drawn: int, count: int) -> str:
    return _(
        "Les %(drawn)s flux les plus importants sur %(count)s ; le tableau les donne tous.",
        drawn=number(drawn),
        count=number(count),
    )


def _stack(nodes, heights) -> tuple[dict, float]:
    """Top of each node, one under the other; a thin node still gets room for its label."""
    tops, y = {}, TOP
    for n in nodes:
        slot = max(heights[n], MIN_SLOT)
        tops[n] = y + (slot - heights[n]) / 2
        y += slot + GAP
    return tops, y - GAP


def _band(pid, table, i, j, figure: Figure, y0, y1, w, colour) -> Markup:
    x0, x1 = LEFT_X + NODE_W, RIGHT_X
    mid = (x0 + x1) / 2
    d = (
        f"M{num(x0)},{num(y0)} C{num(mid)},{num(y0)} {num(mid)},{num(y1)} {num(x1)},{num(y1)}"
        f" L{num(x1)},{num(y1 + w)} C{num(mid)},{num(y1 + w)} {num(mid)},{num(y0 + w)}"
        f" {num(x0)},{num(y0 + w)} Z"
    )
    what = tooltip(f"{table.rows[i].label} → {table.columns[j]}", figure.text)
    if figure.value is None:
        return el(
            "path",
            what,
            d=d,
            fill=hatch_fill(pid),
            stroke=colour,
            stroke_width="0.8",
            class_="picture__band picture__band--hidden",
        )
    return el("path", what, d=d, fill=colour, fill_opacity="0.45", class_="picture__band")


def _node(x, y, h, colour, label, anchor) -> Markup:
    text_x = x - 6 if anchor == "end" else x + NODE_W + 6
    return el(
        "g",
        Markup("").join(
            (
                el(
                    "rect",
                    tooltip(label),
                    x=num(x),
                    y=num(y),
                    width=NODE_W,
                    height=num(max(h, 1)),
                    fill=colour,
                ),
                el(
                    "text",
                    fits(label, LABEL_W - 10, 12),
                    x=num(text_x),
                    y=num(y + h / 2),
                    dy="0.35em",
                    text_anchor=anchor,
                    fill=INK,
                ),
            )
        ),
    )


def _description(table: Table, cells, count: int) -> str:
    shown = [(i, j, f) for i, j, f in cells if f.value is not None]
    sentence = _(
        "Diagramme des flux de prêts : %(count)s liaisons entre les secteurs des entreprises "
        "prêteuses (à gauche) et ceux des entreprises d'accueil (à droite), de largeur "
        "proportionnelle au nombre de prêts.",
        count=number(count),
    )
    if count > len(cells):
        sentence += " " + _left_out(len(cells), count)
    if shown:
        i, j, f = max(shown, key=lambda c: c[2].value)
        sentence += " " + _(
            "Le flux le plus important va de %(src)s vers %(dst)s (%(text)s).",
            src=table.rows[i].label,
            dst=table.columns[j],
            text=f.text,
        )
    return sentence + " " + _("Les valeurs figurent dans le tableau de données.")
