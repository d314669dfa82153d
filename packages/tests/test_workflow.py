"""The care package's state machine (packages.workflows): each transition allowed from its state by its team, and
refused, with its reason and nothing changed, from any other state, by anyone else, or with a condition unmet.
Every transition is logged: who, when, from, to and why, in the package's history and on the audit trail."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from audit.models import AuditEvent
from brokerage.models import ServiceAgreement
from commissioning.services import issue_purchase_order
from core.exceptions import ActionRefused
from dps.tests.factories import active, awarded
from packages.models import PACKAGE_MACHINE, CarePackage, PackageAgreement, PackageTransition, PackageVersion
from packages.services import (
    apply_transition,
    end_package,
    recommence_package,
    set_recommencement,
    suspend_package,
)
from packages.workflows import State
from purchase_orders.models import PurchaseOrder

from .factories import in_days, pending_package


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def footprint(package) -> dict:
    """Everything a package's transition could change, to show a refusal changed nothing."""
    return {
        "state": CarePackage.objects.get(pk=package.pk).state,
        "transitions": PackageTransition.objects.count(),
        "versions": sorted(PackageVersion.objects.values_list("pk", "valid_from", "valid_to", "purchase_order")),
        "agreements": sorted(PackageAgreement.objects.values_list("pk", "valid_from", "valid_to")),
        "service_agreements": sorted(ServiceAgreement.objects.values_list("pk", "end_date", "status")),
        "orders": sorted(PurchaseOrder.objects.values_list("pk", "status", "last_day")),
    }


def refused(package, act, match):
    before = footprint(package)
    with pytest.raises(ActionRefused, match=match):
        act()
    assert footprint(package) == before


# start: pending start → active ---------------------------------------------------------------------------
def test_the_first_purchase_order_starts_the_package(person, cap_member, officer_east):
    case = active(person, cap_member, officer_east)

    package = CarePackage.objects.get(pk=case.package.pk)

    assert package.state == State.ACTIVE
    log = PackageTransition.objects.get(package=package)
    assert (log.name, log.source, log.target, log.by, log.note) == (
        "start",
        State.PENDING_START,
        State.ACTIVE,
        officer_east,
        f"Purchase order {case.order.number}",
    )
    audit = AuditEvent.objects.get(
        action=AuditEvent.Action.TRANSITIONED, content_type__model="carepackage", object_id=str(package.pk)
    )
    assert (audit.actor, audit.person, audit.summary) == (officer_east, person, "start: pending_start → active")


def test_a_package_without_a_purchase_order_does_not_start(person, cap_member, officer_east):
    package = pending_package(awarded(person, cap_member, officer_east))
    refused(
        package,
        lambda: apply_transition(package, "start", acting_user=officer_east),
        "Issue the package's first purchase order first",
    )


@pytest.mark.parametrize("who", ["officer_west", "social_worker", "cap_member"])
def test_only_its_team_starts_a_package(request, person, cap_member, officer_east, who):
    case = awarded(person, cap_member, officer_east)
    package = pending_package(case)
    refused(
        package,
        lambda: apply_transition(package, "start", acting_user=request.getfixturevalue(who)),
        "Only the Brokerage team working this case",
    )


def test_an_active_package_does_not_start_again(person, cap_member, officer_east):
    package = active(person, cap_member, officer_east).package
    refused(
        package,
        lambda: apply_transition(package, "start", acting_user=officer_east),
        "A package that is “active” cannot do this",
    )


# end: pending start, active or suspended → ended ---------------------------------------------------------
def test_ending_an_active_package_ends_its_terms_agreement_and_order(person, cap_member, officer_east):
    case = active(person, cap_member, officer_east)
    last_day = case.agreement.start_date + timedelta(days=30)

    package = end_package(case.package, acting_user=officer_east, last_day=last_day, reason="Moved to a care home")

    assert package.state == State.ENDED
    version = PackageVersion.objects.get(package=package)
    assert (version.valid_to, version.last_day) == (last_day + timedelta(days=1), last_day)
    assert PackageAgreement.objects.get(package=package).valid_to == last_day + timedelta(days=1)
    assert ServiceAgreement.objects.get(pk=case.agreement.pk).end_date == last_day
    order = PurchaseOrder.objects.get(pk=case.order.pk)
    assert (order.status, order.last_day) == (PurchaseOrder.Status.CLOSED, last_day)
    log = PackageTransition.objects.filter(package=package).last()
    assert (log.name, log.source, log.target, log.by) == ("end", State.ACTIVE, State.ENDED, officer_east)
    assert log.note == f"Last day {last_day:%-d %B %Y}: Moved to a care home"
    assert AuditEvent.objects.filter(object_id=str(package.pk), summary="end: active → ended").exists()


def test_a_package_pending_start_can_end_with_no_order_to_close(person, cap_member, officer_east):
    case = awarded(person, cap_member, officer_east)
    package = pending_package(case)

    end_package(package, acting_user=officer_east, last_day=case.agreement.start_date, reason="No longer needed")

    assert CarePackage.objects.get(pk=package.pk).state == State.ENDED
    assert not PurchaseOrder.objects.exists()


def test_an_ended_package_does_not_end_again(person, cap_member, officer_east):
    case = active(person, cap_member, officer_east)
    end_package(case.package, acting_user=officer_east, last_day=in_days(10), reason="Moved away")
    refused(
        case.package,
        lambda: end_package(case.package, acting_user=officer_east, last_day=in_days(20), reason="Again"),
        "has already ended",
    )
    ended = CarePackage.objects.get(pk=case.package.pk)
    refused(
        ended,
        lambda: apply_transition(ended, "end", acting_user=officer_east),
        "A package that is “ended” cannot do this",
    )


@pytest.mark.parametrize("who", ["officer_west", "social_worker"])
def test_only_its_team_ends_a_package(request, person, cap_member, officer_east, who):
    package = active(person, cap_member, officer_east).package
    user = request.getfixturevalue(who)
    refused(
        package,
        lambda: end_package(package, acting_user=user, last_day=in_days(10), reason="Moved away"),
        "Only the Brokerage team working this case",
    )


def test_ending_needs_a_reason_and_a_last_day_once_the_terms_began(person, cap_member, officer_east):
    case = active(person, cap_member, officer_east)
    package, start = case.package, case.agreement.start_date
    refused(package, lambda: end_package(package, acting_user=officer_east, last_day=start, reason=" "), "Say why")
    refused(
        package,
        lambda: end_package(package, acting_user=officer_east, last_day=start - timedelta(days=1), reason="Gone"),
        "The last day cannot be before the current terms began",
    )


def test_the_end_transition_needs_the_last_day_set(person, cap_member, officer_east):
    """The condition the service meets by ending the terms first."""
    package = active(person, cap_member, officer_east).package
    refused(
        package,
        lambda: apply_transition(package, "end", acting_user=officer_east),
        "Set the package's last day of service first",
    )


# suspend: active → suspended; recommence: suspended → active --------------------------------------------------
def _running_today(person, cap_member, officer_east):
    return active(person, cap_member, officer_east, start_date=timezone.localdate())


def test_a_suspension_from_today_suspends_the_package(person, cap_member, officer_east):
    case = _running_today(person, cap_member, officer_east)

    suspend_package(
        case.package, acting_user=officer_east, starts_on=timezone.localdate(), recommences_on=None, reason="hospital"
    )

    package = CarePackage.objects.get(pk=case.package.pk)
    assert package.state == State.SUSPENDED
    log = PackageTransition.objects.filter(package=package).last()
    assert (log.name, log.source, log.target, log.by) == ("suspend", State.ACTIVE, State.SUSPENDED, officer_east)
    assert log.note == f"Suspended from {timezone.localdate():%-d %B %Y}: hospital admission"


def test_a_package_is_not_suspended_before_its_suspension_starts(person, cap_member, officer_east):
    case = _running_today(person, cap_member, officer_east)
    suspend_package(case.package, acting_user=officer_east, starts_on=in_days(3), recommences_on=None, reason="holiday")
    package = CarePackage.objects.get(pk=case.package.pk)
    assert package.state == State.ACTIVE

    refused(
        package,
        lambda: apply_transition(package, "suspend", acting_user=officer_east),
        "The suspension has not started yet: it begins on its first day",
    )


@pytest.mark.parametrize("who", ["officer_west", "social_worker"])
def test_only_its_team_suspends_a_package(request, person, cap_member, officer_east, who):
    case = _running_today(person, cap_member, officer_east)
    refused(
        case.package,
        lambda: suspend_package(
            case.package,
            acting_user=request.getfixturevalue(who),
            starts_on=timezone.localdate(),
            recommences_on=None,
            reason="hospital",
        ),
        "Only the Brokerage team working this case",
    )


def test_a_package_pending_start_is_not_suspended(person, cap_member, officer_east):
    package = pending_package(awarded(person, cap_member, officer_east))
    refused(
        package,
        lambda: apply_transition(package, "suspend", acting_user=officer_east),
        "A package that is “pending start” cannot do this",
    )


def test_the_day_it_recommences_the_package_is_active_again(person, cap_member, officer_east):
    case = _running_today(person, cap_member, officer_east)
    today = timezone.localdate()
    suspension = suspend_package(
        case.package, acting_user=officer_east, starts_on=today, recommences_on=None, reason="hospital"
    )

    set_recommencement(suspension, acting_user=officer_east, recommences_on=today + timedelta(days=1))
    with time_machine.travel(today + timedelta(days=1, hours=9)):
        package = recommence_package(case.package, acting_user=officer_east)

    assert CarePackage.objects.get(pk=package.pk).state == State.ACTIVE
    log = PackageTransition.objects.filter(package=package).last()
    assert (log.name, log.source, log.target) == ("recommence", State.SUSPENDED, State.ACTIVE)


def test_a_package_does_not_recommence_while_its_suspension_goes_on(person, cap_member, officer_east):
    case = _running_today(person, cap_member, officer_east)
    suspend_package(
        case.package,
        acting_user=officer_east,
        starts_on=timezone.localdate(),
        recommences_on=in_days(5),
        reason="holiday",
    )
    package = CarePackage.objects.get(pk=case.package.pk)
    refused(
        package,
        lambda: apply_transition(package, "recommence", acting_user=officer_east),
        "The service is suspended until its recommencement date",
    )


def test_only_its_team_recommences_a_package(person, cap_member, officer_east, officer_west):
    case = _running_today(person, cap_member, officer_east)
    today = timezone.localdate()
    suspend_package(case.package, acting_user=officer_east, starts_on=today, recommences_on=in_days(1), reason="other")
    with time_machine.travel(today + timedelta(days=1, hours=9)):
        package = CarePackage.objects.get(pk=case.package.pk)
        refused(
            package,
            lambda: apply_transition(package, "recommence", acting_user=officer_west),
            "Only the Brokerage team working this case",
        )


def test_an_active_package_does_not_recommence(person, cap_member, officer_east):
    package = _running_today(person, cap_member, officer_east).package
    refused(
        package,
        lambda: apply_transition(package, "recommence", acting_user=officer_east),
        "A package that is “active” cannot do this",
    )


def test_commissioning_a_migrated_package_starts_it_rather_than_making_another(person, cap_member, officer_east):
    case = awarded(person, cap_member, officer_east)
    package = pending_package(case)

    version = issue_purchase_order(case.commission, acting_user=officer_east)

    assert version.package == package and CarePackage.objects.count() == 1
    assert CarePackage.objects.get(pk=package.pk).state == State.ACTIVE
    assert version.purchase_order.agreement == case.agreement


# Each step's tests, allowed and refused: core/tests/test_workflow.py fails if a step has neither.
MACHINE = PACKAGE_MACHINE
STEP_TESTS = {
    "suspend": (
        ["test_a_suspension_from_today_suspends_the_package"],
        [
            "test_a_package_is_not_suspended_before_its_suspension_starts",
            "test_only_its_team_suspends_a_package",
            "test_a_package_pending_start_is_not_suspended",
        ],
    ),
    "recommence": (
        ["test_the_day_it_recommences_the_package_is_active_again"],
        [
            "test_a_package_does_not_recommence_while_its_suspension_goes_on",
            "test_only_its_team_recommences_a_package",
            "test_an_active_package_does_not_recommence",
        ],
    ),
    "start": (
        ["test_the_first_purchase_order_starts_the_package"],
        [
            "test_a_package_without_a_purchase_order_does_not_start",
            "test_only_its_team_starts_a_package",
            "test_an_active_package_does_not_start_again",
        ],
    ),
    "end": (
        [
            "test_ending_an_active_package_ends_its_terms_agreement_and_order",
            "test_a_package_pending_start_can_end_with_no_order_to_close",
        ],
        [
            "test_an_ended_package_does_not_end_again",
            "test_only_its_team_ends_a_package",
            "test_the_end_transition_needs_the_last_day_set",
        ],
    ),
}
