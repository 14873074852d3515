"""Which picture goes with which table of the dashboard (the drawings: lending/web/pictures)."""

from flask_babel import gettext as _
from markupsafe import Markup

from lending.web.pictures import departement_map, flows_chart, trend_chart


def for_dashboard(board, map_column: int) -> dict[str, Markup]:
    """The pictures of the dashboard's tables, by table key; each has its table beside it."""
    tables, drawn = board.tables, {}
    if "departements" in tables:
        table = tables["departements"]
        drawn["departements"] = departement_map(
            table,
            map_column,
            _("Carte des départements : %(what)s", what=table.columns[map_column]),
        )
    if "monthly" in tables:
        drawn["monthly"] = trend_chart(
            tables["monthly"], [0, 1], _("Prêts commencés et prêts en cours, mois par mois")
        )
    if "flows" in tables:
        drawn["flows"] = flows_chart(
            tables["flows"], _("Flux de salariés entre secteurs : prêteurs → accueil")
        )
    return drawn
