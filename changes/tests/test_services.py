"""What each change does to the package, its purchase orders and its reviews, the rules that refuse one (SPEC §2,
§4), and the daily sweep that takes the steps waiting for a day: twice, or two at once, it does nothing twice."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connections, transaction

from catalogue.codes import ServiceCode
from changes import services
from changes.models import ChangeTransition, PackageChange
from changes.workflows import State
from core.exceptions import ActionRefused
from core.tests.pdfs import pdf_text
from packages.models import CarePackage, PackageVersion
from packages.selectors import in_force_on
from packages.workflows import State as PackageState
from purchase_orders.models import PurchaseOrder
from referrals.models import Referral
from reviews.models import Review

from .factories import (
    arrange,
    change_referral,
    in_days,
    increase_to_arrange,
    reduction_to_arrange,
    running,
    suspension_to_arrange,
    today,
)
from .test_workflow import at


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def case(person, cap_member, officer_east):
    return running(person, cap_member, officer_east)


def orders(case) -> list[tuple]:
    """Every order of the package, oldest first: (revision, status, weekly hours, suspended from, recommences)."""
    return list(
        PurchaseOrder.objects.filter(care_package_id=case.package.pk)
        .order_by("revision")
        .values_list("revision", "status", "weekly_hours", "suspended_from", "recommences_on")
    )


# A change names its running package ------------------------------------------------------------------------------
def test_a_change_names_the_running_package(case, person):
    referral = change_referral(person, Referral.Change.SUSPEND, effective_date=today())
    assert referral.care_package_id == case.package.pk


def test_a_change_for_someone_with_no_running_service_is_refused(person):
    with pytest.raises(ActionRefused, match="has no domiciliary care \\(home care\\) running that Brokerage arranged"):
        change_referral(person, Referral.Change.SUSPEND, effective_date=today())
    assert not Referral.objects.exists()


def test_a_change_for_a_package_not_started_is_refused(person, cap_member, officer_east):
    from dps.tests.factories import awarded
    from packages.tests.factories import pending_package

    pending_package(awarded(person, cap_member, officer_east))
    with pytest.raises(ActionRefused, match="has not started yet"):
        change_referral(person, Referral.Change.SUSPEND, effective_date=in_days(10))


def test_a_second_open_change_of_the_same_kind_is_refused(case, person):
    first = change_referral(person, Referral.Change.SUSPEND, effective_date=in_days(3))
    with pytest.raises(ActionRefused, match=f"already has a suspension open: {first.reference}"):
        change_referral(person, Referral.Change.SUSPEND, effective_date=in_days(5))
    assert Referral.objects.filter(kind=Referral.Kind.CHANGE).count() == 1


def test_a_suspended_package_takes_no_other_change_until_it_recommences(case, person, officer_east):
    arrange(suspension_to_arrange(person, officer_east), officer_east)
    with pytest.raises(ActionRefused, match="is suspended: ask Brokerage to recommence it before changing it again"):
        change_referral(person, Referral.Change.SUSPEND, effective_date=in_days(3))


def test_the_database_keeps_one_open_change_of_a_kind_even_at_the_same_moment(case, person):
    first = change_referral(person, Referral.Change.SUSPEND, effective_date=in_days(3))
    from django.db import IntegrityError

    copy = Referral.objects.get(pk=first.pk)
    copy.pk = None
    with pytest.raises(IntegrityError, match="one_live_change_per_package_and_kind"), transaction.atomic():
        copy.save()


# Suspend and recommence --------------------------------------------------------------------------------------------
def test_a_suspension_and_its_recommencement_each_revise_the_order(case, person, officer_east):
    change = arrange(suspension_to_arrange(person, officer_east, starts=in_days(2)), officer_east)
    assert orders(case)[-1] == (2, "issued", Decimal("10.00"), in_days(2), None)

    services.set_recommencement(change, acting_user=officer_east, recommences_on=in_days(9))
    assert orders(case)[-1] == (3, "issued", Decimal("10.00"), in_days(2), in_days(9))

    for day in (in_days(2), in_days(9)):
        with at(day):
            services.apply_due_changes()

    assert orders(case)[-1][:2] == (4, "issued") and orders(case)[-1][3:] == (None, None)
    assert [o[1] for o in orders(case)] == ["superseded"] * 3 + ["issued"]
    assert CarePackage.objects.get(pk=case.package.pk).state == PackageState.ACTIVE


def test_the_package_page_says_a_day_was_suspended(client, case, person, officer_east):
    arrange(suspension_to_arrange(person, officer_east, starts=in_days(2), ends=in_days(5)), officer_east)
    client.force_login(officer_east)
    day = in_days(3)
    page = client.get(
        f"/packages/{case.package.pk}/", {"on_day": day.day, "on_month": day.month, "on_year": day.year}
    ).content.decode()
    assert "No service was delivered or paid that day" in page
    assert in_force_on(case.package, day) is not None  # the terms it was suspended from


def test_a_suspension_is_refused_for_days_already_suspended(case, person, officer_east):
    from packages.services import suspend_package

    arrange(suspension_to_arrange(person, officer_east, starts=in_days(2), ends=in_days(9)), officer_east)
    with pytest.raises(ActionRefused, match="already suspended on some of those days"):
        suspend_package(
            case.package, acting_user=officer_east, starts_on=in_days(5), recommences_on=None, reason="holiday"
        )


def test_a_recommencement_cannot_come_before_the_suspension(case, person, officer_east):
    change = arrange(suspension_to_arrange(person, officer_east, starts=in_days(4)), officer_east)
    with pytest.raises(ActionRefused, match="recommences after the day it was suspended from"):
        services.set_recommencement(change, acting_user=officer_east, recommences_on=in_days(4))


def test_a_suspension_gives_the_social_worker_a_task_to_tell_the_person(case, person, officer_east, social_worker):
    change = suspension_to_arrange(person, officer_east)
    with pytest.raises(ActionRefused, match="not arranged yet"):
        services.record_person_told(change, acting_user=social_worker)
    change = arrange(change, officer_east)
    with pytest.raises(ActionRefused, match="Only the person's social worker"):
        services.record_person_told(change, acting_user=officer_east)

    change = services.record_person_told(change, acting_user=social_worker)

    assert change.person_told_by == social_worker
    with pytest.raises(ActionRefused, match="was already told"):
        services.record_person_told(change, acting_user=social_worker)


# Increase and reduce -------------------------------------------------------------------------------------------------
def test_a_temporary_increase_and_its_end_each_revise_the_order(case, person, cap_member, officer_east, social_worker):
    change = arrange(increase_to_arrange(person, cap_member, officer_east, ends=in_days(8)), officer_east)
    assert orders(case)[-1][:3] == (2, "issued", Decimal("15.00"))
    assert change.version.reverts_on == in_days(8)

    with at(in_days(8)):
        services.apply_due_changes()

    assert orders(case)[-1][:3] == (3, "issued", Decimal("10.00"))
    versions = list(PackageVersion.objects.filter(package=case.package).order_by("valid_from"))
    assert [(v.weekly_hours, v.valid_from, v.valid_to) for v in versions] == [
        (Decimal("10.00"), today(), in_days(1)),
        (Decimal("15.00"), in_days(1), in_days(8)),
        (Decimal("10.00"), in_days(8), None),
    ]
    assert versions[2].weekly_cost == versions[0].weekly_cost
    review = Review.objects.get(package=case.package)
    assert (review.kind, review.assigned_to, review.due_on) == (
        "six_week",
        social_worker,
        in_days(1) + timedelta(weeks=6),
    )


def test_a_reduction_revises_the_order_and_asks_the_review_team_for_a_12_month_review(case, person, officer_east):
    change = arrange(reduction_to_arrange(person, officer_east), officer_east)

    assert orders(case)[-1][:3] == (2, "issued", Decimal("6.00"))
    assert change.version.weekly_cost == Decimal("132.00")  # 6 hours at the £22 it was bid at
    review = Review.objects.get(package=case.package)
    assert (review.kind, review.assigned_to, review.due_on) == ("twelve_month", None, in_days(1) + timedelta(days=365))


def test_an_increase_that_adds_no_hours_is_refused(case, person, cap_member, officer_east):
    change = increase_to_arrange(person, cap_member, officer_east, hours="10.00")
    with pytest.raises(ActionRefused, match="this is not an increase"):
        arrange(change, officer_east)
    assert PackageChange.objects.get(pk=change.pk).state == State.REQUESTED
    assert PurchaseOrder.objects.count() == 1


def test_a_reduction_cannot_increase_the_service(case, person, officer_east):
    change = reduction_to_arrange(person, officer_east, hours="12.00")
    with pytest.raises(ActionRefused, match="Brokerage cannot increase a service with a reduction"):
        arrange(change, officer_east)
    assert PurchaseOrder.objects.count() == 1


def test_the_provider_cannot_have_been_told_in_the_future(case, person, officer_east):
    change = suspension_to_arrange(person, officer_east)
    with pytest.raises(ActionRefused, match="cannot be in the future"):
        arrange(change, officer_east, provider_told_on=in_days(1))


def test_a_risky_reduction_is_held_until_risk_strategies_are_agreed(case, person, social_worker):
    from people.tests.factories import make_plan

    referral = change_referral(
        person,
        Referral.Change.REDUCE,
        plan=make_plan(social_worker, person, weekly_hours=Decimal("6.00")),
        effective_date=in_days(3),
        puts_person_at_risk=True,
    )
    assert (referral.state, referral.care_package_id) == (Referral.State.HELD_FOR_RISK, case.package.pk)


# The sweep -------------------------------------------------------------------------------------------------------
def test_the_sweep_run_twice_applies_nothing_twice(case, person, cap_member, officer_east):
    arrange(increase_to_arrange(person, cap_member, officer_east, ends=in_days(8)), officer_east)
    with at(in_days(9)):
        assert services.apply_due_changes() == 1
        assert services.apply_due_changes() == 0
    assert PackageVersion.objects.filter(package=case.package).count() == 3
    assert PurchaseOrder.objects.filter(care_package_id=case.package.pk).count() == 3
    assert ChangeTransition.objects.filter(name="revert").count() == 1


def test_a_missed_day_is_caught_up_in_one_run(case, person, officer_east):
    """A suspension whose first and last days both passed while no sweep ran begins and recommences at once."""
    change = arrange(suspension_to_arrange(person, officer_east, starts=in_days(2), ends=in_days(4)), officer_east)
    with at(in_days(6)):
        assert services.apply_due_changes() == 1
    assert list(ChangeTransition.objects.filter(change=change).values_list("name", flat=True)) == [
        "arrange",
        "suspend",
        "recommence",
    ]
    assert CarePackage.objects.get(pk=case.package.pk).state == PackageState.ACTIVE


@pytest.mark.django_db(transaction=True)
def test_a_change_another_sweep_holds_is_skipped_not_waited_for(person, cap_member, officer_east, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS_RUN_INLINE = False  # the orders' PDFs are not under test
    running(person, cap_member, officer_east)
    change = arrange(increase_to_arrange(person, cap_member, officer_east, ends=in_days(8)), officer_east)
    held, release = threading.Event(), threading.Event()

    def other_sweep():
        try:
            with transaction.atomic():
                PackageChange.objects.select_for_update().get(pk=change.pk)
                held.set()
                release.wait(10)
        finally:
            connections.close_all()

    other = threading.Thread(target=other_sweep)
    other.start()
    held.wait(10)
    try:
        with at(in_days(8)):
            assert services.apply_due_changes() == 0  # at once: skipped, not waited for
    finally:
        release.set()
        other.join()
    assert PackageChange.objects.get(pk=change.pk).state == State.ARRANGED
    with at(in_days(8)):
        assert services.apply_due_changes() == 1


def test_a_change_for_another_service_names_that_service(person, cap_member, officer_east):
    with pytest.raises(ActionRefused, match="has no day opportunities"):
        change_referral(
            person, Referral.Change.SUSPEND, effective_date=today(), service_type=ServiceCode.DAY_OPPORTUNITIES
        )


def test_the_suspensions_purchase_order_says_so_in_its_pdf(case, person, officer_east):

    from purchase_orders.pdf import render_purchase_order_pdf

    arrange(suspension_to_arrange(person, officer_east, starts=in_days(2), ends=in_days(9)), officer_east)
    order = PurchaseOrder.objects.get(care_package_id=case.package.pk, status="issued")

    text = pdf_text(render_purchase_order_pdf(order))

    assert f"{order.number}" in text and "Suspended" in text
    assert f"No service is delivered or paid from {in_days(2):%-d %B %Y}" in " ".join(text.split())
    assert f"it recommences on {in_days(9):%-d %B %Y}" in " ".join(text.split())
