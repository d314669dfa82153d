"""What the purchase order PDF says, read back with pypdf."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.tests.pdfs import pdf_text
from dps.tests.factories import active
from packages.selectors import package_for_agreement
from packages.services import change_terms
from purchase_orders.pdf import render_purchase_order_pdf
from purchase_orders.tasks import render_purchase_order


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def case(person, cap_member, officer_east):
    return active(person, cap_member, officer_east, prices=(Decimal("22.40"), Decimal("23.00")))


def test_pdf_states_the_order(case, person):
    order = case.order
    text = pdf_text(render_purchase_order_pdf(order))

    start = case.agreement.start_date
    for expected in [
        f"Purchase order {order.number}",
        order.provider.name,
        f"{person.first_name} {person.last_name}",
        "Domiciliary care (home care)",
        "£224.00",
        "£22.40 an hour",
        f"From {start.day} {start:%B %Y}",
        case.agreement.reference,
        f"Quote {order.number} on every invoice",
    ]:
        assert expected in text, expected
    assert "supersedes" not in text


def test_stored_pdf_is_the_rendered_one(case):
    render_purchase_order(case.order.pk)
    case.order.refresh_from_db()
    assert case.order.number in pdf_text(case.order.pdf.read())


def test_revision_says_which_order_it_supersedes(case):
    first = case.order
    revision = change_terms(
        package_for_agreement(case.agreement),
        acting_user=case.officer,
        valid_from=timezone.localdate() + timedelta(days=14),
        hourly_rate=Decimal("23.50"),
        reason="Rate agreed at review",
    ).purchase_order

    text = pdf_text(render_purchase_order_pdf(revision))

    assert f"Purchase order {first.number} revision 2" in text
    assert f"This revision supersedes {first.number}: Rate agreed at review" in text
    assert "£235.00" in text and "£23.50 an hour" in text


def test_a_packages_order_prints_its_versions_visits(person, cap_member, officer_east):
    from packages.services import change_provider
    from packages.tests.factories import agreed, in_days

    first = active(person, cap_member, officer_east)
    new = agreed(person, cap_member, officer_east, start_date=in_days(21), change_of_provider=False).agreement
    order = change_provider(first.package, new, starts_on=in_days(21), acting_user=officer_east).purchase_order

    text = pdf_text(render_purchase_order_pdf(order))

    assert "Visits Tuesday 09:30, 60 minutes, 2 carers Saturday 18:00, 30 minutes, 1 carer" in text
    assert order.visits == [
        {"day": "Tuesday", "time": "09:30", "minutes": 60, "carers": 2},
        {"day": "Saturday", "time": "18:00", "minutes": 30, "carers": 1},
    ]


def test_an_order_for_a_version_without_visits_prints_none(person, cap_member, officer_east):
    case = active(person, cap_member, officer_east)
    case.version.visits.all().delete()
    from packages.services import change_terms
    from packages.tests.factories import in_days

    order = change_terms(
        case.package,
        acting_user=officer_east,
        valid_from=in_days(10),
        hourly_rate=case.version.hourly_rate,
        reason="Rate review",
    ).purchase_order

    assert order.visits == []
    assert "Visits" not in pdf_text(render_purchase_order_pdf(order))
