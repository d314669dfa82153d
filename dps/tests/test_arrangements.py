"""The DPS team sets up purchasing arrangements and decides their members (dps.arrangements)."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from core.exceptions import ActionRefused
from core.tests.forms import date_fields
from dps import arrangements
from dps.models import PurchasingArrangement
from providers.models import ProviderService
from providers.tests.factories import ProviderFactory, ProviderServiceFactory

from .factories import PurchasingArrangementFactory, published

pytestmark = pytest.mark.django_db

RESIDENTIAL = {
    "name": "Residential care DPS 2026 to 2030",
    "kind": "dps",
    "service_type": "residential",
    **date_fields("starts_on", date(2026, 4, 1)),
    **date_fields("expires_on", date(2030, 3, 31)),
}


def residential_home(name="Thameside Care Homes", **fields):
    return ProviderServiceFactory(provider=ProviderFactory(name=name), service_type="residential", **fields)


# Setting one up ------------------------------------------------------------------------------------
def test_the_dps_team_sets_up_an_arrangement(client, dps_team):
    client.force_login(dps_team)
    response = client.post(reverse("arrangements:create"), RESIDENTIAL)
    arrangement = PurchasingArrangement.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("arrangements:detail", args=[arrangement.pk])
    assert (arrangement.service_type_id, arrangement.starts_on, arrangement.expires_on) == (
        "residential",
        date(2026, 4, 1),
        date(2030, 3, 31),
    )
    event = AuditEvent.objects.get(object_id=str(arrangement.pk), action="created")
    assert event.actor == dps_team and event.changes["service_type_id"] == [None, "residential"]


@pytest.mark.parametrize(
    "change,field,message",
    [
        ({"name": ""}, "name", "Enter the arrangement&#x27;s name"),
        ({"service_type": ""}, "service_type", "Choose the service the arrangement is for"),
        ({"service_type": "telecare"}, "service_type", "Select a valid choice"),  # not one Brokerage arranges
        ({"kind": ""}, "kind", "Choose a DPS or a Dynamic Market"),
        (date_fields("expires_on", date(2026, 3, 1)), "expires_on", "End date must be after the start date"),
        (
            {"kind": "dynamic_market", **date_fields("starts_on", date(2024, 4, 1))},
            "starts_on",
            "A Dynamic Market must start on or after 24 February 2025",
        ),
        ({"starts_on_month": ""}, "starts_on", "Start date must include a month"),
    ],
)
def test_a_bad_arrangement_is_refused_next_to_its_field_keeping_what_was_typed(
    client, dps_team, change, field, message
):
    client.force_login(dps_team)
    response = client.post(reverse("arrangements:create"), {**RESIDENTIAL, **change})
    page = response.content.decode()
    assert response.status_code == 400 and not PurchasingArrangement.objects.exists()
    assert message in page and f'id="id_{field}-error"' in page
    assert 'value="Residential care DPS 2026 to 2030"' in page or field == "name"


def test_two_arrangements_cannot_share_a_name_whatever_its_case(client, dps_team):
    PurchasingArrangementFactory(name="Residential Care DPS 2026 to 2030", service_type="residential")
    client.force_login(dps_team)
    response = client.post(reverse("arrangements:create"), RESIDENTIAL)
    assert response.status_code == 400 and PurchasingArrangement.objects.count() == 1
    assert "There is already an arrangement with this name" in response.content.decode()


def test_an_arrangement_is_changed_and_the_change_audited(client, dps_team):
    arrangement = PurchasingArrangementFactory(name="Residential care DPS", service_type="residential")
    client.force_login(dps_team)
    response = client.post(
        reverse("arrangements:change", args=[arrangement.pk]),
        {**RESIDENTIAL, "name": "Residential care DPS (extended)", **date_fields("starts_on", date(2023, 4, 1))},
    )
    assert response.status_code == 302
    arrangement.refresh_from_db()
    assert arrangement.name == "Residential care DPS (extended)"
    changed = AuditEvent.objects.get(object_id=str(arrangement.pk), action="changed")
    assert changed.changes["name"] == ["Residential care DPS", "Residential care DPS (extended)"]


def test_the_service_of_an_arrangement_with_members_cannot_change(dps_team):
    arrangement = PurchasingArrangementFactory(service_type="residential")
    residential_home(arrangement=arrangement)
    with pytest.raises(ActionRefused, match="The service cannot change"):
        arrangements.save_arrangement(
            arrangement,
            acting_user=dps_team,
            name=arrangement.name,
            kind="dps",
            service_type="nursing",
            starts_on=arrangement.starts_on,
            expires_on=None,
        )
    arrangement.refresh_from_db()
    assert arrangement.service_type_id == "residential"


# Members ---------------------------------------------------------------------------------------------
def test_the_dps_team_admits_a_provider_and_removes_it(client, dps_team):
    arrangement = PurchasingArrangementFactory(service_type="residential")
    home = residential_home()
    client.force_login(dps_team)
    detail = client.get(reverse("arrangements:detail", args=[arrangement.pk])).content.decode()
    assert f'<option value="{home.pk}">Thameside Care Homes</option>' in detail
    response = client.post(reverse("arrangements:admit", args=[arrangement.pk]), {"provider_service": home.pk})
    assert response.status_code == 302
    home.refresh_from_db()
    assert home.arrangement == arrangement
    assert AuditEvent.objects.filter(
        object_id=str(home.pk), summary=f"Admitted Thameside Care Homes to {arrangement.name}"
    ).exists()
    client.post(reverse("arrangements:remove", args=[arrangement.pk, home.pk]))
    home.refresh_from_db()
    assert home.arrangement is None
    assert AuditEvent.objects.filter(changes__arrangement=[arrangement.name, None]).exists()


def test_joining_an_arrangement_leaves_the_other_one_for_that_service(dps_team):
    old, new = (
        PurchasingArrangementFactory(service_type="residential"),
        PurchasingArrangementFactory(service_type="residential"),
    )
    home = residential_home(arrangement=old)
    arrangements.admit_member(new, acting_user=dps_team, provider_service_id=home.pk)
    home.refresh_from_db()
    assert home.arrangement == new
    assert AuditEvent.objects.get(object_id=str(home.pk)).changes["arrangement"] == [old.name, new.name]


@pytest.mark.parametrize(
    "case,message",
    [
        ("other service", "Choose a provider that offers residential care"),
        ("inactive", "is not active in the provider directory"),
        ("already a member", "is already a member of"),
        ("expired", "it admits no one"),
        ("unknown", "Choose a provider that offers residential care"),
    ],
)
def test_admitting_is_refused_with_a_reason(dps_team, case, message):
    arrangement = PurchasingArrangementFactory(service_type="residential")
    service = {
        "other service": lambda: ProviderServiceFactory(service_type="nursing"),
        "inactive": _inactive_home,
        "already a member": lambda: residential_home(arrangement=arrangement),
        "expired": lambda: residential_home(),
        "unknown": lambda: None,
    }[case]()
    if case == "expired":
        arrangement.expires_on = timezone.localdate() - timedelta(days=1)
        arrangement.save()
    before = list(ProviderService.objects.values_list("pk", "arrangement"))
    with pytest.raises(ActionRefused, match=message):
        arrangements.admit_member(arrangement, acting_user=dps_team, provider_service_id=service.pk if service else 999)
    assert list(ProviderService.objects.values_list("pk", "arrangement")) == before
    assert not AuditEvent.objects.filter(action="changed").exists()


def _inactive_home():
    service = residential_home()
    service.provider.active = False
    service.provider.save()
    return service


def test_a_provider_bidding_in_an_open_competition_cannot_be_removed(dps_team, person, cap_member, officer_east):
    case = published(person, cap_member, officer_east)
    member = ProviderService.objects.get(provider=case.bidders[0].provider)
    with pytest.raises(ActionRefused, match=f"has a bid on {case.requirement.reference}, still open for bids"):
        arrangements.remove_member(case.arrangement, acting_user=dps_team, provider_service_id=member.pk)
    member.refresh_from_db()
    assert member.arrangement == case.arrangement


def test_a_provider_not_on_the_arrangement_cannot_be_removed_from_it(client, dps_team):
    arrangement = PurchasingArrangementFactory(service_type="residential")
    elsewhere = residential_home(arrangement=PurchasingArrangementFactory(service_type="residential"))
    client.force_login(dps_team)
    response = client.post(reverse("arrangements:remove", args=[arrangement.pk, elsewhere.pk]), follow=True)
    assert "That provider is not a member of" in response.content.decode()
    elsewhere.refresh_from_db()
    assert elsewhere.arrangement_id != arrangement.pk and elsewhere.arrangement is not None


def test_choosing_no_provider_is_refused_next_to_the_field(client, dps_team):
    arrangement = PurchasingArrangementFactory(service_type="residential")
    residential_home()
    client.force_login(dps_team)
    response = client.post(reverse("arrangements:admit", args=[arrangement.pk]), {"provider_service": ""})
    assert response.status_code == 400
    assert "Choose a provider to admit" in response.content.decode()


# Who may, and what it costs ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "who",
    [
        "social_worker",
        "officer_east",
        "lead_east",
        "cap_member",
        "finance_officer",
        "contract_monitoring",
        "provider_user",
    ],
)
def test_only_the_dps_team_keeps_arrangements(client, request, who):
    arrangement = PurchasingArrangementFactory(service_type="residential")
    home = residential_home()
    client.force_login(request.getfixturevalue(who))
    for url in [
        reverse("arrangements:list"),
        reverse("arrangements:create"),
        reverse("arrangements:detail", args=[arrangement.pk]),
        reverse("arrangements:change", args=[arrangement.pk]),
    ]:
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("arrangements:create"), RESIDENTIAL).status_code == 403
    assert (
        client.post(reverse("arrangements:admit", args=[arrangement.pk]), {"provider_service": home.pk}).status_code
        == 403
    )
    home.refresh_from_db()
    assert home.arrangement is None and PurchasingArrangement.objects.count() == 1
    with pytest.raises(ActionRefused, match="set up and kept by the DPS team"):
        arrangements.admit_member(arrangement, acting_user=request.getfixturevalue(who), provider_service_id=home.pk)


def test_the_pages_query_count_does_not_grow_with_arrangements_or_members(client, dps_team):
    arrangement = PurchasingArrangementFactory(service_type="residential")
    client.force_login(dps_team)
    urls = [reverse("arrangements:list"), reverse("arrangements:detail", args=[arrangement.pk])]

    def counts():
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            found.append(len(captured))
        return found

    def add(n):
        PurchasingArrangementFactory(service_type="nursing")
        residential_home(name=f"Home {n}", arrangement=arrangement)
        residential_home(name=f"Candidate {n}")

    add(0)
    few = counts()
    for n in range(1, 8):
        add(n)
    assert counts() == few
