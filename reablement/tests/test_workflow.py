"""The reablement case's machine (reablement.workflows): each step taken by its role from its state, and refused,
with its reason and nothing changed, by anyone else, from another state, or with what it needs missing."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail

from audit.models import AuditEvent
from core.exceptions import ActionRefused
from packages.models import CarePackage, PackageVersion
from packages.workflows import State as PackageState
from people.models import CareAndSupportPlan, Person
from purchase_orders.models import PurchaseOrder
from reablement import services
from reablement.models import REABLEMENT_MACHINE, CaseTransition, DailyCare, ReablementCase, Reassessment
from reablement.selectors import where_it_is
from reablement.workflows import NOT_SPA, State
from referrals.models import Referral
from referrals.workflows import State as ReferralState

from .factories import (
    HOURS,
    WEEKDAYS,
    accepted,
    planned,
    reassessed,
    referred,
    running,
    termination_requested,
    today,
    with_brokerage,
)

MACHINE = REABLEMENT_MACHINE
STEP_TESTS = {
    "accept": (
        ["test_spa_accepts_the_hospital_referral"],
        ["test_only_spa_screens[social_worker]", "test_only_spa_screens[officer_east]", "test_screened_once"],
    ),
    "not_accept": (
        ["test_spa_does_not_accept_saying_why"],
        ["test_not_accepting_needs_a_reason", "test_only_spa_screens[social_worker]"],
    ),
    "write_plan": (
        ["test_spa_writes_the_plan_with_a_daily_breakdown"],
        [
            "test_a_plan_missing_what_it_needs_is_refused[breakdown]",
            "test_a_plan_missing_what_it_needs_is_refused[worker]",
            "test_a_plan_missing_what_it_needs_is_refused[past]",
            "test_a_plan_missing_what_it_needs_is_refused[empty]",
            "test_only_spa_writes_the_plan",
            "test_screened_once",
        ],
    ),
    "send_to_brokerage": (
        ["test_sending_makes_a_referral_in_the_team_queue_without_the_panel"],
        ["test_a_social_worker_cannot_send_reablement_to_brokerage", "test_a_plan_is_sent_once_and_only_when_written"],
    ),
    "reassess": (
        ["test_spa_reassesses_for_an_increase", "test_a_decrease_with_evidence_is_sent"],
        [
            "test_a_decrease_without_evidence_is_refused",
            "test_no_reassessment_before_the_package_is_active",
            "test_only_spa_reassesses",
        ],
    ),
    "apply_change": (
        ["test_brokerage_applies_the_reassessment_and_the_provider_and_spa_are_told"],
        ["test_only_the_team_applies_a_reassessment", "test_nothing_to_apply_without_a_reassessment"],
    ),
    "request_termination": (
        [
            "test_spa_ends_reablement_for_an_allowed_reason[baseline]",
            "test_spa_ends_reablement_for_an_allowed_reason[in_hospital]",
        ],
        [
            "test_termination_for_another_reason_is_refused[under_a_week]",
            "test_termination_for_another_reason_is_refused[discharge_expected]",
            "test_termination_for_another_reason_is_refused[no_reason]",
            "test_termination_for_another_reason_is_refused[no_admission_date]",
            "test_only_spa_ends_reablement",
        ],
    ),
    "terminate": (
        ["test_brokerage_ends_the_package_and_the_provider_and_spa_are_told"],
        ["test_only_the_team_ends_the_package", "test_the_package_is_ended_only_when_spa_asked"],
    ),
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def footprint(case) -> dict:
    """Everything a step could change, to show a refusal changed nothing."""
    row = ReablementCase.objects.get(pk=case.pk)
    return {
        "case": {f.attname: getattr(row, f.attname) for f in ReablementCase._meta.concrete_fields},
        "transitions": CaseTransition.objects.count(),
        "reassessments": sorted(Reassessment.objects.values_list("pk", "weekly_hours", "applied_at")),
        "days": DailyCare.objects.count(),
        "plans": CareAndSupportPlan.objects.count(),
        "referrals": sorted(Referral.objects.values_list("pk", "state")),
        "packages": sorted(CarePackage.objects.values_list("pk", "state")),
        "versions": sorted(PackageVersion.objects.values_list("pk", "valid_to")),
        "orders": sorted(PurchaseOrder.objects.values_list("pk", "status")),
        "people": Person.objects.count(),
    }


def refused(case, act, match):
    before = footprint(case)
    with pytest.raises(ActionRefused, match=re.escape(match)):
        act()
    assert footprint(case) == before


def _log(case):
    return list(CaseTransition.objects.filter(case=case).values_list("name", "source", "target"))


# The hospital's referral and screening --------------------------------------------------------------------
def test_spa_records_the_hospital_referral_and_the_person(spa_worker, east_area):
    case = referred(spa_worker, east_area)
    assert case.state == State.REFERRED
    assert case.person.allocated_worker == spa_worker
    assert (case.hospital, case.ward) == ("Riverside General", "Elm ward")
    assert AuditEvent.objects.filter(object_id=str(case.pk), summary__startswith="Hospital pathway").exists()


def test_only_spa_records_a_hospital_referral(social_worker, east_area):
    with pytest.raises(ActionRefused, match="single point of access"):
        referred(social_worker, east_area)
    assert not ReablementCase.objects.exists() and not Person.objects.exists()


def test_spa_accepts_the_hospital_referral(spa_worker, east_area):
    case = services.accept_case(referred(spa_worker, east_area), acting_user=spa_worker)
    assert case.state == State.ACCEPTED
    assert _log(case) == [("accept", State.REFERRED, State.ACCEPTED)]
    assert [a.name for a in MACHINE.actions(case, spa_worker)] == ["write_plan"]


@pytest.mark.parametrize("who", ["social_worker", "officer_east"])
def test_only_spa_screens(who, request, spa_worker, east_area):
    case = referred(spa_worker, east_area)
    user = request.getfixturevalue(who)
    assert MACHINE.actions(case, user) == []
    refused(case, lambda: services.accept_case(case, acting_user=user), NOT_SPA)
    refused(case, lambda: services.not_accept_case(case, acting_user=user, reason="x"), NOT_SPA)


def test_screened_once(spa_worker, east_area):
    case = accepted(spa_worker, east_area)
    refused(case, lambda: services.accept_case(case, acting_user=spa_worker), "“accepted: plan to write”")
    done = services.send_to_brokerage(planned(spa_worker, east_area), acting_user=spa_worker)
    refused(
        done,
        lambda: services.write_plan(
            done, acting_user=spa_worker, weekly_hours=HOURS, start_date=today(), worker=spa_worker, days=WEEKDAYS
        ),
        "“with brokerage”",
    )


def test_spa_does_not_accept_saying_why(spa_worker, east_area):
    case = services.not_accept_case(
        referred(spa_worker, east_area), acting_user=spa_worker, reason="Needs a care home assessment instead."
    )
    assert (case.state, case.not_accepted_reason) == (State.NOT_ACCEPTED, "Needs a care home assessment instead.")
    assert MACHINE.actions(case, spa_worker) == []


def test_not_accepting_needs_a_reason(spa_worker, east_area):
    case = referred(spa_worker, east_area)
    refused(case, lambda: services.not_accept_case(case, acting_user=spa_worker, reason="  "), "Say why")


# The plan ------------------------------------------------------------------------------------------------
def test_spa_writes_the_plan_with_a_daily_breakdown(spa_worker, east_area, role_groups):
    from accounts.roles import Role
    from accounts.tests.factories import UserFactory

    worker = UserFactory(roles=[Role.SPA_WORKER])
    case = planned(spa_worker, east_area, worker=worker)
    assert (case.state, case.weekly_hours, case.start_date, case.worker) == (State.PLANNED, HOURS, today(), worker)
    assert [(d.day, d.hours, d.visits) for d in case.plan_days] == WEEKDAYS
    plan = case.plan
    assert (plan.service_type_id, plan.weekly_hours, plan.person_id) == ("reablement", HOURS, case.person_id)
    assert len(plan.visit_schedule) == 10 and plan.visit_schedule[0] == {
        "day": "Monday",
        "time": "08:00",
        "minutes": 60,
        "carers": 1,
    }
    assert [a.name for a in MACHINE.actions(case, spa_worker)] == ["send_to_brokerage"]


PLAN_PROBLEMS = {
    "breakdown": ({"days": [(1, Decimal("2"), 1)]}, "adds up to 2 hours, not the 10 hours"),
    "worker": ({"worker": "social_worker"}, "Name the reablement worker"),
    "past": ({"start_date": "yesterday"}, "cannot be in the past"),
    "empty": ({"days": []}, "Enter the breakdown by day"),
}


@pytest.mark.parametrize("problem", list(PLAN_PROBLEMS))
def test_a_plan_missing_what_it_needs_is_refused(problem, request, spa_worker, east_area):
    change, message = PLAN_PROBLEMS[problem]
    case = accepted(spa_worker, east_area)
    fields = {"weekly_hours": HOURS, "start_date": today(), "worker": spa_worker, "days": WEEKDAYS} | change
    if fields["worker"] == "social_worker":
        fields["worker"] = request.getfixturevalue("social_worker")
    if fields["start_date"] == "yesterday":
        fields["start_date"] = today() - timedelta(days=1)
    refused(case, lambda: services.write_plan(case, acting_user=spa_worker, **fields), message)


def test_only_spa_writes_the_plan(spa_worker, social_worker, east_area):
    case = accepted(spa_worker, east_area)
    refused(
        case,
        lambda: services.write_plan(
            case, acting_user=social_worker, weekly_hours=HOURS, start_date=today(), worker=spa_worker, days=WEEKDAYS
        ),
        NOT_SPA,
    )


# To Brokerage --------------------------------------------------------------------------------------------
def test_sending_makes_a_referral_in_the_team_queue_without_the_panel(spa_worker, east_area):
    case = with_brokerage(spa_worker, east_area)
    referral = case.referral
    assert case.state == State.WITH_BROKERAGE
    assert (referral.state, referral.service_type_id, referral.plan_id, referral.team_id) == (
        ReferralState.QUEUED,
        "reablement",
        case.plan_id,
        "east",
    )
    assert not referral.needs_funding
    assert where_it_is(case) == "With Brokerage: in the team queue"
    case.plan.refresh_from_db()
    assert case.plan.locked_at is not None


def test_a_social_worker_cannot_send_reablement_to_brokerage(spa_worker, social_worker, east_area):
    case = planned(spa_worker, east_area)
    assert MACHINE.actions(case, social_worker) == []
    refused(case, lambda: services.send_to_brokerage(case, acting_user=social_worker), "only through the single point")


def test_a_plan_is_sent_once_and_only_when_written(spa_worker, east_area):
    case = accepted(spa_worker, east_area)
    refused(case, lambda: services.send_to_brokerage(case, acting_user=spa_worker), "“accepted: plan to write”")
    sent = with_brokerage(spa_worker, east_area)
    refused(sent, lambda: services.send_to_brokerage(sent, acting_user=spa_worker), "“with brokerage”")


# Re-assessments ------------------------------------------------------------------------------------------
def test_spa_reassesses_for_an_increase(spa_worker, officer_east, east_area):
    case = running(spa_worker, east_area, officer_east)
    assert where_it_is(case).startswith("Active (CP-")
    case = reassessed(case, spa_worker)
    assert case.state == State.CHANGE_REQUESTED
    reassessment = case.pending_reassessment
    assert (reassessment.previous_hours, reassessment.weekly_hours, reassessment.is_decrease) == (
        HOURS,
        Decimal("15"),
        False,
    )
    assert [a.name for a in MACHINE.actions(case, officer_east)] == ["apply_change"]
    assert MACHINE.actions(case, spa_worker) == []


def test_a_decrease_with_evidence_is_sent(spa_worker, officer_east, east_area):
    case = running(spa_worker, east_area, officer_east)
    case = reassessed(
        case,
        spa_worker,
        hours=Decimal("5"),
        days=[(d, Decimal("1"), 1) for d in range(1, 6)],
        evidence="Washes and dresses alone now; only needs a prompt with meals.",
    )
    assert case.state == State.CHANGE_REQUESTED and case.pending_reassessment.is_decrease


def test_a_decrease_without_evidence_is_refused(spa_worker, officer_east, east_area):
    case = running(spa_worker, east_area, officer_east)
    refused(
        case,
        lambda: reassessed(case, spa_worker, hours=Decimal("5"), days=[(d, Decimal("1"), 1) for d in range(1, 6)]),
        "A decrease needs the evidence",
    )


def test_no_reassessment_before_the_package_is_active(spa_worker, east_area):
    case = with_brokerage(spa_worker, east_area)
    assert MACHINE.actions(case, spa_worker) == []
    refused(case, lambda: reassessed(case, spa_worker), "Brokerage has not started the package yet")


def test_only_spa_reassesses(spa_worker, officer_east, social_worker, east_area):
    case = running(spa_worker, east_area, officer_east)
    for user in (officer_east, social_worker):
        refused(case, lambda user=user: reassessed(case, user), NOT_SPA)


def test_brokerage_applies_the_reassessment_and_the_provider_and_spa_are_told(
    spa_worker, officer_east, east_area, django_capture_on_commit_callbacks
):
    from dps.tests.factories import provider_staff
    from providers.tests.factories import ProviderFactory

    provider = ProviderFactory()
    staff = provider_staff(provider)
    case = reassessed(running(spa_worker, east_area, officer_east, provider=provider), spa_worker)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.apply_reassessment(case, acting_user=officer_east)
    case = ReablementCase.objects.get(pk=case.pk)
    assert case.state == State.WITH_BROKERAGE and case.pending_reassessment is None
    versions = list(PackageVersion.objects.filter(package__referral=case.referral).order_by("valid_from"))
    assert [(v.weekly_hours, v.weekly_cost) for v in versions] == [
        (HOURS, Decimal("250.00")),
        (Decimal("15"), Decimal("375.00")),
    ]
    assert versions[0].valid_to == versions[1].valid_from == today() + timedelta(days=1)
    assert versions[1].visits.count() == 10 and versions[1].purchase_order.revision == 2
    assert case.hours_in_force == Decimal("15")
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    package = versions[0].package
    assert subjects[staff.email] == f"Reablement package {package.reference} changes"
    assert subjects[spa_worker.email] == f"Reablement package {package.reference} changes ({case.reference})"
    for message in mail.outbox:
        assert case.person.last_name not in message.body and case.person.postcode not in message.body


def test_only_the_team_applies_a_reassessment(spa_worker, officer_east, officer_west, east_area):
    case = reassessed(running(spa_worker, east_area, officer_east), spa_worker)
    for user in (spa_worker, officer_west):
        refused(case, lambda user=user: services.apply_reassessment(case, acting_user=user), NOT_SPA)


def test_nothing_to_apply_without_a_reassessment(spa_worker, officer_east, east_area):
    case = running(spa_worker, east_area, officer_east)
    refused(case, lambda: services.apply_reassessment(case, acting_user=officer_east), "“with brokerage”")


# The ending ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("reason", ["baseline", "in_hospital"])
def test_spa_ends_reablement_for_an_allowed_reason(reason, spa_worker, officer_east, east_area):
    case = running(spa_worker, east_area, officer_east)
    admitted = today() - timedelta(days=8) if reason == "in_hospital" else None
    case = services.request_termination(
        case, acting_user=spa_worker, reason=reason, last_day=today() + timedelta(days=2), admitted_on=admitted
    )
    assert (case.state, case.termination_reason, case.admitted_on) == (State.TERMINATION_REQUESTED, reason, admitted)
    assert [a.name for a in MACHINE.actions(case, officer_east)] == ["terminate"]


ENDING_PROBLEMS = {
    "under_a_week": ({"reason": "in_hospital", "admitted_on": -3}, "less than a week ago"),
    "discharge_expected": (
        {"reason": "in_hospital", "admitted_on": -10, "discharge_expected": True},
        "A discharge date is expected",
    ),
    "no_reason": ({"reason": "moved_away"}, "Choose why reablement is ending"),
    "no_admission_date": ({"reason": "in_hospital"}, "Enter the date the person was admitted"),
}


@pytest.mark.parametrize("problem", list(ENDING_PROBLEMS))
def test_termination_for_another_reason_is_refused(problem, spa_worker, officer_east, east_area):
    fields, message = ENDING_PROBLEMS[problem]
    case = running(spa_worker, east_area, officer_east)
    fields = dict(fields)
    if "admitted_on" in fields:
        fields["admitted_on"] = today() + timedelta(days=fields["admitted_on"])
    refused(
        case,
        lambda: services.request_termination(
            case, acting_user=spa_worker, last_day=today() + timedelta(days=2), **fields
        ),
        message,
    )


def test_only_spa_ends_reablement(spa_worker, social_worker, officer_east, east_area):
    case = running(spa_worker, east_area, officer_east)
    for user in (social_worker, officer_east):
        refused(
            case,
            lambda user=user: services.request_termination(
                case, acting_user=user, reason="baseline", last_day=today() + timedelta(days=2)
            ),
            NOT_SPA,
        )


def test_brokerage_ends_the_package_and_the_provider_and_spa_are_told(
    spa_worker, officer_east, east_area, django_capture_on_commit_callbacks
):
    from dps.tests.factories import provider_staff
    from providers.tests.factories import ProviderFactory

    provider = ProviderFactory()
    staff = provider_staff(provider)
    case = termination_requested(running(spa_worker, east_area, officer_east, provider=provider), spa_worker)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.terminate(case, acting_user=officer_east)
    case = ReablementCase.objects.get(pk=case.pk)
    package = CarePackage.objects.get(referral=case.referral)
    assert (case.state, package.state) == (State.TERMINATED, PackageState.ENDED)
    assert package.versions.get().last_day == case.last_day
    assert where_it_is(case) == f"Ended ({package.reference})"
    assert {m.to[0] for m in mail.outbox} >= {staff.email, spa_worker.email}
    assert all(m.subject.startswith(f"Reablement package {package.reference} ends") for m in mail.outbox)


def test_only_the_team_ends_the_package(spa_worker, officer_east, officer_west, east_area):
    case = termination_requested(running(spa_worker, east_area, officer_east), spa_worker)
    for user in (spa_worker, officer_west):
        refused(case, lambda user=user: services.terminate(case, acting_user=user), NOT_SPA)


def test_the_package_is_ended_only_when_spa_asked(spa_worker, officer_east, east_area):
    case = running(spa_worker, east_area, officer_east)
    refused(case, lambda: services.terminate(case, acting_user=officer_east), "“with brokerage”")
