"""The shared lives arrangement's state machine (shared_lives.workflows): each step taken from its state by its role
with its data, and refused, with its reason and nothing changed, from any other state, by anyone else, or with data
missing. Every step is logged: who, when, from, to and why."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from approvals.models import Approval
from audit.models import AuditEvent
from brokerage.models import ServiceAgreement
from core.exceptions import ActionRefused
from packages.models import CarePackage
from people.access import can_view_person
from purchase_orders.models import PurchaseOrder
from referrals.models import Referral
from referrals.services import create_referral, withdraw_referral
from reviews.models import Review
from shared_lives import services
from shared_lives.access import access_arrangement
from shared_lives.models import ARRANGEMENT_MACHINE, ArrangementTransition, SharedLivesArrangement, Visit
from shared_lives.workflows import State

from . import factories as f

MACHINE = ARRANGEMENT_MACHINE
pytestmark = pytest.mark.django_db


def footprint(arrangement) -> dict:
    """Everything an arrangement's step could change, to show a refusal changed nothing."""
    return {
        "arrangement": SharedLivesArrangement.objects.filter(pk=arrangement.pk).values().get(),
        "steps": ArrangementTransition.objects.count(),
        "visits": list(Visit.objects.order_by("id").values()),
        "approvals": list(Approval.objects.order_by("id").values("id", "kind", "state", "approved_weekly_amount")),
        "referrals": list(Referral.objects.order_by("id").values("id", "state")),
        "agreements": ServiceAgreement.objects.count(),
        "packages": CarePackage.objects.count(),
        "orders": PurchaseOrder.objects.count(),
        "reviews": Review.objects.count(),
        "audit": AuditEvent.objects.exclude(action=AuditEvent.Action.REFUSED).count(),
    }


def refused(arrangement, act, match: str) -> None:
    before = footprint(arrangement)
    with pytest.raises(ActionRefused, match=match):
        act()
    assert footprint(arrangement) == before


def last_step(arrangement) -> tuple:
    step = ArrangementTransition.objects.filter(arrangement=arrangement).latest("id")
    return step.name, step.source, step.target, step.by


def yesterday():
    return timezone.localdate() - timedelta(days=1)


# The referral to the scheme ------------------------------------------------------------------------------------
def test_the_social_worker_refers_the_person_to_the_scheme(person):
    case = f.referred(person)
    arrangement = case.arrangement
    assert arrangement.state == State.REFERRED
    assert arrangement.scheme_id == case.scheme_user.provider_id
    assert AuditEvent.objects.filter(person=person, summary__startswith="Referred to").exists()
    # The scheme's staff may now open it; another scheme's may not.
    assert access_arrangement(case.scheme_user, arrangement.pk) == arrangement
    with pytest.raises(Exception, match="No such"):
        access_arrangement(f.scheme_user(f.scheme("Another Scheme")), arrangement.pk)


def test_refer_refused_for_a_plan_of_another_service(person, social_worker):
    from people.tests.factories import make_plan

    plan = make_plan(social_worker, person)
    with pytest.raises(ActionRefused, match="plan for shared lives"):
        services.refer_to_scheme(acting_user=social_worker, person=person, plan=plan, scheme=f.scheme())
    assert not SharedLivesArrangement.objects.exists()


def test_refer_refused_twice_for_one_plan(person, social_worker):
    case = f.referred(person)
    with pytest.raises(ActionRefused, match="already has a shared lives arrangement"):
        services.refer_to_scheme(
            acting_user=social_worker, person=person, plan=case.arrangement.plan, scheme=case.arrangement.scheme
        )
    assert SharedLivesArrangement.objects.count() == 1


def test_refer_refused_to_another_social_worker_and_to_a_provider_not_a_scheme(person, other_social_worker):
    from providers.tests.factories import ProviderServiceFactory

    plan = f.shared_lives_plan(person.allocated_worker, person)
    with pytest.raises(ActionRefused, match="Only the person's social worker"):
        services.refer_to_scheme(acting_user=other_social_worker, person=person, plan=plan, scheme=f.scheme())
    home_care = ProviderServiceFactory().provider
    with pytest.raises(ActionRefused, match="shared lives scheme from the list"):
        services.refer_to_scheme(acting_user=person.allocated_worker, person=person, plan=plan, scheme=home_care)
    assert not SharedLivesArrangement.objects.exists()


# The match -------------------------------------------------------------------------------------------------------
def test_the_scheme_records_the_match(person):
    case = f.referred(person)
    services.record_match(
        case.arrangement, acting_user=case.scheme_user, carer_name=" Maria Lopes ", notes="Likes dogs"
    )
    arrangement = case.refresh().arrangement
    assert arrangement.state == State.MATCHED and arrangement.carer_name == "Maria Lopes"
    assert last_step(arrangement) == ("record_match", "referred", "matched", case.scheme_user)


def test_match_refused_without_a_carer_name(person):
    case = f.referred(person)
    refused(
        case.arrangement,
        lambda: services.record_match(case.arrangement, acting_user=case.scheme_user, carer_name="  "),
        "Name the matched shared lives carer",
    )


def test_match_refused_to_the_social_worker(person):
    case = f.referred(person)
    refused(
        case.arrangement,
        lambda: services.record_match(case.arrangement, acting_user=case.worker, carer_name="Maria"),
        "permission",
    )


def test_match_refused_to_another_scheme(person):
    case = f.referred(person)
    other = f.scheme_user(f.scheme("Another Scheme"))
    refused(
        case.arrangement,
        lambda: services.record_match(case.arrangement, acting_user=other, carer_name="Maria"),
        "permission",
    )


def test_no_match_ends_the_arrangement_and_the_scheme_no_longer_sees_it(person):
    case = f.referred(person)
    services.record_no_match(case.arrangement, acting_user=case.scheme_user, reason="No carer near Eastbrook")
    arrangement = case.refresh().arrangement
    assert arrangement.state == State.NO_MATCH and arrangement.ending_reason == "No carer near Eastbrook"
    with pytest.raises(Exception, match="No such"):
        access_arrangement(case.scheme_user, arrangement.pk)
    # The plan may be referred again.
    services.refer_to_scheme(acting_user=case.worker, person=person, plan=arrangement.plan, scheme=arrangement.scheme)


def test_no_match_refused_without_a_reason(person):
    case = f.referred(person)
    refused(
        case.arrangement,
        lambda: services.record_no_match(case.arrangement, acting_user=case.scheme_user, reason=" "),
        "Say why the arrangement ends",
    )


def test_no_match_refused_once_matched(person):
    case = f.matched(person)
    refused(
        case.arrangement,
        lambda: services.record_no_match(case.arrangement, acting_user=case.scheme_user, reason="Changed our minds"),
        "cannot do this",
    )


# Tasters and trial stays ---------------------------------------------------------------------------------------------
def test_a_taster_is_recorded_once_and_not_in_the_future_nor_before_the_match(person):
    case = f.matched(person)
    services.record_visit(
        case.arrangement, acting_user=case.scheme_user, kind="taster", on=yesterday(), outcome="did_not"
    )
    for day, match in ((yesterday(), "already recorded"), (timezone.localdate() + timedelta(days=1), "future")):
        refused(
            case.arrangement,
            lambda day=day: services.record_visit(
                case.arrangement, acting_user=case.scheme_user, kind="taster", on=day, outcome="went_well"
            ),
            match,
        )
    refused(
        case.arrangement,
        lambda: services.record_visit(
            case.arrangement, acting_user=case.scheme_user, kind="trial_stay", on=yesterday(), outcome="went_well"
        ),
        "once the taster sessions have gone well",
    )
    refused(
        case.arrangement,
        lambda: services.record_visit(
            case.arrangement, acting_user=case.worker, kind="taster", on=yesterday(), outcome="went_well"
        ),
        "Only the shared lives scheme",
    )
    early = f.referred(person, provider=f.scheme("Early Scheme"))
    refused(
        early.arrangement,
        lambda: services.record_visit(
            early.arrangement, acting_user=early.scheme_user, kind="taster", on=yesterday(), outcome="went_well"
        ),
        "after the match",
    )


def test_trial_stays_start_after_a_taster_went_well(person):
    case = f.tasters_done(person)
    services.start_trial_stays(case.arrangement, acting_user=case.scheme_user)
    arrangement = case.refresh().arrangement
    assert arrangement.state == State.TRIAL_STAYS
    assert last_step(arrangement) == ("start_trial_stays", "matched", "trial_stays", case.scheme_user)


def test_trial_stays_refused_when_no_taster_went_well(person):
    case = f.matched(person)
    services.record_visit(
        case.arrangement, acting_user=case.scheme_user, kind="taster", on=yesterday(), outcome="did_not"
    )
    refused(
        case.arrangement,
        lambda: services.start_trial_stays(case.arrangement, acting_user=case.scheme_user),
        "No taster session has gone well yet",
    )


def test_trial_stays_refused_to_the_social_worker(person):
    case = f.tasters_done(person)
    refused(
        case.arrangement, lambda: services.start_trial_stays(case.arrangement, acting_user=case.worker), "permission"
    )


# The panel ----------------------------------------------------------------------------------------------------------
def test_the_social_worker_presents_the_case_at_the_panel(person, cap_member):
    case = f.stays_done(person)
    assert not can_view_person(cap_member, person)
    services.send_to_panel(case.arrangement, acting_user=case.worker)
    arrangement = case.refresh().arrangement
    assert arrangement.state == State.AT_PANEL
    approval = arrangement.panel_approval
    assert approval.kind == Approval.Kind.PANEL and approval.state == Approval.State.REQUESTED
    assert approval.plan_id == arrangement.plan_id
    assert can_view_person(cap_member, person)  # the panel sees the person while the case waits for it


def test_panel_refused_before_a_trial_stay_went_well(person):
    case = f.trial_stays(person)
    refused(
        case.arrangement,
        lambda: services.send_to_panel(case.arrangement, acting_user=case.worker),
        "No overnight trial stay has gone well yet",
    )


def test_panel_refused_before_the_trial_stays(person):
    case = f.tasters_done(person)
    refused(case.arrangement, lambda: services.send_to_panel(case.arrangement, acting_user=case.worker), "cannot do")


def test_panel_refused_to_the_scheme(person):
    case = f.stays_done(person)
    refused(
        case.arrangement, lambda: services.send_to_panel(case.arrangement, acting_user=case.scheme_user), "permission"
    )


def test_the_panel_approves_funding(person, cap_member):
    case = f.at_panel(person)
    services.decide_funding(
        case.arrangement, acting_user=cap_member, decision="approved", approved_weekly_amount=Decimal("450.00")
    )
    arrangement = case.refresh().arrangement
    assert arrangement.state == State.FUNDED and arrangement.approved_amount == Decimal("450.00")
    assert arrangement.panel_approval.state == Approval.State.APPROVED
    assert last_step(arrangement) == ("approve_funding", "at_panel", "funded", cap_member)
    assert not can_view_person(cap_member, person)  # the panel's need ends with its decision


def test_approval_refused_to_the_social_worker(person):
    case = f.at_panel(person)
    refused(
        case.arrangement,
        lambda: services.decide_funding(
            case.arrangement, acting_user=case.worker, decision="approved", approved_weekly_amount=Decimal("450")
        ),
        "Only a Care Authorisation Panel member",
    )


def test_approval_refused_without_an_amount(person, cap_member):
    case = f.at_panel(person)
    refused(
        case.arrangement,
        lambda: services.decide_funding(case.arrangement, acting_user=cap_member, decision="approved"),
        "Enter the weekly amount",
    )


def test_the_panel_declines_and_the_case_can_be_presented_again(person, cap_member):
    case = f.at_panel(person)
    services.decide_funding(case.arrangement, acting_user=cap_member, decision="declined", notes="More stays first")
    arrangement = case.refresh().arrangement
    assert arrangement.state == State.TRIAL_STAYS and arrangement.panel_approval is None
    assert last_step(arrangement) == ("decline_funding", "at_panel", "trial_stays", cap_member)
    services.send_to_panel(arrangement, acting_user=case.worker)
    assert Approval.objects.filter(plan=arrangement.plan, state=Approval.State.REQUESTED).count() == 1


def test_decline_refused_without_a_reason(person, cap_member):
    case = f.at_panel(person)
    refused(
        case.arrangement,
        lambda: services.decide_funding(case.arrangement, acting_user=cap_member, decision="declined"),
        "Say why funding is declined",
    )


def test_decline_refused_before_the_panel(person, cap_member):
    case = f.stays_done(person)
    refused(
        case.arrangement,
        lambda: services.decide_funding(case.arrangement, acting_user=cap_member, decision="declined", notes="No"),
        "cannot do this",
    )


def test_the_panel_defers(person, cap_member):
    case = f.at_panel(person)
    services.decide_funding(case.arrangement, acting_user=cap_member, decision="deferred", notes="Next week")
    arrangement = case.refresh().arrangement
    assert arrangement.state == State.AT_PANEL
    assert arrangement.panel_approval.state == Approval.State.DEFERRED
    assert last_step(arrangement) == ("defer_funding", "at_panel", "at_panel", cap_member)
    services.decide_funding(arrangement, acting_user=cap_member, decision="approved", approved_weekly_amount=f.APPROVED)
    assert case.refresh().arrangement.state == State.FUNDED


def test_defer_refused_to_an_officer(person, officer_east):
    case = f.at_panel(person)
    refused(
        case.arrangement,
        lambda: services.decide_funding(case.arrangement, acting_user=officer_east, decision="deferred"),
        "Only a Care Authorisation Panel member",
    )


# Brokerage -----------------------------------------------------------------------------------------------------------
def test_the_funded_plan_goes_to_the_team_queue(person, cap_member):
    case = f.funded(person, cap_member)
    services.send_to_brokerage(case.arrangement, acting_user=case.worker)
    arrangement = case.refresh().arrangement
    referral = case.referral
    assert arrangement.state == State.WITH_BROKERAGE
    assert referral.state == "queued" and referral.plan_id == arrangement.plan_id
    assert referral.service_type_id == "shared_lives" and arrangement.reference in referral.details
    assert last_step(arrangement) == ("send_to_brokerage", "funded", "with_brokerage", case.worker)


def test_send_to_brokerage_refused_to_the_scheme(person, cap_member):
    case = f.funded(person, cap_member)
    refused(
        case.arrangement,
        lambda: services.send_to_brokerage(case.arrangement, acting_user=case.scheme_user),
        "permission",
    )


def test_send_to_brokerage_refused_before_funding(person):
    case = f.stays_done(person)
    refused(
        case.arrangement, lambda: services.send_to_brokerage(case.arrangement, acting_user=case.worker), "cannot do"
    )


@pytest.mark.parametrize("stage", ["none", "trial_stays", "funded"])
def test_a_shared_lives_referral_to_brokerage_is_refused_outside_its_arrangement(person, cap_member, stage):
    """The order of the procedure holds: a plan reaches Brokerage (and so the panel's decision on a referral) only
    once the tasters and stays went well and the panel funded it, and then from the arrangement."""
    if stage == "none":
        plan = f.shared_lives_plan(person.allocated_worker, person)
        match = "Refer the person to a shared lives scheme first"
    elif stage == "trial_stays":
        plan = f.stays_done(person).arrangement.plan
        match = "once the taster sessions and overnight trial stays have gone well"
    else:
        plan = f.funded(person, cap_member).arrangement.plan
        match = "from its shared lives arrangement"
    with pytest.raises(ActionRefused, match=match):
        create_referral(
            acting_user=person.allocated_worker,
            person=person,
            kind=Referral.Kind.SUPPORT_PLAN,
            service_type="shared_lives",
            details="Shared lives",
            plan=plan,
        )
    assert not Referral.objects.exists()


def test_taking_the_referral_gives_the_officer_the_arrangement(person, cap_member, officer_east):
    case = f.taken(person, cap_member, officer_east)
    assert case.referral.state == "allocated" and case.arrangement.state == State.WITH_BROKERAGE
    assert case.referral.own_work == case.arrangement
    assert access_arrangement(officer_east, case.arrangement.pk) == case.arrangement


def test_the_officer_commissions_within_the_approved_amount(person, cap_member, officer_east):
    case = f.taken(person, cap_member, officer_east)
    start = timezone.localdate() + timedelta(days=7)
    services.commission(case.arrangement, acting_user=officer_east, weekly_cost=Decimal("420.00"), start_date=start)
    arrangement = case.refresh().arrangement
    assert arrangement.state == State.COMMISSIONED
    agreement = arrangement.agreement
    assert agreement.provider_id == arrangement.scheme_id and agreement.weekly_cost == Decimal("420.00")
    assert PurchaseOrder.objects.filter(agreement=agreement).count() == 1
    assert case.referral.state == "active"
    assert set(Review.objects.filter(package=arrangement.package).values_list("kind", flat=True)) == {
        "six_week",
        "twelve_month",
    }
    assert last_step(arrangement)[:3] == ("commission", "with_brokerage", "commissioned")


def test_commission_refused_above_the_approved_amount(person, cap_member, officer_east):
    case = f.taken(person, cap_member, officer_east)
    refused(
        case.arrangement,
        lambda: services.commission(
            case.arrangement,
            acting_user=officer_east,
            weekly_cost=Decimal("450.01"),
            start_date=timezone.localdate() + timedelta(days=7),
        ),
        "within the panel's approved weekly amount",
    )


def test_commission_refused_before_an_officer_takes_the_referral(person, cap_member, officer_east):
    case = f.with_brokerage(person, cap_member)
    refused(
        case.arrangement,
        lambda: services.commission(
            case.arrangement, acting_user=officer_east, weekly_cost=f.COST, start_date=timezone.localdate()
        ),
        "permission",
    )


def test_commission_refused_to_another_officer_and_with_a_past_start(
    person, cap_member, officer_east, other_officer_east
):
    case = f.taken(person, cap_member, officer_east)
    refused(
        case.arrangement,
        lambda: services.commission(
            case.arrangement, acting_user=other_officer_east, weekly_cost=f.COST, start_date=timezone.localdate()
        ),
        "permission",
    )
    refused(
        case.arrangement,
        lambda: services.commission(
            case.arrangement, acting_user=officer_east, weekly_cost=f.COST, start_date=yesterday()
        ),
        "cannot be in the past",
    )


# Ending ----------------------------------------------------------------------------------------------------------
def test_the_social_worker_ends_it_when_the_tasters_did_not_go_well(person):
    case = f.matched(person)
    services.end(case.arrangement, acting_user=case.worker, reason="Did not get on with the carer")
    arrangement = case.refresh().arrangement
    assert arrangement.state == State.ENDED
    assert last_step(arrangement) == ("end", "matched", "ended", case.worker)


def test_the_scheme_ends_it(person):
    case = f.trial_stays(person)
    services.end(case.arrangement, acting_user=case.scheme_user, reason="The carer has moved away")
    assert case.refresh().arrangement.state == State.ENDED


def test_end_refused_without_a_reason(person):
    case = f.matched(person)
    refused(case.arrangement, lambda: services.end(case.arrangement, acting_user=case.worker, reason=""), "Say why")


def test_end_refused_at_the_panel(person):
    case = f.at_panel(person)
    refused(
        case.arrangement, lambda: services.end(case.arrangement, acting_user=case.worker, reason="x"), "cannot do this"
    )


def test_withdrawing_the_referral_stops_the_arrangement(person, cap_member, officer_east):
    case = f.taken(person, cap_member, officer_east)
    withdraw_referral(case.referral, acting_user=case.worker, reason="Moved in with family")
    arrangement = case.refresh().arrangement
    assert arrangement.state == State.STOPPED and "Moved in with family" in arrangement.ending_reason
    assert last_step(arrangement)[:3] == ("stop", "with_brokerage", "stopped")


def test_stop_refused_while_the_referral_stands(person, cap_member, officer_east):
    case = f.taken(person, cap_member, officer_east)
    arrangement = case.arrangement

    def act():
        from django.db import transaction

        with transaction.atomic():
            ARRANGEMENT_MACHINE.apply(services._locked(arrangement), "stop", acting_user=case.worker)

    refused(arrangement, act, "has not been withdrawn")


STEP_TESTS = {
    "record_match": (
        ["test_the_scheme_records_the_match"],
        [
            "test_match_refused_without_a_carer_name",
            "test_match_refused_to_the_social_worker",
            "test_match_refused_to_another_scheme",
        ],
    ),
    "record_no_match": (
        ["test_no_match_ends_the_arrangement_and_the_scheme_no_longer_sees_it"],
        ["test_no_match_refused_without_a_reason", "test_no_match_refused_once_matched"],
    ),
    "start_trial_stays": (
        ["test_trial_stays_start_after_a_taster_went_well"],
        ["test_trial_stays_refused_when_no_taster_went_well", "test_trial_stays_refused_to_the_social_worker"],
    ),
    "send_to_panel": (
        ["test_the_social_worker_presents_the_case_at_the_panel"],
        [
            "test_panel_refused_before_a_trial_stay_went_well",
            "test_panel_refused_before_the_trial_stays",
            "test_panel_refused_to_the_scheme",
        ],
    ),
    "approve_funding": (
        ["test_the_panel_approves_funding"],
        ["test_approval_refused_to_the_social_worker", "test_approval_refused_without_an_amount"],
    ),
    "decline_funding": (
        ["test_the_panel_declines_and_the_case_can_be_presented_again"],
        ["test_decline_refused_without_a_reason", "test_decline_refused_before_the_panel"],
    ),
    "defer_funding": (["test_the_panel_defers"], ["test_defer_refused_to_an_officer"]),
    "send_to_brokerage": (
        ["test_the_funded_plan_goes_to_the_team_queue"],
        ["test_send_to_brokerage_refused_to_the_scheme", "test_send_to_brokerage_refused_before_funding"],
    ),
    "commission": (
        ["test_the_officer_commissions_within_the_approved_amount"],
        [
            "test_commission_refused_above_the_approved_amount",
            "test_commission_refused_before_an_officer_takes_the_referral",
            "test_commission_refused_to_another_officer_and_with_a_past_start",
        ],
    ),
    "end": (
        ["test_the_social_worker_ends_it_when_the_tasters_did_not_go_well", "test_the_scheme_ends_it"],
        ["test_end_refused_without_a_reason", "test_end_refused_at_the_panel"],
    ),
    "stop": (["test_withdrawing_the_referral_stops_the_arrangement"], ["test_stop_refused_while_the_referral_stands"]),
}
