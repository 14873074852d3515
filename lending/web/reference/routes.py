from flask import jsonify, request
from flask_babel import gettext as _

from lending.services.reference import communes_for_postal_code, normalise_postal_code
from lending.web.reference import bp


@bp.get("/competences")
def skills():
    """Skills whose label or synonyms contain every word typed (accents and case ignored)."""
    from lending.services.skills import search_skills

    query = request.args.get("q", "")[:100]
    found = search_skills(query, limit=30) if query.strip() else []
    return jsonify(competences=[{"id": s.id, "code": s.code, "libelle": s.label} for s in found])


@bp.get("/communes")
def communes():
    """Communes served by a postal code (public reference data), for the address forms."""
    code = normalise_postal_code(request.args.get("code_postal"))
    if code is None:
        return jsonify(communes=[], error=_("Le code postal doit comporter 5 chiffres.")), 400
    items = communes_for_postal_code(code)
    return jsonify(communes=[{"insee": c.insee, "nom": c.name} for c in items])
