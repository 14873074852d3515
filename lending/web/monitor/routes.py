"""The territory's dashboard: aggregates of one scheme, for its monitors, its operators and
admins (authz.get_scheme_or_404), as a page, a printable page, CSV, XLSX and JSON — all
written from the same published tables (services/dashboard), so a hidden count is hidden in
each of them."""

from flask import Response, abort, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload

from lending.authz import get_scheme_or_404, roles_required, visible_schemes_query
from lending.extensions import db
from lending.models import Role, Scheme
from lending.models._time import local_date
from lending.services import dashboard
from lending.services.dashboard.filters import QUARTERS, as_args
from lending.web.monitor import bp, exports, pictures

WATCHERS = (Role.MONITOR, Role.OPERATOR, Role.ADMIN)
# The map can colour the départements by one of these columns of the `departements` table.
MAP_COLUMNS = {"entreprises": 0, "salaries": 1, "prets": 2, "besoins": 3}
MAP_LABELS = {
    "prets": _l("Prêts en cours"),
    "salaries": _l("Salariés disponibles"),
    "entreprises": _l("Entreprises adhérentes"),
    "besoins": _l("Besoins ouverts"),
}
PERIOD_KINDS = {
    "12mois": _l("12 derniers mois"),
    "mois": _l("Un mois"),
    "trimestre": _l("Un trimestre"),
    "annee": _l("Une année"),
    "personnalisee": _l("De mois à mois"),
}


@bp.get("")
@roles_required(*WATCHERS)
def index():
    schemes = list(
        db.session.scalars(
            visible_schemes_query(current_user).options(selectinload(Scheme.departements))
        )
    )
    if len(schemes) == 1:
        return redirect(url_for("monitor.dashboard_page", scheme_id=schemes[0].id))
    return render_template("monitor/index.html", schemes=schemes)


def _board(scheme_id: int) -> tuple[dashboard.Dashboard, list[str]]:
    scheme = get_scheme_or_404(scheme_id)
    filters, problems = dashboard.parse_filters(request.args, scheme, local_date())
    return dashboard.build(scheme, filters, local_date()), problems


def _page(template: str, scheme_id: int):
    board, problems = _board(scheme_id)
    map_by = request.args.get("carte", "prets")
    map_by = map_by if map_by in MAP_COLUMNS else "prets"
    today = local_date()
    years = list(range(today.year, today.year - 5, -1))
    return render_template(
        template,
        board=board,
        problems=problems,
        pictures=pictures.for_dashboard(board, MAP_COLUMNS[map_by]),
        map_by=map_by,
        map_choices=[(key, label) for key, label in MAP_LABELS.items()],
        period_kinds=list(PERIOD_KINDS.items()),
        quarters=[(f"{y}-T{q}", f"{QUARTERS[q]} {y}") for y in years for q in (1, 2, 3, 4)],
        years=years,
        departement_label=_place(board),
        filter_args=as_args(board.filters),
        today=today,
    )


@bp.get("/<id:scheme_id>")
@roles_required(*WATCHERS)
def dashboard_page(scheme_id: int):
    return _page("monitor/dashboard.html", scheme_id)


@bp.get("/<id:scheme_id>/imprimer")
@roles_required(*WATCHERS)
def printable(scheme_id: int):
    return _page("monitor/print.html", scheme_id)


def _place(board: dashboard.Dashboard) -> str:
    """The département shown ("47 — Lot-et-Garonne"), or the whole territory."""
    return next(
        (
            f"{d.code} — {d.name}"
            for d in board.scheme.departements
            if d.code == board.filters.departement
        ),
        _("tout le territoire"),
    )


def _file_name(board: dashboard.Dashboard, what: str, extension: str) -> str:
    period = f"{board.filters.start:%Y-%m}_{board.filters.end:%Y-%m}"
    place = f"-{board.filters.departement}" if board.filters.departement else ""
    return f"suivi-{board.scheme.id}-{what}{place}-{period}.{extension}"


def _heading(board: dashboard.Dashboard) -> list[str]:
    return [
        f"{board.scheme.name} — {board.filters.label} — {_place(board)}",
        _(
            "Effectifs de 1 à 4 masqués (« < 5 »), les autres arrondis à 5 près ; "
            "un total dont une part est masquée est donné par tranche."
        ),
    ]


@bp.get("/<id:scheme_id>/export.csv")
@roles_required(*WATCHERS)
def export_csv(scheme_id: int):
    board, _problems = _board(scheme_id)
    table = board.tables.get(request.args.get("tableau", ""))
    if table is None:
        abort(404)
    return Response(
        exports.table_csv(table),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{_file_name(board, table.key, "csv")}"'
        },
    )


@bp.get("/<id:scheme_id>/export.xlsx")
@roles_required(*WATCHERS)
def export_xlsx(scheme_id: int):
    board, _problems = _board(scheme_id)
    return Response(
        exports.workbook(board.tables.values(), _heading(board)),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": f'attachment; filename="{_file_name(board, "tableaux", "xlsx")}"'
        },
    )


@bp.get("/<id:scheme_id>/donnees.json")
@roles_required(*WATCHERS)
def export_json(scheme_id: int):
    board, problems = _board(scheme_id)
    return jsonify(exports.as_json(board, problems))
