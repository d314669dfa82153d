"""`manage.py seed_demo` (make run): one login per role and cases in several states, loaded once."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from dashboard.management.commands.seed_demo import DEMO_USERS


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the commissioned placement's contract PDF


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def rows() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.mark.django_db
def test_the_demo_data_loads_once_and_a_second_run_changes_nothing():
    assert "Demo data loaded." in seed()
    loaded = rows()
    assert "Demo data already loaded." in seed()
    assert rows() == loaded


@pytest.mark.django_db
def test_every_demo_login_opens_its_home_page(client):
    seed()
    assert User.objects.filter(username__in=[username for username, *_ in DEMO_USERS]).count() == len(DEMO_USERS)
    for user in User.objects.all():
        client.force_login(user)
        response = client.get(reverse("home"))
        expected = 302 if user.provider_id else 200  # a provider's staff go to their portal
        assert response.status_code == expected, user.username


@pytest.mark.django_db
def test_the_head_of_service_finds_the_demo_placement_fee_waiting(client):
    from placements.models import Placement

    seed()
    placement = Placement.objects.get(person__first_name="Hilda")
    assert placement.state == Placement.State.AWAITING_FEE_APPROVAL
    client.force_login(User.objects.get(username="head.of.service"))
    assert placement.get_absolute_url() in client.get(reverse("home")).content.decode()
    assert client.get(placement.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_the_demo_has_a_commissioned_placement_with_its_two_reviews_on_the_home_pages(
    client, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from placements.models import Placement
    from reviews.models import Review

    with django_capture_on_commit_callbacks(execute=True):  # the contract is rendered after the commit
        seed()
    placement = Placement.objects.select_related("package", "agreement", "person").get(person__first_name="Rose")
    assert placement.state == Placement.State.COMMISSIONED
    assert placement.agreement.weekly_cost == placement.weekly_fee
    version = placement.package.versions.get()
    assert version.purchase_order.provider_id == placement.agreement.provider_id
    assert placement.contract_pdf
    social_worker, review_team = User.objects.get(username="social.worker"), User.objects.get(username="review.team")
    six_week = Review.objects.get(package=placement.package, kind="six_week")
    twelve_month = Review.objects.get(package=placement.package, kind="twelve_month")
    assert (six_week.assigned_to, six_week.due_on) == (social_worker, placement.admission_date + timedelta(weeks=6))
    assert twelve_month.assigned_to is None
    assert Review.objects.filter(package=placement.package).count() == 2
    for user, review in ((social_worker, six_week), (review_team, twelve_month)):
        client.force_login(user)
        home = client.get(reverse("home")).content.decode()
        assert review.get_absolute_url() in home and "Rose Fenwick" in home, user.username
    # The other demo cases stay at their steps.
    assert Placement.objects.get(person__first_name="Hilda").state == Placement.State.AWAITING_FEE_APPROVAL


@pytest.mark.django_db
def test_the_demo_has_changes_to_running_services_at_their_steps():
    from changes.models import PackageChange
    from packages.models import CarePackage
    from referrals.models import Referral

    seed()
    hal = PackageChange.objects.select_related("package").get(referral__person__first_name="Hal")
    assert (hal.kind, hal.state, hal.package.state) == ("suspend", "suspended", CarePackage.State.SUSPENDED)
    iris = PackageChange.objects.get(referral__person__first_name="Iris")
    assert (iris.kind, iris.state, iris.version.weekly_hours, iris.version.reverts_on) == (
        "increase",
        "arranged",
        9,
        iris.ends_on,
    )
    kit = Referral.objects.get(person__first_name="Kit", kind="change")
    assert (kit.state, kit.change) == ("queued", "suspend") and kit.care_package_id is not None
    fay = Referral.objects.get(person__first_name="Fay", kind="change")
    assert (fay.state, fay.change) == ("held_for_risk", "reduce") and fay.care_package_id is not None


@pytest.mark.django_db
def test_the_demo_shared_lives_cases_wait_for_the_scheme_and_the_panel(client):
    from shared_lives.models import SharedLivesArrangement

    seed()
    kofi = SharedLivesArrangement.objects.get(person__first_name="Kofi")
    grace = SharedLivesArrangement.objects.get(person__first_name="Grace")
    assert (kofi.state, grace.state) == ("matched", "at_panel")
    client.force_login(User.objects.get(username="provider.riverside-shared-lives-scheme"))
    assert "Record a taster session" in client.get(kofi.get_absolute_url()).content.decode()
    client.force_login(User.objects.get(username="cap.member"))
    assert grace.get_absolute_url() in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_the_demo_has_a_case_of_every_brokered_service_type_past_its_draft():
    """Every service Brokerage arranges (SPEC §3) has a demo case that has reached the panel, Brokerage or beyond.
    Shared lives reaches Brokerage last (its matching is the scheme's): its cases are arrangements with the scheme."""
    from catalogue.codes import NOT_BROKERED, REFERRAL_ONLY_SERVICES, ServiceCode
    from placements.models import Placement
    from referrals.models import Referral
    from shared_lives.models import SharedLivesArrangement

    seed()
    reached = set(Referral.objects.exclude(state=Referral.State.DRAFT).values_list("service_type_id", flat=True))
    if SharedLivesArrangement.objects.exists():
        reached.add(ServiceCode.SHARED_LIVES)
    brokered = set(ServiceCode.values) - set(NOT_BROKERED) - REFERRAL_ONLY_SERVICES
    assert brokered - reached == set()
    nursing = Placement.objects.get(referral__service_type_id=ServiceCode.NURSING)
    assert nursing.state == "bidding" and nursing.requirement.bids.count() == 1


@pytest.mark.django_db
def test_the_demo_has_three_invoices_waiting_for_finance_one_flagged_one_queried(client):
    from invoices.models import Invoice

    seed()
    invoices = list(Invoice.objects.select_related("purchase_order").order_by("number"))
    assert [i.state for i in invoices] == ["received", "received", "queried"]
    assert [i.is_flagged for i in invoices] == [False, True, False]
    assert all(i.purchase_order.service_type != "home_care" for i in invoices)
    client.force_login(User.objects.get(username="finance.officer"))
    page = client.get(reverse("invoices:waiting")).content.decode()
    assert all(i.number in page for i in invoices)
    assert client.get(invoices[1].get_absolute_url()).status_code == 200
