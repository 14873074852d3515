"""Server-side SVG pictures of the territory's dashboard, drawn from its published tables.

Each function takes a `lending.services.dashboard.tables.Table` (figures already masked) and
returns inline SVG as Markup: `{{ departement_map(table, 2, caption) }}` in a template. A
hidden figure is hatched and titled with its published text ("< 5"), never estimated. The
pictures need static/css/pictures.css and a data table beside them (RGAA).
"""

from .flows import flows_chart
from .map import departement_map
from .trend import trend_chart

__all__ = ["departement_map", "flows_chart", "trend_chart"]
