"""The change's pages, as the officer and the social worker use them from the change referral's page."""

import pytest

from changes.models import PackageChange
from changes.workflows import State
from core.tests.forms import date_fields
from packages.models import CarePackage
from purchase_orders.models import PurchaseOrder

from .factories import arrange, in_days, increase_to_arrange, running, suspension_to_arrange, today
from .test_workflow import at


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def case(person, cap_member, officer_east):
    return running(person, cap_member, officer_east)


def _url(change, step):
    return f"/changes/referrals/{change.referral_id}/{step}/"


def test_the_referral_page_offers_the_officer_the_arrange_form(client, case, person, officer_east):
    change = suspension_to_arrange(person, officer_east)
    client.force_login(officer_east)

    page = client.get(change.referral.get_absolute_url()).content.decode()
    form = client.get(_url(change, "arrange")).content.decode()

    assert f'href="{_url(change, "arrange")}"' in page and "Arrange the suspension" in page
    assert "Shortlist of providers" not in page  # a suspension keeps its provider
    assert "Why is the service suspended?" in form and "Date the service recommences" in form


def test_an_increase_form_asks_no_suspension_reason(client, case, person, cap_member, officer_east):
    change = increase_to_arrange(person, cap_member, officer_east, ends=in_days(8))
    client.force_login(officer_east)
    form = client.get(_url(change, "arrange")).content.decode()
    assert "Why is the service suspended?" not in form
    assert "Date the package goes back to its hours before the increase" in form


def test_arranging_from_the_form_suspends_and_says_so(client, case, person, officer_east):
    change = suspension_to_arrange(person, officer_east)
    client.force_login(officer_east)

    response = client.post(
        _url(change, "arrange"),
        {
            "reason": "holiday",
            **date_fields("starts_on", today()),
            **date_fields("provider_told_on", today()),
            "provider_told_how": "Rang the coordinator",
        },
        follow=True,
    )

    assert "The suspension is arranged and the purchase order revised." in response.content.decode()
    assert PackageChange.objects.get(pk=change.pk).state == State.SUSPENDED
    assert CarePackage.objects.get(pk=case.package.pk).state == "suspended"


def test_a_form_with_errors_comes_back_and_changes_nothing(client, case, person, officer_east):
    change = suspension_to_arrange(person, officer_east)
    client.force_login(officer_east)

    response = client.post(
        _url(change, "arrange"),
        {**date_fields("starts_on", today()), **date_fields("ends_on", today())},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Select why the service is suspended" in page
    assert "Enter how the provider was told" in page
    assert "The date must be after the date the change starts" in page
    assert PackageChange.objects.get(pk=change.pk).state == State.REQUESTED
    assert PurchaseOrder.objects.count() == 1


def test_the_same_form_sent_twice_arranges_once(client, case, person, officer_east):
    change = suspension_to_arrange(person, officer_east, starts=in_days(3))
    client.force_login(officer_east)
    data = {
        "reason": "hospital",
        **date_fields("starts_on", in_days(3)),
        **date_fields("provider_told_on", today()),
        "provider_told_how": "Rang",
    }
    client.post(_url(change, "arrange"), data)
    again = client.post(_url(change, "arrange"), data, follow=True)

    assert "The suspension is already arranged." in again.content.decode()
    assert PurchaseOrder.objects.count() == 2


def test_the_officer_sets_the_recommencement_on_the_page(client, case, person, officer_east):
    change = arrange(suspension_to_arrange(person, officer_east), officer_east)
    client.force_login(officer_east)

    response = client.post(_url(change, "recommence"), date_fields("recommences_on", in_days(4)), follow=True)

    assert f"The service will recommence on {in_days(4):%-d %B %Y}" in response.content.decode()
    assert PackageChange.objects.get(pk=change.pk).ends_on == in_days(4)
    home = in_days(4)
    with at(home):
        from changes.services import apply_due_changes

        apply_due_changes()
    assert CarePackage.objects.get(pk=case.package.pk).state == "active"


def test_a_recommencement_without_a_date_is_refused_with_the_reason(client, case, person, officer_east):
    change = arrange(suspension_to_arrange(person, officer_east), officer_east)
    client.force_login(officer_east)
    response = client.post(_url(change, "recommence"), {}, follow=True)
    assert "Enter date the service recommences" in response.content.decode()
    assert PackageChange.objects.get(pk=change.pk).ends_on is None


def test_the_social_worker_records_the_person_was_told(client, case, person, officer_east, social_worker):
    change = arrange(suspension_to_arrange(person, officer_east), officer_east)
    client.force_login(social_worker)

    page = client.get(change.referral.get_absolute_url()).content.decode()
    response = client.post(_url(change, "person_told".replace("_", "-")), follow=True)

    assert f"I have told {person}" in page
    assert f"Recorded that {person} was told." in response.content.decode()
    assert PackageChange.objects.get(pk=change.pk).person_told_by == social_worker


def test_the_social_workers_home_lists_whom_to_tell_until_told(client, case, person, officer_east, social_worker):
    change = arrange(suspension_to_arrange(person, officer_east), officer_east)
    client.force_login(social_worker)

    home = client.get("/").content.decode()
    assert "Changes to tell people about" in home and f"{person}'s suspension" in home

    client.post(_url(change, "person-told"))
    assert "Changes to tell people about" not in client.get("/").content.decode()
