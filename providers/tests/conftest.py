from datetime import date
from pathlib import Path

import pytest

from dps.models import PurchasingArrangement

DATA = Path(__file__).resolve().parent / "data"


def data_file(name: str) -> bytes:
    return (DATA / name).read_bytes()


@pytest.fixture
def home_care_dps(db):
    """The arrangement the demo directory and the test files name."""
    return PurchasingArrangement.objects.create(
        name="Home care DPS 2023 to 2027",
        kind=PurchasingArrangement.Kind.DPS,
        service_type_id="home_care",
        starts_on=date(2023, 4, 1),
        expires_on=date(2027, 3, 31),
    )


@pytest.fixture
def reablement_market(db):
    return PurchasingArrangement.objects.create(
        name="Reablement Dynamic Market",
        kind=PurchasingArrangement.Kind.DYNAMIC_MARKET,
        service_type_id="reablement",
        starts_on=date(2025, 4, 1),
    )
