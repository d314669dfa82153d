from django.urls import reverse

from concerns.models import Concern
from core.tests.forms import fresh_token


def test_quality_alert_needs_the_provider(client, social_worker, person):
    client.force_login(social_worker)
    response = client.post(
        reverse("concerns:create", args=[person.pk]), {"kind": "quality_alert", "details": "Late", **fresh_token()}
    )
    assert response.status_code == 400
    assert "Name the provider" in response.content.decode()
    assert not Concern.objects.exists()


def test_officer_raises_safeguarding_which_goes_to_first_response(
    client, officer_east, first_response, person, east_case
):
    client.force_login(officer_east)
    client.post(
        reverse("concerns:create", args=[person.pk]), {"kind": "safeguarding", "details": "Bruising", **fresh_token()}
    )
    concern = Concern.objects.get()
    assert concern.routed_to == "first_response"
    client.force_login(first_response)
    response = client.get(reverse("concerns:inbox"))
    assert list(response.context["concerns"]) == [concern]


def test_closing_needs_an_outcome(client, officer_east, first_response, person, east_case):
    client.force_login(officer_east)
    client.post(
        reverse("concerns:create", args=[person.pk]), {"kind": "safeguarding", "details": "Bruising", **fresh_token()}
    )
    concern = Concern.objects.get()
    client.force_login(first_response)
    client.post(reverse("concerns:close", args=[concern.pk]), {"outcome": ""})
    concern.refresh_from_db()
    assert concern.status == "open"
    client.post(reverse("concerns:close", args=[concern.pk]), {"outcome": "Section 42 enquiry opened"})
    concern.refresh_from_db()
    assert (concern.status, concern.handled_by) == ("closed", first_response)


def _safeguarding(client, officer, person):
    client.force_login(officer)
    client.post(
        reverse("concerns:create", args=[person.pk]), {"kind": "safeguarding", "details": "Bruising", **fresh_token()}
    )
    return Concern.objects.get()


def test_first_response_sees_address_and_phone_on_an_open_safeguarding_concern_only(
    client, social_worker, officer_east, first_response, east_case
):
    person = east_case.person
    person.phone = "020 7946 0123"
    person.save()
    concern = _safeguarding(client, officer_east, person)

    client.force_login(first_response)
    page = client.get(reverse("concerns:detail", args=[concern.pk])).content.decode()
    assert person.address_line_1 in page and "020 7946 0123" in page and person.postcode in page
    assert client.get(person.get_absolute_url()).status_code == 404  # the concern, not the whole record

    client.post(reverse("concerns:close", args=[concern.pk]), {"outcome": "Section 42 enquiry opened"})
    page = client.get(reverse("concerns:detail", args=[concern.pk])).content.decode()
    assert person.address_line_1 not in page and "020 7946 0123" not in page


def test_the_officer_who_raised_it_and_other_inboxes_see_no_contact_details_on_the_concern(
    client, social_worker, officer_east, monitoring_officer, east_case
):
    person = east_case.person
    concern = _safeguarding(client, officer_east, person)
    page = client.get(reverse("concerns:detail", args=[concern.pk])).content.decode()
    assert "Phone number" not in page
    client.force_login(monitoring_officer)
    assert client.get(reverse("concerns:detail", args=[concern.pk])).status_code == 404
