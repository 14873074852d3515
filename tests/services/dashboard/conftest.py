import pytest

from tests.services.dashboard.recount import Data
from tests.services.dashboard.world import generate


@pytest.fixture(scope="module")
def _world(module_database):
    scheme, other = generate()
    return scheme.id, other.id


@pytest.fixture
def world(rolled_back_app, _world):
    """(scheme, other scheme, the rows as loaded), built once per module."""
    from lending.extensions import db
    from lending.models import Scheme

    scheme_id, other_id = _world
    return db.session.get(Scheme, scheme_id), db.session.get(Scheme, other_id), Data.load()
