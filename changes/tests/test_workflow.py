"""A change's state machine (changes.workflows): each step allowed from its state by whom it names, and refused,
with its reason and nothing changed, from any other state, by anyone else, or with a condition unmet. Every step
is logged: who, when, from, to and why."""

import pytest
import time_machine
from django.utils import timezone

from changes import services
from changes.models import CHANGE_MACHINE, ChangeTransition, PackageChange
from changes.workflows import State
from core.exceptions import ActionRefused
from packages.models import CarePackage, PackageSuspension, PackageVersion
from packages.workflows import State as PackageState
from purchase_orders.models import PurchaseOrder
from referrals import services as referral_services
from referrals.models import Referral

from .factories import (
    arrange,
    change_referral,
    in_days,
    increase_to_arrange,
    reduction_to_arrange,
    running,
    suspension_to_arrange,
)

MACHINE = CHANGE_MACHINE


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def case(person, cap_member, officer_east):
    return running(person, cap_member, officer_east)


def footprint(change) -> dict:
    return {
        "state": PackageChange.objects.get(pk=change.pk).state,
        "steps": ChangeTransition.objects.count(),
        "package": CarePackage.objects.get(pk=change.package_id).state,
        "versions": PackageVersion.objects.count(),
        "suspensions": PackageSuspension.objects.count(),
        "orders": PurchaseOrder.objects.count(),
    }


def refused(change, act, match):
    before = footprint(change)
    with pytest.raises(ActionRefused, match=match):
        act()
    assert footprint(change) == before


def at(day):
    """Time moved to 9 in the morning of `day`."""
    return time_machine.travel(timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 9)), tick=False)


def last_step(change) -> tuple:
    step = ChangeTransition.objects.filter(change=change).latest("id")
    return step.name, step.source, step.target


# arrange: requested → arranged ---------------------------------------------------------------------------------
def test_arranging_a_suspension_records_it_and_revises_the_order(case, person, officer_east):
    change = suspension_to_arrange(person, officer_east, starts=in_days(3), ends=in_days(10))

    change = arrange(change, officer_east)

    assert change.state == State.ARRANGED
    assert last_step(change) == ("arrange", State.REQUESTED, State.ARRANGED)
    assert Referral.objects.get(pk=change.referral_id).state == Referral.State.ACTIVE
    order = PurchaseOrder.objects.get(agreement=case.agreement, status="issued")
    assert (order.revision, order.suspended_from, order.recommences_on) == (2, in_days(3), in_days(10))


def test_arranging_an_increase_takes_the_plans_hours(case, person, cap_member, officer_east):
    change = increase_to_arrange(person, cap_member, officer_east)

    change = arrange(change, officer_east)

    assert change.state == State.ARRANGED
    assert (change.version.weekly_hours, change.version.valid_from) == (15, in_days(1))


def test_only_the_allocated_officer_arranges(case, person, officer_east, lead_east, officer_west):
    change = suspension_to_arrange(person, officer_east)
    for who in (lead_east, officer_west):
        refused(change, lambda who=who: arrange(change, who), "You do not have permission")


def test_a_change_is_not_arranged_before_the_provider_is_told(case, person, officer_east):
    change = suspension_to_arrange(person, officer_east)
    refused(change, lambda: arrange(change, officer_east, provider_told_how=""), "Record how and when the provider")


def test_an_increase_is_never_arranged_without_its_approved_plan(case, person, officer_east, social_worker):
    """An increase waits for the panel before it reaches Brokerage; and were one taken without it, the machine says
    no."""
    plan_referral = change_referral(
        person, Referral.Change.INCREASE, plan=_plan(social_worker, person), effective_date=in_days(1)
    )
    assert plan_referral.state == Referral.State.AWAITING_FUNDING
    unfunded = PackageChange(referral=plan_referral, package=case.package, kind="increase")
    assert "Brokerage never increases a service without an approved plan" in " ".join(
        MACHINE.unmet_conditions(unfunded, "arrange")
    )


def test_an_arranged_change_is_not_arranged_again(case, person, officer_east):
    change = arrange(suspension_to_arrange(person, officer_east, starts=in_days(2)), officer_east)
    refused(change, lambda: arrange(change, officer_east), "cannot do this")


# suspend: arranged → suspended ---------------------------------------------------------------------------------
def test_a_suspension_from_today_suspends_at_once(case, person, officer_east):
    change = arrange(suspension_to_arrange(person, officer_east), officer_east)

    assert change.state == State.SUSPENDED
    assert last_step(change) == ("suspend", State.ARRANGED, State.SUSPENDED)
    assert CarePackage.objects.get(pk=change.package_id).state == PackageState.SUSPENDED


def test_a_later_suspension_is_suspended_on_its_first_day(case, person, officer_east):
    change = arrange(suspension_to_arrange(person, officer_east, starts=in_days(3)), officer_east)

    with at(in_days(3)):
        assert services.apply_due_changes() == 1

    change.refresh_from_db()
    assert change.state == State.SUSPENDED
    step = ChangeTransition.objects.filter(change=change).latest("id")
    assert (step.name, step.by, step.note) == (
        "suspend",
        officer_east,
        f"Scheduled: suspended from {in_days(3):%-d %B %Y}",
    )
    assert CarePackage.objects.get(pk=change.package_id).state == PackageState.SUSPENDED


def test_a_suspension_is_not_suspended_before_its_first_day(case, person, officer_east):
    change = arrange(suspension_to_arrange(person, officer_east, starts=in_days(3)), officer_east)
    change = PackageChange.objects.get(pk=change.pk)
    refused(
        change, lambda: MACHINE.apply(change, "suspend", acting_user=officer_east), "The suspension has not started"
    )


def test_an_increase_is_never_suspended(case, person, cap_member, officer_east):
    change = arrange(increase_to_arrange(person, cap_member, officer_east), officer_east)
    change = PackageChange.objects.get(pk=change.pk)
    refused(change, lambda: MACHINE.apply(change, "suspend", acting_user=officer_east), "Only a suspension")


# recommence: suspended → finished ------------------------------------------------------------------------------
def test_the_officer_recommences_it_when_the_social_worker_says(case, person, officer_east):
    change = arrange(suspension_to_arrange(person, officer_east), officer_east)

    home = in_days(2)
    with at(home):  # the social worker rings: the person is home today
        change = services.set_recommencement(change, acting_user=officer_east, recommences_on=home)

    assert change.state == State.FINISHED
    assert last_step(change) == ("recommence", State.SUSPENDED, State.FINISHED)
    assert CarePackage.objects.get(pk=change.package_id).state == PackageState.ACTIVE


def test_it_recommences_on_the_day_set(case, person, officer_east):
    change = arrange(suspension_to_arrange(person, officer_east, ends=in_days(5)), officer_east)

    with at(in_days(5)):
        assert services.apply_due_changes() == 1

    change.refresh_from_db()
    assert change.state == State.FINISHED
    assert CarePackage.objects.get(pk=change.package_id).state == PackageState.ACTIVE


def test_it_does_not_recommence_before_the_day_set(case, person, officer_east):
    change = arrange(suspension_to_arrange(person, officer_east, ends=in_days(5)), officer_east)
    change = PackageChange.objects.get(pk=change.pk)
    refused(change, lambda: MACHINE.apply(change, "recommence", acting_user=officer_east), "recommences when that day")


def test_only_the_packages_team_recommences_it(case, person, officer_east, officer_west, social_worker):
    change = arrange(suspension_to_arrange(person, officer_east), officer_east)
    for who in (officer_west, social_worker):
        refused(
            change,
            lambda who=who: services.set_recommencement(change, acting_user=who, recommences_on=in_days(2)),
            "You do not have permission|Only the Brokerage team",
        )


# revert: arranged → finished -----------------------------------------------------------------------------------
def test_a_temporary_increase_reverts_on_its_end_date(case, person, cap_member, officer_east):
    change = arrange(increase_to_arrange(person, cap_member, officer_east, ends=in_days(8)), officer_east)

    with at(in_days(8)):
        assert services.apply_due_changes() == 1

    change.refresh_from_db()
    assert change.state == State.FINISHED
    assert last_step(change) == ("revert", State.ARRANGED, State.FINISHED)


def test_a_temporary_increase_does_not_revert_before_its_end_date(case, person, cap_member, officer_east):
    change = arrange(increase_to_arrange(person, cap_member, officer_east, ends=in_days(8)), officer_east)
    change = PackageChange.objects.get(pk=change.pk)
    refused(
        change,
        lambda: MACHINE.apply(change, "revert", acting_user=officer_east),
        "recommences when that day|Set the day",
    )


def test_a_lasting_increase_never_reverts(case, person, cap_member, officer_east):
    change = arrange(increase_to_arrange(person, cap_member, officer_east), officer_east)
    change = PackageChange.objects.get(pk=change.pk)
    refused(change, lambda: MACHINE.apply(change, "revert", acting_user=officer_east), "Only a temporary increase")


# stop: requested → stopped -------------------------------------------------------------------------------------
def test_withdrawing_the_referral_stops_its_change(case, person, officer_east, social_worker):
    change = suspension_to_arrange(person, officer_east)

    referral_services.withdraw_referral(change.referral, acting_user=social_worker, reason="Not going to hospital")

    change.refresh_from_db()
    assert change.state == State.STOPPED
    assert last_step(change) == ("stop", State.REQUESTED, State.STOPPED)


def test_a_change_is_not_stopped_while_its_referral_stands(case, person, officer_east, social_worker):
    change = PackageChange.objects.get(pk=suspension_to_arrange(person, officer_east).pk)
    refused(change, lambda: MACHINE.apply(change, "stop", acting_user=social_worker), "has not been withdrawn")


def test_an_arranged_change_is_not_stopped(case, person, officer_east, social_worker):
    change = arrange(reduction_to_arrange(person, officer_east), officer_east)
    refused(
        change,
        lambda: referral_services.withdraw_referral(change.referral, acting_user=social_worker, reason="Changed mind"),
        "cannot do this|cannot be",
    )


def _plan(worker, person):
    from people.tests.factories import make_plan

    return make_plan(worker, person, weekly_hours=15)


STEP_TESTS = {
    "arrange": (
        [
            "test_arranging_a_suspension_records_it_and_revises_the_order",
            "test_arranging_an_increase_takes_the_plans_hours",
        ],
        [
            "test_only_the_allocated_officer_arranges",
            "test_a_change_is_not_arranged_before_the_provider_is_told",
            "test_an_increase_is_never_arranged_without_its_approved_plan",
            "test_an_arranged_change_is_not_arranged_again",
        ],
    ),
    "suspend": (
        ["test_a_suspension_from_today_suspends_at_once", "test_a_later_suspension_is_suspended_on_its_first_day"],
        ["test_a_suspension_is_not_suspended_before_its_first_day", "test_an_increase_is_never_suspended"],
    ),
    "recommence": (
        ["test_the_officer_recommences_it_when_the_social_worker_says", "test_it_recommences_on_the_day_set"],
        ["test_it_does_not_recommence_before_the_day_set", "test_only_the_packages_team_recommences_it"],
    ),
    "revert": (
        ["test_a_temporary_increase_reverts_on_its_end_date"],
        [
            "test_a_temporary_increase_does_not_revert_before_its_end_date",
            "test_a_lasting_increase_never_reverts",
        ],
    ),
    "stop": (
        ["test_withdrawing_the_referral_stops_its_change"],
        ["test_a_change_is_not_stopped_while_its_referral_stands", "test_an_arranged_change_is_not_stopped"],
    ),
}
