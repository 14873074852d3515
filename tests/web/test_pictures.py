"""The dashboard's SVG pictures, drawn from hand-made published tables (no database)."""

import csv
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from lending import create_app
from lending.reference.shapes import departement_shapes
from lending.services.dashboard.tables import Figure, Row, Table
from lending.web.pictures import departement_map, flows_chart, trend_chart

NS = {"s": "http://www.w3.org/2000/svg"}
HIDDEN = Figure("< 5", None)
DEPARTEMENTS_CSV = Path(__file__).parents[2] / "lending/reference/data/departements.csv"


def shown(value: float) -> Figure:
    return Figure(f"{value:,.0f}".replace(",", "\u202f"), value)


@pytest.fixture(scope="module")
def _light_app():
    return create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://")


@pytest.fixture(autouse=True)
def _request(_light_app):
    with _light_app.test_request_context():
        yield


def parse(svg) -> ET.Element:
    root = ET.fromstring(str(svg))  # raises if the SVG is not well-formed
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img"
    title = root.find(f".//s:title[@id='{root.get('aria-labelledby')}']", NS)
    desc = root.find(f".//s:desc[@id='{root.get('aria-describedby')}']", NS)
    assert title is not None
    assert title.text
    assert desc is not None
    assert len(desc.text) > 30
    assert " style=" not in str(svg)
    assert "<style" not in str(svg)
    return root


def tooltips(root: ET.Element, tag: str | None = None) -> list[str]:
    """The <title> of each shape (the picture's own title excluded)."""
    shapes = root.iter(f"{{{NS['s']}}}{tag}") if tag else root.iter()
    return [t.text for el in shapes if el is not root for t in el.findall("s:title", NS)]


def texts(root: ET.Element) -> str:
    return " ".join(" ".join(el.itertext()) for el in root.iter(f"{{{NS['s']}}}text"))


def occitanie(column_values: dict[str, tuple]) -> Table:
    names = {c: s.name for c, s in departement_shapes().items()}
    rows = tuple(
        Row(
            f"{code} — {names[code]}",
            tuple(v if isinstance(v, Figure) else shown(v) for v in vs),
            code,
        )
        for code, vs in column_values.items()
    )
    return Table("departements", "Départements", "…", ("Entreprises", "Prêts en cours"), rows)


def test_every_departement_has_a_shape_in_the_shipped_frame():
    with open(DEPARTEMENTS_CSV, encoding="utf-8") as f:
        codes = {row["code"] for row in csv.DictReader(f)}
    shapes = departement_shapes()
    assert codes == set(shapes)
    for code in codes:
        x0, y0, x1, y1 = shapes[code].bbox
        assert 0 <= x0 < x1 <= 613, code
        assert 0 <= y0 < y1 <= 585, code
        assert x0 < shapes[code].label[0] < x1, code
        assert y0 < shapes[code].label[1] < y1, code
        assert re.match(r"[mM] ?-?\d", shapes[code].path), code
    assert shapes["2A"].name == "Corse-du-Sud"
    assert shapes["971"].name == "Guadeloupe"


def test_the_map_draws_the_schemes_departements_with_their_codes_and_fits_them():
    table = occitanie({"31": (120, 35), "32": (15, HIDDEN), "81": (40, 10), "65": (25, 0)})
    root = parse(departement_map(table, 1, "Prêts en cours par département"))
    areas = root.findall(".//s:path[@data-code]", NS)
    assert sorted(a.get("data-code") for a in areas) == ["31", "32", "65", "81"]
    inner = root.find("s:svg", NS)
    vx, vy, vw, vh = map(float, inner.get("viewBox").split())
    for code in ("31", "32", "65", "81"):
        x0, y0, x1, y1 = departement_shapes()[code].bbox
        assert vx <= x0
        assert x1 <= vx + vw
        assert vy <= y0
        assert y1 <= vy + vh
    assert vw < 613 / 3  # zoomed on the scheme, not the whole of France
    context = [p for p in inner.findall("s:path", NS) if p.get("data-code") is None]
    assert 0 < len(context) < 20  # neighbours for orientation, not the 97 others
    assert "31 — Haute-Garonne\u00a0: 35" in tooltips(root, "path")


def test_a_hidden_departement_is_hatched_and_reads_less_than_five_without_a_number():
    table = occitanie({"31": (120, 35), "32": (15, HIDDEN), "81": (40, 10)})
    root = parse(departement_map(table, 1, "Prêts"))
    gers = root.find(".//s:path[@data-code='32']", NS)
    assert gers.find("s:title", NS).text == "32 — Gers\u00a0: < 5"
    assert gers.get("fill").startswith("url(#")
    assert "hatch" in gers.get("fill")
    labels = [t for t in root.iter(f"{{{NS['s']}}}text") if "".join(t.itertext()).startswith("32")]
    assert " ".join(labels[0].itertext()) == "32 < 5"
    assert "moins de 5 (non diffusé)" in texts(root)


def test_the_legend_has_classes_of_round_bounds_and_colours_follow_them():
    table = occitanie({"31": (0, 35), "32": (0, 20), "81": (0, 10), "65": (0, 0), "09": (0, 5)})
    root = parse(departement_map(table, 1, "Prêts"))
    legend = texts(root)
    for label in ("0", "1 à 10", "11 à 20", "21 à 30", "31 à 40"):
        assert label in legend
    assert "non diffusé" not in legend  # nothing hidden, no hatch in the legend
    fill = {p.get("data-code"): p.get("fill") for p in root.findall(".//s:path[@data-code]", NS)}
    assert fill["09"] == fill["81"] != fill["32"] != fill["31"] != fill["65"]
    swatches = [r.get("fill") for r in root.findall("s:rect", NS)][1:]  # after the frame
    assert swatches[:5] == [fill["65"], fill["81"], fill["32"], swatches[3], fill["31"]]


def test_no_value_is_printed_other_than_the_published_text():
    banded = Figure("20 – 24", None)
    table = occitanie({"31": (0, shown(1235)), "32": (0, banded), "81": (0, 10)})
    root = parse(departement_map(table, 1, "Prêts"))
    words = " ".join([texts(root), *tooltips(root), root.find("s:desc", NS).text])
    assert "1235" not in words
    assert not re.search(r"\b22\b", words)
    assert "1\u202f235" in words
    assert "20 – 24" in words
    assert "31 — Haute-Garonne\u00a0: 1\u202f235" in tooltips(root, "path")
    assert "32 — Gers\u00a0: 20 – 24" in tooltips(root, "path")


def test_labels_are_escaped():
    evil = "<script>alert(1)</script>"
    table = Table("departements", "D", "…", (evil,), (Row(evil, (shown(10),), "31"),))
    for svg in (
        departement_map(table, 0, evil),
        trend_chart(
            Table("monthly", "M", "…", (evil,), (Row(evil, (shown(5),), "2027-03"),)), [0], evil
        ),
        flows_chart(
            Table("flows", "F", "…", (evil,), (Row(evil, (shown(5),), "C"),), None, ("C",)), evil
        ),
    ):
        assert "<script" not in str(svg)
        root = parse(svg)
        assert root.find("s:title", NS).text == evil
        assert any(evil in (t or "") for t in tooltips(root))


def test_overseas_departements_are_drawn_without_the_mainland_around_them():
    names = departement_shapes()
    table = Table(
        "departements", "D", "…", ("Prêts",), (Row(names["974"].name, (shown(5),), "974"),)
    )
    root = parse(departement_map(table, 0, "La Réunion"))
    inner = root.find("s:svg", NS)
    assert [p.get("data-code") for p in inner.findall("s:path", NS)] == ["974"]


def months(values: list) -> Table:
    rows = tuple(
        Row(
            f"mois {i + 1}",
            tuple(v if isinstance(v, Figure) else shown(v) for v in vs),
            f"2026-{i + 1:02d}",
        )
        for i, vs in enumerate(values)
    )
    return Table("monthly", "Mois", "…", ("Prêts commencés", "Prêts en cours"), rows)


def test_the_trend_breaks_its_line_at_a_hidden_month_and_titles_it():
    table = months([(10, 20), (15, 25), (HIDDEN, 25), (20, 30), (25, HIDDEN), (30, 40)])
    root = parse(trend_chart(table, [0, 1], "Évolution mensuelle"))
    lines = [p for p in root.findall("s:path", NS) if p.get("fill") == "none"]
    assert len(lines) == 4  # each series in two pieces around its hidden month
    titles = tooltips(root)
    assert "Prêts commencés — mois 3\u00a0: < 5" in titles
    assert "Prêts en cours — mois 5\u00a0: < 5" in titles
    assert "Prêts en cours — mois 6\u00a0: 40" in titles
    points = [t for t in titles if not t.endswith("< 5")]
    assert len(points) == 10
    assert "sept." not in texts(root)
    assert "janv. 2026" in texts(root)
    assert "non diffusés" in texts(root)


def test_the_trend_of_a_period_with_nothing_hidden_has_no_hatched_marks():
    root = parse(trend_chart(months([(0, 5), (5, 10)]), [0, 1], "Évolution"))
    assert "non diffusés" not in texts(root)
    assert not [t for t in tooltips(root) if t.endswith("< 5")]


def flows() -> Table:
    hosts = ("C — Industrie manufacturière", "A — Agriculture", "H — Transports")
    return Table(
        "flows",
        "Flux",
        "…",
        hosts,
        (
            Row("C — Industrie manufacturière", (shown(45), shown(10), HIDDEN), "C"),
            Row("H — Transports", (shown(0), HIDDEN, shown(15)), "H"),
        ),
        None,
        ("C", "A", "H"),
    )


def test_flows_draw_one_band_per_published_flow_and_thin_hatched_hidden_ones():
    root = parse(flows_chart(flows(), "Flux entre secteurs"))
    bands = [p for p in root.findall("s:path", NS) if "picture__band" in p.get("class", "")]
    assert len(bands) == 5  # the zero cell draws nothing
    hidden = [b for b in bands if "hidden" in b.get("class")]
    assert [b.find("s:title", NS).text for b in hidden] == [
        "C — Industrie manufacturière → H — Transports\u00a0: < 5",
        "H — Transports → A — Agriculture\u00a0: < 5",
    ]
    assert all(b.get("fill").startswith("url(#") for b in hidden)
    assert "C — Industrie manufacturière → C — Industrie manufacturière\u00a0: 45" in tooltips(root)
    desc = root.find("s:desc", NS).text
    assert "de C — Industrie manufacturière vers C — Industrie manufacturière (45)" in desc


def test_a_territory_with_many_flows_draws_the_largest_and_says_the_table_has_them_all():
    codes = tuple(f"{n:02d}" for n in range(10, 20))
    rows = tuple(
        Row(f"L{a}", tuple(shown(5 * (a * 10 + b + 1)) for b in range(10)), f"L{a}")
        for a in range(6)
    )  # 60 flows of 5 to 300 loans
    root = parse(flows_chart(Table("flows", "F", "…", codes, rows, None, codes), "Flux"))
    bands = [p for p in root.findall("s:path", NS) if "picture__band" in p.get("class", "")]
    assert len(bands) == 40
    titles = tooltips(root)
    assert "L5 → 19\u00a0: 300" in titles  # the largest
    assert "L0 → 10\u00a0: 5" not in titles  # the smallest
    said = "Les 40 flux les plus importants sur 60 ; le tableau les donne tous."
    assert said in texts(root)
    assert said in root.find("s:desc", NS).text


@pytest.mark.parametrize(
    "draw",
    [
        lambda: departement_map(Table("departements", "D", "…", ("Prêts",), ()), 0, "Carte"),
        lambda: trend_chart(Table("monthly", "M", "…", ("Prêts",), ()), [0], "Courbe"),
        lambda: flows_chart(Table("flows", "F", "…", (), ()), "Flux"),
        lambda: flows_chart(
            Table("flows", "F", "…", ("C",), (Row("C", (Figure("0", 0),), "C"),), None, ("C",)),
            "Flux",
        ),
    ],
)
def test_an_empty_table_gives_a_picture_that_says_so(draw):
    root = parse(draw())
    assert "Aucune donnée" in texts(root)


def test_two_pictures_on_one_page_do_not_share_ids():
    table = occitanie({"31": (120, 35)})
    first, second = parse(departement_map(table, 0, "A")), parse(departement_map(table, 1, "B"))
    ids = lambda root: {e.get("id") for e in root.iter() if e.get("id")}  # noqa: E731
    assert not ids(first) & ids(second)


def test_legend_steps_stay_round_whole_numbers():
    table = occitanie({"31": (0, 85), "32": (0, 40), "81": (0, 5)})
    legend = texts(parse(departement_map(table, 1, "Prêts")))
    for label in ("1 à 25", "26 à 50", "51 à 75", "76 à 100"):
        assert label in legend
