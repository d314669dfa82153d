"""Changing when bidding closes (dps.services.change_closing_time and its page), and urgent packages that close
within hours of being published."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from catalogue.codes import ServiceCode
from commissioning import services as commissioning
from commissioning.models import Commission
from commissioning.workflows import State
from core.exceptions import ActionRefused
from core.forms import FREE_TEXT_MAX_LENGTH
from dps import services
from dps.forms import RequirementForm
from dps.models import Bid, DPSRequirement
from dps.selectors import requirements_open_to
from dps.tests.factories import (
    OUTCOMES,
    SUMMARY,
    PurchasingArrangementFactory,
    allocated,
    bidder,
    closed,
    closing_fields,
    provider_staff,
    published,
    requirement_fields,
    submit,
)
from providers.models import ProviderService
from referrals.models import Referral
from referrals.services import take_referral
from referrals.tests.factories import urgent_referral

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
REASON = "Two providers asked for more time to check their rotas over the bank holiday."


@pytest.fixture
def case(person, cap_member, officer_east):
    """Out for bids, closing in two days, with two bids from enrolled providers."""
    return published(person, cap_member, officer_east)


def _change(case, user=None, *, closes_at=None, reason=REASON):
    return services.change_closing_time(
        case.requirement,
        acting_user=user or case.officer,
        closes_at=closes_at or case.requirement.closes_at + timedelta(days=1),
        reason=reason,
    )


def _closing_changes(requirement):
    return AuditEvent.objects.filter(object_id=str(requirement.pk), action="changed", changes__has_key="reason")


def _refused(case, match, user=None, **kwargs):
    before = case.requirement.closes_at
    with pytest.raises(ActionRefused, match=match):
        _change(case, user, **kwargs)
    assert DPSRequirement.objects.get(pk=case.requirement.pk).closes_at == before
    assert not _closing_changes(case.requirement).exists()


# The allowed changes ------------------------------------------------------------------------------------------
def test_the_allocated_officer_extends_bidding_and_the_audit_trail_keeps_both_times_and_the_reason(case):
    before = case.requirement.closes_at
    later = before + timedelta(days=1)

    requirement = _change(case, closes_at=later)

    assert DPSRequirement.objects.get(pk=requirement.pk).closes_at == later
    event = _closing_changes(requirement).get()
    assert event.actor == case.officer and event.person == case.referral.person
    assert event.changes == {"closes_at": [before.isoformat(), later.isoformat()], "reason": REASON}
    assert event.summary.startswith(f"Extended bidding on {requirement.reference} to ")


def test_bringing_it_forward_keeps_the_bids_made_and_they_can_change_until_the_new_time(case):
    sooner = timezone.now() + timedelta(minutes=30)

    requirement = _change(case, closes_at=sooner)

    assert _closing_changes(requirement).get().summary.startswith("Brought forward bidding")
    assert Bid.objects.filter(requirement=requirement).count() == 2
    assert submit(requirement, case.bidders[0], Decimal("21.00")).price == Decimal("21.00")
    with time_machine.travel(sooner + timedelta(seconds=1)):
        with pytest.raises(ActionRefused, match="Bidding closed at"):
            submit(requirement, case.bidders[1], Decimal("19.00"))


def test_a_quarter_of_an_hour_ahead_is_allowed(case):
    soonest = timezone.now() + services.MINIMUM_NOTICE_OF_CHANGE + timedelta(seconds=5)
    assert _change(case, closes_at=soonest).closes_at == soonest


def test_the_providers_it_went_to_and_those_that_bid_are_told_with_nothing_about_the_person(
    case, person, django_capture_on_commit_callbacks
):
    invited_only = bidder(case.arrangement)  # enrolled and covering the district, no bid
    bidder(case.arrangement, districts=["W2"])  # does not cover the person's district
    provider_staff()  # not on the arrangement
    # A bidder whose enrolment has since ended is still told: its bid stands.
    left = case.bidders[1]
    ProviderService.objects.filter(provider=left.provider).delete()
    mail.outbox.clear()
    later = timezone.localtime(case.requirement.closes_at + timedelta(days=1))

    with django_capture_on_commit_callbacks(execute=True):
        _change(case, closes_at=later)

    told = sorted(address for m in mail.outbox for address in m.to)
    assert told == sorted([case.bidders[0].email, left.email, invited_only.email])
    message = mail.outbox[0]
    new_time = f"{later:%H:%M} on {later.day} {later:%B %Y}"
    assert message.subject == f"Requirement {case.requirement.reference}: bidding now closes at {new_time}"
    assert f"now closes at {new_time}, later than" in message.body
    assert f"Reason: {REASON}" in message.body
    text = message.subject + message.body
    assert person.first_name not in text and person.last_name not in text and person.postcode not in text


def test_nobody_is_told_until_the_change_is_committed(case, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _change(case)
    assert mail.outbox == [] and len(callbacks) == 1


# Closing bidding reads the new time -----------------------------------------------------------------------------
def test_after_an_extension_bidding_stays_open_past_the_old_time_and_closes_at_the_new_one(case):
    old = case.requirement.closes_at
    later = old + timedelta(hours=6)
    _change(case, closes_at=later)

    with time_machine.travel(old + timedelta(minutes=1)):
        assert submit(case.requirement, bidder(case.arrangement)).pk
        assert case.requirement.pk in {r.pk for r in requirements_open_to(case.bidders[0].provider)}
        with pytest.raises(ActionRefused, match="wait for the closing time"):
            commissioning.close_bidding(case.commission, acting_user=case.officer)
    with time_machine.travel(later + timedelta(minutes=1)):
        assert (
            commissioning.close_bidding(case.commission, acting_user=case.officer).status
            == DPSRequirement.Status.CLOSED
        )
    assert case.commission.state == State.BIDDING_CLOSED


def test_brought_forward_bidding_can_be_closed_at_the_new_time(case):
    sooner = timezone.now() + timedelta(hours=1)
    _change(case, closes_at=sooner)

    with time_machine.travel(sooner + timedelta(minutes=1)):
        assert not DPSRequirement.objects.get(pk=case.requirement.pk).is_open_for_bids
        commissioning.close_bidding(case.commission, acting_user=case.officer)
    assert case.commission.state == State.BIDDING_CLOSED


# The refused changes ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["other_officer_east", "lead_east", "officer_west", "social_worker", "cap_member"])
def test_only_the_allocated_officer_changes_the_closing_time(case, request, who):
    _refused(case, "Only the officer this referral is allocated to", request.getfixturevalue(who))


def test_a_bidder_cannot_change_the_closing_time(case):
    _refused(case, "Only the officer this referral is allocated to", case.bidders[0])


def test_not_once_the_closing_time_has_passed(case):
    with time_machine.travel(case.requirement.closes_at + timedelta(minutes=1)):
        _refused(case, "Bidding has closed", closes_at=timezone.now() + timedelta(days=1))


def test_not_once_bidding_is_closed(person, cap_member, officer_east):
    _refused(closed(person, cap_member, officer_east), "Bidding has closed")


def test_a_time_in_the_past_is_refused(case):
    _refused(case, "closing time must be in the future", closes_at=timezone.now() - timedelta(minutes=1))


def test_a_time_less_than_a_quarter_of_an_hour_ahead_is_refused(case):
    _refused(case, "at least 15 minutes from now", closes_at=timezone.now() + timedelta(minutes=10))


def test_a_time_on_or_after_the_start_date_is_refused(case):
    starts = case.requirement.start_date
    on_the_day = timezone.make_aware(datetime.combine(starts, datetime.min.time())) + timedelta(hours=9)
    _refused(case, "Bidding must close before the start date", closes_at=on_the_day)


def test_the_same_time_is_refused(case):
    _refused(case, "Bidding already closes at", closes_at=case.requirement.closes_at)


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_reason_is_required(case, reason):
    _refused(case, "Say why the closing time is changing", reason=reason)


def test_a_reason_over_the_free_text_limit_is_refused(case):
    _refused(case, "10,000 characters or fewer", reason="x" * (FREE_TEXT_MAX_LENGTH + 1))


def test_a_reason_naming_the_person_is_refused(case, person):
    _refused(case, "may not hold personal details", reason=f"{person.first_name} {person.last_name} is in hospital")


def test_a_reason_with_the_persons_postcode_is_refused(case, person):
    _refused(case, "may not hold personal details", reason=f"Harder to reach {person.postcode} than we thought")


# The page ------------------------------------------------------------------------------------------------------
def _url(case):
    return reverse("dps:change_closing_time", args=[case.requirement.pk])


def test_each_role_opening_the_page(client, case, request):
    expected = {
        "officer_east": 200,  # the officer it is allocated to
        "other_officer_east": 302,  # turned back to the requirement with the reason
        "lead_east": 302,
        "officer_west": 404,  # another team's case: not even seen
        "social_worker": 403,  # not Brokerage: dps's table turns them away before the requirement is looked up
        "cap_member": 403,
        "dps_team": 403,
    }
    got = {}
    for role in expected:
        client.force_login(request.getfixturevalue(role))
        got[role] = client.get(_url(case)).status_code
    client.force_login(case.bidders[0])
    got["provider"] = client.get(_url(case)).status_code
    client.logout()
    got["anon"] = client.get(_url(case)).status_code
    assert got == expected | {"provider": 403, "anon": 302}


def test_only_the_allocated_officer_sees_the_link(client, case, lead_east):
    page = reverse("dps:requirement", args=[case.requirement.pk])
    client.force_login(case.officer)
    assert "Change the closing time" in client.get(page).content.decode()
    client.force_login(lead_east)
    assert "Change the closing time" not in client.get(page).content.decode()
    with time_machine.travel(case.requirement.closes_at + timedelta(minutes=1)):
        client.force_login(case.officer)
        assert "Change the closing time" not in client.get(page).content.decode()


def test_someone_turned_back_is_told_why(client, case, other_officer_east):
    client.force_login(other_officer_east)
    response = client.get(_url(case), follow=True)
    assert "Only the officer this referral is allocated to can change the closing time." in response.content.decode()
    assert AuditEvent.objects.filter(action="refused", object_id=str(case.requirement.pk)).exists()


def test_the_page_starts_from_the_current_closing_time(client, case):
    closes = timezone.localtime(case.requirement.closes_at)
    client.force_login(case.officer)
    page = client.get(_url(case)).content.decode()
    assert f'name="closes_on_day" type="text" value="{closes.day}"' in page
    assert f'name="closes_on_month" type="text" value="{closes.month}"' in page
    assert f'value="{closes:%H:%M}"' in page and 'name="closes_time"' in page


def test_a_change_is_made_and_the_officer_told(client, case, django_capture_on_commit_callbacks):
    later = timezone.localtime(case.requirement.closes_at + timedelta(days=1)).replace(
        hour=16, minute=30, second=0, microsecond=0
    )
    client.force_login(case.officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(case), {**closing_fields(later), "reason": REASON}, follow=True)

    assert response.redirect_chain == [(reverse("dps:requirement", args=[case.requirement.pk]), 302)]
    assert DPSRequirement.objects.get(pk=case.requirement.pk).closes_at == later
    assert f"Bidding now closes at 16:30 on {later.day} {later:%B %Y}." in response.content.decode()
    assert {address for m in mail.outbox if "bidding now closes" in m.subject for address in m.to} == {
        u.email for u in case.bidders
    }


def test_errors_sit_next_to_their_fields_and_what_was_typed_is_kept(client, case):
    before = case.requirement.closes_at
    client.force_login(case.officer)

    response = client.post(
        _url(case),
        {"closes_on_day": "31", "closes_on_month": "2", "closes_on_year": "2030", "closes_time": "25:99", "reason": ""},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Date bidding closes must be a real date" in page and 'href="#id_closes_on_day"' in page
    assert "Time bidding closes must be a real time, like 14:30" in page and 'href="#id_closes_time"' in page
    assert 'id="id_closes_time-error"' in page and "govuk-input--error" in page
    assert "Enter why the closing time is changing" in page and 'href="#id_reason"' in page
    assert 'value="31"' in page and 'value="25:99"' in page
    assert DPSRequirement.objects.get(pk=case.requirement.pk).closes_at == before


def test_a_time_too_soon_is_refused_next_to_the_time(client, case):
    soon = timezone.localtime() + timedelta(minutes=5)
    client.force_login(case.officer)
    response = client.post(_url(case), {**closing_fields(soon), "reason": REASON})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_closes_time-error"' in page and "Bidding must close at least 15 minutes from now" in page
    assert REASON in page  # kept


def test_a_day_in_the_past_is_refused_next_to_the_date(client, case):
    client.force_login(case.officer)
    response = client.post(_url(case), {**closing_fields(timezone.now() - timedelta(days=1)), "reason": REASON})
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_closes_on-error"' in page and "The closing time must be in the future" in page


def test_a_time_after_the_start_date_is_refused_next_to_the_date(client, case):
    on_the_day = timezone.make_aware(datetime.combine(case.requirement.start_date, datetime.min.time()))
    client.force_login(case.officer)
    response = client.post(_url(case), {**closing_fields(on_the_day + timedelta(hours=10)), "reason": REASON})
    assert response.status_code == 400
    assert "Bidding must close before the start date" in response.content.decode()


def test_a_reason_the_guard_refuses_is_shown_and_kept_and_the_attempt_audited(client, case, person):
    reason = f"Mrs {person.last_name}'s daughter asked us to wait"
    client.force_login(case.officer)
    response = client.post(
        _url(case), {**closing_fields(case.requirement.closes_at + timedelta(days=1)), "reason": reason}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "may not hold personal details" in page
    assert "daughter asked us to wait" in page
    assert AuditEvent.objects.filter(action="refused", object_id=str(case.requirement.pk)).exists()
    assert not _closing_changes(case.requirement).exists()


# Urgent packages ------------------------------------------------------------------------------------------------
@pytest.fixture
def urgent_case(social_worker, person, officer_east):
    """An urgent home care package in the East queue, taken by the officer. (A residential placement is sourced on
    its own page, placements, through the same closing-time rules.)"""
    referral = urgent_referral(social_worker, person, service_type=ServiceCode.HOME_CARE)
    take_referral(referral, acting_user=officer_east)
    arrangement = PurchasingArrangementFactory(name="Urgent home care DPS", service_type=ServiceCode.HOME_CARE)
    return Referral.objects.get(pk=referral.pk), arrangement


def test_an_urgent_referrals_form_closes_two_hours_on_at_the_next_quarter_hour(urgent_case):
    referral, _ = urgent_case
    with time_machine.travel(datetime(2026, 3, 10, 9, 5, tzinfo=LONDON), tick=False):
        form = RequirementForm(referral=referral)
    assert form.initial["closes_on"].isoformat() == "2026-03-10"
    assert form.initial["closes_time"].isoformat() == "11:15:00"
    assert form.initial["start_date"].isoformat() == "2026-03-11"  # the day after bidding closes


def test_on_the_quarter_hour_it_is_exactly_two_hours(urgent_case):
    with time_machine.travel(datetime(2026, 7, 1, 22, 45, tzinfo=LONDON), tick=False):
        form = RequirementForm(referral=urgent_case[0])
    assert (form.initial["closes_on"].isoformat(), form.initial["closes_time"].isoformat()) == (
        "2026-07-02",
        "00:45:00",
    )


def test_other_referrals_keep_three_days_at_noon(person, cap_member, officer_east):
    case = allocated(person, cap_member, officer_east)
    with time_machine.travel(datetime(2026, 3, 10, 9, 5, tzinfo=LONDON), tick=False):
        form = RequirementForm(referral=case.referral)
    assert form.initial["closes_on"].isoformat() == "2026-03-13"
    assert form.initial["closes_time"].isoformat() == "12:00:00"
    assert form.initial["start_date"].isoformat() == "2026-03-17"


def test_an_officer_publishes_an_urgent_requirement_that_closes_in_two_hours(client, urgent_case, officer_east):
    referral, arrangement = urgent_case
    client.force_login(officer_east)
    form_page = client.get(reverse("commissioning:publish", args=[referral.pk])).content.decode()
    assert "This referral is urgent: bidding can close an hour from now." in form_page
    closes = (timezone.localtime() + timedelta(hours=2)).replace(second=0, microsecond=0)

    response = client.post(
        reverse("commissioning:publish", args=[referral.pk]),
        {
            "arrangement": arrangement.pk,
            "start_date_day": str((closes + timedelta(days=1)).day),
            "start_date_month": str((closes + timedelta(days=1)).month),
            "start_date_year": str((closes + timedelta(days=1)).year),
            **closing_fields(closes),
            "summary": "Urgent visits for an older person after a fall; needs help with mobility.",
            "outcomes": "\n".join(OUTCOMES),
            "quality_weight": "60",
        },
    )

    assert response.status_code == 302
    requirement = DPSRequirement.objects.get(referral=referral)
    assert requirement.closes_at == closes and requirement.service_type_id == ServiceCode.HOME_CARE
    assert Commission.objects.get(referral=referral).state == State.REQUIREMENT_PUBLISHED


def test_an_urgent_requirement_closes_at_least_an_hour_after_it_is_published(urgent_case, officer_east):
    referral, arrangement = urgent_case
    fields = requirement_fields(arrangement, start_date=timezone.localdate() + timedelta(days=2))
    with pytest.raises(ActionRefused, match="Bidding must close at least 1 hour from now"):
        commissioning.publish_requirement(
            referral.commission,
            acting_user=officer_east,
            **fields | {"closes_at": timezone.now() + timedelta(minutes=30)},
        )
    in_an_hour = timezone.now() + timedelta(hours=1, seconds=5)
    requirement = commissioning.publish_requirement(
        referral.commission, acting_user=officer_east, **fields | {"closes_at": in_an_hour}
    )
    assert requirement.closes_at == in_an_hour


@pytest.mark.parametrize(
    "closes_in,match",
    [
        (timedelta(minutes=-1), "closing time must be in the future"),
        (timedelta(minutes=30), "at least 1 hour from now"),
    ],
)
def test_other_requirements_keep_their_rule(person, cap_member, officer_east, closes_in, match):
    case = allocated(person, cap_member, officer_east)
    with pytest.raises(ActionRefused, match=match):
        commissioning.publish_requirement(
            case.commission,
            acting_user=officer_east,
            **requirement_fields(case.arrangement, closes_at=timezone.now() + closes_in),
        )
    assert not DPSRequirement.objects.exists()


def test_the_publish_form_refuses_a_time_too_soon_next_to_the_time(client, urgent_case, officer_east):
    referral, arrangement = urgent_case
    soon = timezone.localtime() + timedelta(minutes=20)
    client.force_login(officer_east)
    response = client.post(
        reverse("commissioning:publish", args=[referral.pk]),
        {"arrangement": arrangement.pk, **closing_fields(soon), "summary": SUMMARY, "outcomes": OUTCOMES[0]},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_closes_time-error"' in page and "Bidding must close at least 1 hour from now" in page
    assert f'value="{soon:%H:%M}"' in page and SUMMARY in page
    assert not DPSRequirement.objects.exists()
