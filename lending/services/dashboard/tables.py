"""What the territory's dashboard publishes: tables of figures already masked.

Everything downstream (the page, its pictures and tooltips, the CSV and XLSX exports, the
JSON) reads these objects only, so a count hidden here is hidden everywhere: a Figure holds
the published text and, for charts, the number it may draw (None when hidden or banded).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Figure:
    text: str  # as published: "0", "< 5", "35", "20 – 24", "12,5", "—"
    value: float | None  # what a chart may draw; None when the count is hidden or banded


@dataclass(frozen=True)
class Row:
    label: str  # what the row is, in words ("C — Industrie manufacturière", "mars 2027")
    figures: tuple[Figure, ...]
    code: str = ""  # a stable key: NAF section, département code, month "2027-03", skill id…


@dataclass(frozen=True)
class Table:
    key: str  # stable identifier: anchors, export file names, JSON keys
    title: str
    definition: str  # what is counted and over which period, shown with the table
    columns: tuple[str, ...]  # headers of the figure columns (the row label column excluded)
    rows: tuple[Row, ...]
    total: Row | None = None
    column_codes: tuple[str, ...] = field(default=())  # for matrices (flows: host sections)
