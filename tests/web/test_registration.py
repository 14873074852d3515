"""Registering a firm with its HR manager: what users see on good and bad input."""

import re

from sqlalchemy import func, select

from lending.extensions import db
from lending.models import Firm, Role, User

GOOD = {
    "firm_name": "Conserverie de la Garonne",
    "siret": "732 829 320 00074",
    "naf_code": "10.39A",
    "address_line": "12 avenue du Général de Gaulle",
    "postal_code": "47000",
    "commune_insee": "47001",
    "full_name": "Hélène Ressources",
    "email": "helene@conserverie.example.fr",
    "password": "des pruneaux pour tout le monde",
    "confirm": "des pruneaux pour tout le monde",
}


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _register(client, **changes):
    return client.post_form("/inscription", {**GOOD, **changes})


def confirmation_link(outbox) -> str:
    return re.search(r"http://localhost(/inscription/confirmer/\S+)", outbox[-1].body).group(1)


def register_and_confirm(client, outbox, **changes):
    """Submit the form, then confirm from the e-mailed link, as the newcomer would."""
    assert _register(client, **changes).status_code == 302
    return client.post_form(confirmation_link(outbox))


def _without_csrf(html: str) -> str:
    return re.sub(r'(name="csrf[-_]token"[^>]*(content|value)=)"[^"]*"', r"\1", html)


def test_registration_creates_the_firm_and_logs_the_hr_manager_in(client, outbox):
    response = _register(client)
    assert response.status_code == 302
    assert "Vérifiez votre messagerie" in client.get(response.headers["Location"]).get_data(
        as_text=True
    )
    assert _count(Firm) == _count(User) == 0  # not before the address is confirmed
    assert outbox[-1].to == [GOOD["email"]]
    link = confirmation_link(outbox)
    assert "Conserverie de la Garonne" in client.get(link).get_data(as_text=True)
    response = client.post_form(link)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Conserverie de la Garonne" in page
    assert "732 829 320 00074" in page
    firm = db.session.scalar(select(Firm))
    assert firm.siret == "73282932000074"
    assert firm.commune.name == "Agen"
    user = db.session.scalar(select(User))
    assert (user.role, user.firm_id, user.email) == (Role.HR, firm.id, GOOD["email"])
    assert user.password_hash.startswith("$argon2")
    assert "Votre entreprise est inscrite" in page
    assert client.get(link).status_code == 302  # single use
    assert _count(Firm) == 1


def test_a_known_address_gets_the_same_answer_and_an_email_instead(client, app, outbox, make_user):
    make_user(Role.EMPLOYEE, email="deja@example.fr")
    pages, locations = [], []
    for email, siret in (
        ("deja@example.fr", GOOD["siret"]),
        ("nouvelle@example.fr", "35600000000048"),
    ):
        response = _register(client, email=email, siret=siret)
        assert response.status_code == 302
        locations.append(response.headers["Location"])
        pages.append(_without_csrf(client.get(locations[-1]).get_data(as_text=True)))
    assert locations[0] == locations[1]
    assert "Vérifiez votre messagerie" in pages[0]
    assert pages[0].replace("deja@", "nouvelle@") == pages[1]
    to_known, to_unknown = outbox
    assert to_known.to == ["deja@example.fr"]
    assert "déjà un compte" in to_known.body
    assert "/inscription/confirmer/" not in to_known.body
    assert "/inscription/confirmer/" in to_unknown.body
    assert _count(Firm) == 0
    assert _count(User) == 1


def test_a_siret_registered_before_the_confirmation_is_refused(client, app, outbox):
    assert _register(client).status_code == 302
    first_link = confirmation_link(outbox)
    register_and_confirm(app.test_client(), outbox, email="autre@example.fr")
    response = client.post_form(first_link)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Cette entreprise est déjà inscrite" in page
    assert _count(Firm) == 1


def test_wrong_siret_check_digit_is_refused(client):
    page = _register(client, siret="73282932000075")
    assert page.status_code == 200
    assert "sa clé de contrôle ne correspond pas" in page.get_data(as_text=True)
    assert _count(Firm) == 0
    assert _count(User) == 0


def test_siret_of_wrong_length_is_refused(client):
    page = _register(client, siret="1234")
    assert "14 chiffres" in page.get_data(as_text=True)
    assert _count(Firm) == 0


def test_la_poste_siret_is_accepted(client, outbox):
    # La Poste's establishments fail the Luhn check; their digits sum to a multiple of 5.
    assert register_and_confirm(client, outbox, siret="35600000000048").status_code == 302
    assert db.session.scalar(select(Firm.siret)) == "35600000000048"


def test_unknown_postal_code_is_refused(client):
    page = _register(client, postal_code="99999")
    assert "Ce code postal n&#39;existe pas" in page.get_data(as_text=True)
    assert _count(Firm) == 0


def test_commune_must_match_postal_code(client):
    page = _register(client, commune_insee="31555")  # Toulouse is not served by 47000
    assert "Choisissez une commune desservie par ce code postal" in page.get_data(as_text=True)
    assert _count(Firm) == 0


def test_postal_code_shared_by_several_communes_lists_them_all(client):
    page = client.post_form("/inscription", {**GOOD, "postal_code": "47300", "refresh": "1"})
    text = page.get_data(as_text=True)
    assert "Villeneuve-sur-Lot" in text
    assert "Bias" in text
    assert _count(Firm) == 0


def test_weak_password_is_refused(client):
    page = _register(client, password="azertyuiop123", confirm="azertyuiop123")
    assert "Ce mot de passe est trop courant" in page.get_data(as_text=True)
    assert _count(User) == 0


def test_unknown_naf_code_is_refused(client):
    page = _register(client, naf_code="99.99Z")
    assert "Choisissez un code NAF de la nomenclature" in page.get_data(as_text=True)
    assert _count(Firm) == 0


def test_same_siret_twice_is_refused_and_the_first_firm_kept(client, app, outbox):
    assert register_and_confirm(client, outbox).status_code == 302
    other = app.test_client()
    page = _register(other, email="autre@example.fr", firm_name="Usurpateur")
    assert "Cette entreprise est déjà inscrite" in page.get_data(as_text=True)
    assert db.session.scalars(select(Firm.name)).all() == ["Conserverie de la Garonne"]


def test_oversized_form_gets_a_french_page_and_changes_nothing(client):
    page = _register(client, firm_name="x" * (3 * 1024 * 1024))
    assert page.status_code == 413
    assert "Envoi trop volumineux" in page.get_data(as_text=True)
    assert _count(Firm) == 0


def test_too_long_field_is_refused_with_a_message(client):
    page = _register(client, firm_name="x" * 201)
    assert page.status_code == 200
    assert "200 caractères" in page.get_data(as_text=True)
    assert _count(Firm) == 0


def test_errors_are_tied_to_their_fields(client):
    html = _register(client, siret="1").get_data(as_text=True)
    assert 'id="siret-error"' in html
    assert 'aria-describedby="siret-hint siret-error"' in html
    assert 'aria-invalid="true"' in html
    assert 'id="error-summary"' in html


def test_commune_lookup_api(client):
    data = client.get("/api/communes?code_postal=47300").get_json()
    names = [c["nom"] for c in data["communes"]]
    assert "Villeneuve-sur-Lot" in names
    assert len(names) > 1
    bad = client.get("/api/communes?code_postal=abc")
    assert bad.status_code == 400
    assert "5 chiffres" in bad.get_json()["error"]


def test_the_error_summary_gives_each_fields_message(client):
    """The summary repeats the field's own message, lazy-translated ones included (it said
    "vérifiez les lignes signalées" for any message that was not a plain string)."""
    html = _register(client, firm_name="").get_data(as_text=True)
    summary = html[
        html.index('id="error-summary"') : html.index("</div>", html.index('id="error-summary"'))
    ]
    assert "Ce champ est obligatoire." in summary
    assert "vérifiez les lignes signalées" not in summary
