import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def cast(person, head_of_service, officer_east, cap_member):
    """Who a supported living case needs, in the order the factories take them."""
    return person, head_of_service, officer_east, cap_member
