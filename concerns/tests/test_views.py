from django.urls import reverse

from concerns.models import Concern


def test_quality_alert_needs_the_provider(client, social_worker, person):
    client.force_login(social_worker)
    response = client.post(reverse("concerns:create", args=[person.pk]), {"kind": "quality_alert", "details": "Late"})
    assert response.status_code == 400
    assert "Name the provider" in response.content.decode()
    assert not Concern.objects.exists()


def test_officer_raises_safeguarding_which_goes_to_first_response(client, officer_east, first_response, person):
    client.force_login(officer_east)
    client.post(reverse("concerns:create", args=[person.pk]), {"kind": "safeguarding", "details": "Bruising"})
    concern = Concern.objects.get()
    assert concern.routed_to == "first_response"
    client.force_login(first_response)
    response = client.get(reverse("concerns:inbox"))
    assert list(response.context["concerns"]) == [concern]


def test_closing_needs_an_outcome(client, officer_east, first_response, person):
    client.force_login(officer_east)
    client.post(reverse("concerns:create", args=[person.pk]), {"kind": "safeguarding", "details": "Bruising"})
    concern = Concern.objects.get()
    client.force_login(first_response)
    client.post(reverse("concerns:close", args=[concern.pk]), {"outcome": ""})
    concern.refresh_from_db()
    assert concern.status == "open"
    client.post(reverse("concerns:close", args=[concern.pk]), {"outcome": "Section 42 enquiry opened"})
    concern.refresh_from_db()
    assert (concern.status, concern.handled_by) == ("closed", first_response)
