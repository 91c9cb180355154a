import pytest

from tests.situations.world import build_situation_world


@pytest.fixture
def sworld(db):
    return build_situation_world()
