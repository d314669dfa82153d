"""Access follows need: a role sees a person while it has work for them, and not after.

The practitioner holding the case always sees and changes the record. The Brokerage team sees it
while a referral is in its queue or being worked or running; the panel, or a head of service, while
a decision waits for them. Nobody else, whatever the role."""

import pytest

from catalogue.codes import ServiceCode
from dps.tests.factories import active
from people import services
from people.access import can_change_person, can_view_person
from people.models import Person
from people.selectors import people_visible_to
from referrals import services as referral_services
from referrals.tests.factories import (
    allocated_referral,
    approve,
    awaiting_funding_referral,
    declined_referral,
    held_referral,
    queued_referral,
    referred_on_referral,
    urgent_referral,
)

pytestmark = pytest.mark.django_db

EVERY_ROLE = [
    "social_worker",
    "other_social_worker",
    "spa_worker",
    "officer_east",
    "officer_west",
    "lead_east",
    "lead_west",
    "cap_member",
    "head_of_service",
    "first_response",
    "monitoring_officer",
    "contract_monitoring",
    "review_team",
    "dps_team",
    "finance_officer",
    "provider_user",
]


def who_sees(request, person) -> set[str]:
    """Each role's answer, asked both ways: of the person, and as a list a query builds."""
    seen = set()
    for role in EVERY_ROLE:
        user = request.getfixturevalue(role)
        one = can_view_person(user, person)
        listed = people_visible_to(user).filter(pk=person.pk).exists()
        assert one == listed, f"{role}: can_view_person and the list disagree"
        if one:
            seen.add(role)
    return seen


def test_a_new_person_is_seen_by_their_practitioner_only(request, person):
    assert who_sees(request, person) == {"social_worker"}


def test_only_the_allocated_practitioner_changes_the_record(social_worker, other_social_worker, officer_east, person):
    urgent_referral(social_worker, person)
    assert can_change_person(social_worker, person)
    assert not can_change_person(other_social_worker, person)
    assert not can_change_person(officer_east, person)  # sees the person, may not change them


def test_before_the_queue_no_team_sees_the_person(request, social_worker, person):
    """Awaiting funding or held for risk, the work has not reached Brokerage."""
    awaiting_funding_referral(social_worker, person)
    held_referral(social_worker, person)
    assert who_sees(request, person) == {"social_worker", "cap_member"}


def test_the_area_team_sees_the_person_once_the_work_is_in_its_queue(request, social_worker, person):
    urgent_referral(social_worker, person)
    assert who_sees(request, person) == {"social_worker", "officer_east", "lead_east"}


def test_the_panel_sees_a_plan_only_until_its_decision(request, social_worker, cap_member, person):
    referral = awaiting_funding_referral(social_worker, person)
    assert "cap_member" in who_sees(request, person)
    approve(referral, cap_member)
    assert who_sees(request, person) == {"social_worker", "officer_east", "lead_east"}


def test_a_declined_plan_leaves_only_the_practitioner(request, social_worker, cap_member, person):
    declined_referral(social_worker, person, cap_member)
    assert who_sees(request, person) == {"social_worker"}


def test_heads_of_service_see_out_of_panel_approvals_until_decided(request, social_worker, head_of_service, person):
    referral = awaiting_funding_referral(social_worker, person, service_type=ServiceCode.RESIDENTIAL)
    assert who_sees(request, person) == {"social_worker", "head_of_service"}
    referral_services.record_funding_decision(
        referral, acting_user=head_of_service, decision="approved", approved_weekly_amount=900
    )
    assert who_sees(request, person) == {"social_worker", "officer_east", "lead_east"}


def test_the_team_stops_seeing_the_person_when_the_work_ends(request, social_worker, person):
    referral = urgent_referral(social_worker, person)
    referral_services.withdraw_referral(referral, acting_user=social_worker, reason="No longer needed")
    assert who_sees(request, person) == {"social_worker"}
    referred_on_referral(social_worker, person)
    assert who_sees(request, person) == {"social_worker"}


def test_the_team_keeps_seeing_a_person_whose_service_it_administers(
    request, social_worker, cap_member, officer_east, person
):
    active(person, cap_member, officer_east)
    assert {"officer_east", "lead_east"} <= who_sees(request, person)


def test_a_team_sees_only_its_own_areas_work(request, social_worker, officer_east, west_person):
    allocated_referral(social_worker, west_person, request.getfixturevalue("officer_west"))
    seen = who_sees(request, west_person)
    assert {"officer_west", "lead_west"} <= seen and not {"officer_east", "lead_east"} & seen


def test_a_new_practitioner_takes_over_the_case(request, social_worker, other_social_worker, person):
    person = services.update_person(person, acting_user=social_worker, allocated_worker=other_social_worker)
    assert who_sees(request, person) == {"other_social_worker"}
    assert can_change_person(other_social_worker, person) and not can_change_person(social_worker, person)


def test_an_inactive_account_sees_nobody(social_worker, person):
    social_worker.is_active = False
    social_worker.save()
    assert not can_view_person(social_worker, person)
    assert not Person.objects.filter(pk=person.pk).filter(pk__in=people_visible_to(social_worker)).exists()


def test_the_queue_decides_for_every_person_in_one_query(
    django_assert_num_queries, social_worker, officer_east, east_area, cap_member
):
    from people.tests.factories import make_person

    for _ in range(5):
        queued_referral(social_worker, make_person(social_worker, east_area), cap_member)
    officer_east.roles  # noqa: B018 (the user's roles are read once per request, at sign-in)
    with django_assert_num_queries(1):
        assert len(list(people_visible_to(officer_east))) == 5
