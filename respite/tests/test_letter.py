"""The respite letter is a PDF stating the person's name and address, the allowance in pounds, the year's dates and
how to arrange respite, and nothing that does not belong in it; served only to those who see the person, each
download audited."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from core.tests.pdfs import pdf_text

from .factories import loaded

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_letter_states_the_allowance_its_year_and_how_to_arrange_respite(person, cap_member, officer_east):
    person.nhs_number = "9434765919"
    person.save()
    allowance = loaded(person, cap_member, officer_east)
    with allowance.letter_pdf.open("rb") as handle:
        text = pdf_text(handle.read())
    assert f"{person.first_name} {person.last_name}" in text
    assert person.address_line_1 in text and person.postcode in text
    assert "Your annual respite allowance £2,000.00" in text
    assert f"{allowance.year_start:%-d %B %Y} to {allowance.year_end:%-d %B %Y}" in text
    assert "How to arrange respite" in text and allowance.team.name in text and allowance.reference in text
    if allowance.team.email:
        assert allowance.team.email in text
    assert "9434765919" not in text and str(person.date_of_birth.year) not in text  # nothing it does not need


def test_the_letter_is_served_to_who_sees_the_person_and_each_download_audited(
    client, person, cap_member, officer_east, other_social_worker
):
    allowance = loaded(person, cap_member, officer_east)
    url = reverse("respite:letter", args=[allowance.pk])
    client.force_login(other_social_worker)
    assert client.get(url).status_code == 404
    client.force_login(person.allocated_worker)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        actor=person.allocated_worker, person=person, summary__contains=f"respite letter {allowance.reference}"
    ).exists()
