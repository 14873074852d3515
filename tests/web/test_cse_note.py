"""The CSE information note on the agreement page (issue 12, item 10): each firm's HR
downloads the note of its own firm; the notes differ (the lender's CSE is consulted, the
host's informed and consulted), so neither firm gets the other's; the employee and the
scheme's staff have no use for it."""

import pytest

from lending.documents import pdf_text
from lending.models import Role
from tests.documents.samples import flat

LENDER_STEP = "consulté préalablement à la mise en œuvre du prêt de main-d'œuvre"
HOST_STEP = "informé et consulté préalablement à l'accueil du salarié mis à disposition"
LINK = "Télécharger la note d'information du CSE (PDF)"


def test_each_firm_downloads_the_note_of_its_own_cse(client, login, market, accepted):
    url = f"/accords/{accepted.id}/note-cse.pdf"
    for hr, step, other, name in (
        (market.lender_hr, LENDER_STEP, HOST_STEP, "entreprise-preteuse"),
        (market.host_hr, HOST_STEP, LENDER_STEP, "entreprise-accueil"),
    ):
        login(hr)
        assert LINK in client.get(f"/accords/{accepted.id}").get_data(as_text=True)
        response = client.get(url)
        assert response.status_code == 200
        assert response.mimetype == "application/pdf"
        assert (
            f'filename="note-cse-{accepted.id}-{name}.pdf"'
            in (response.headers["Content-Disposition"])
        )
        text = flat(pdf_text(response.data))
        assert step in text
        assert other not in text


@pytest.mark.usefixtures("placeholder_pdfs")
def test_neither_the_employee_nor_the_staff_get_a_note(client, login, market, accepted, make_user):
    operator = make_user(Role.OPERATOR, schemes=[market.scheme])
    for user in (accepted.employee.user, operator):
        login(user)
        assert LINK not in client.get(f"/accords/{accepted.id}").get_data(as_text=True)
        assert client.get(f"/accords/{accepted.id}/note-cse.pdf").status_code == 403
