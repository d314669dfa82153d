"""The placement contract: made as a PDF once the placement is commissioned, saying who is placed where, from when
and at what fee, read back with pypdf; served to those who may see the person."""

import pytest
from django.urls import reverse

from core.tests.pdfs import pdf_text
from placements.models import Placement
from placements.pdf import render_contract_pdf
from placements.services import render_contract

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def case(person, head_of_service, officer_east):
    return f.commissioned(person, head_of_service, officer_east)


def test_the_contract_states_the_placement(case, person, head_of_service):
    placement = case.placement
    agreement = placement.agreement
    order = agreement.purchase_orders.get()
    text = pdf_text(render_contract_pdf(placement))
    admitted = placement.admission_date
    for expected in [
        f"Placement contract {placement.reference}",
        "residential care placement",
        agreement.reference,
        f"purchase order {order.number}",
        agreement.provider.name,
        "On the framework (DPS), from its bid",
        f"{person.first_name} {person.last_name}",
        f"{admitted.day} {admitted:%B %Y}",
        "£980.00 a week",
        f"{head_of_service}, head of service",
        "A 6-week review by the person's social worker",
    ]:
        assert expected in text, expected


def test_the_contract_is_made_once_and_served_to_the_team(client, case, officer_east, officer_west):
    assert render_contract(case.placement.pk) is True  # as the task queued on commissioning does
    assert render_contract(case.placement.pk) is False  # a second run makes nothing
    placement = Placement.objects.get(pk=case.placement.pk)
    client.force_login(officer_east)
    response = client.get(reverse("placements:contract", args=[placement.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert placement.reference in pdf_text(b"".join(response.streaming_content))
    client.force_login(officer_west)
    assert client.get(reverse("placements:contract", args=[placement.pk])).status_code == 404
