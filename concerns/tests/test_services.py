"""Safeguarding concerns, complaints and quality alerts are routed, never handled by Brokerage (SPEC §2)."""

import pytest

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from concerns.models import Concern
from concerns.services import acknowledge_concern, close_concern, raise_concern
from core.exceptions import ActionRefused
from people.tests.factories import make_person
from referrals.tests.factories import allocated_referral, urgent_referral

pytestmark = pytest.mark.django_db


def raise_(user, person, kind, **fields):
    return raise_concern(acting_user=user, person=person, kind=kind, **{"details": "Left without food."} | fields)


def assert_refused(call, message, concern):
    before = Concern.objects.filter(pk=concern.pk).values().get()
    with pytest.raises(ActionRefused) as refusal:
        call()
    assert message in refusal.value.message
    assert Concern.objects.filter(pk=concern.pk).values().get() == before


@pytest.mark.parametrize(
    "kind, route",
    [
        ("safeguarding", Role.FIRST_RESPONSE),
        ("complaint", Role.MONITORING_OFFICER),
        ("quality_alert", Role.CONTRACT_MONITORING),
    ],
)
def test_each_kind_is_routed_to_the_team_that_handles_it(kind, route, social_worker, officer_east, person):
    referral = allocated_referral(social_worker, person, officer_east)
    concern = raise_(officer_east, person, kind, referral=referral, provider_name="Oak Homecare")
    assert (concern.routed_to, concern.status, concern.raised_by) == (route, Concern.Status.OPEN, officer_east)


def test_brokerage_cannot_handle_a_safeguarding_concern_but_first_response_can(
    officer_east, lead_east, first_response, person, east_case
):
    concern = raise_(officer_east, person, "safeguarding")
    for brokerage in (officer_east, lead_east):
        assert_refused(
            lambda user=brokerage: acknowledge_concern(concern, acting_user=user),
            "Only the First Response team handles this safeguarding concern.",
            concern,
        )
        assert_refused(
            lambda user=brokerage: close_concern(concern, acting_user=user, outcome="Dealt with"),
            "Only the First Response team handles",
            concern,
        )
    acknowledge_concern(concern, acting_user=first_response)
    concern = close_concern(concern, acting_user=first_response, outcome="Section 42 enquiry opened")
    assert (concern.status, concern.handled_by, concern.outcome) == (
        "closed",
        first_response,
        "Section 42 enquiry opened",
    )


def test_complaint_is_for_the_monitoring_officer_only(
    social_worker, officer_east, first_response, monitoring_officer, person
):
    concern = raise_(social_worker, person, "complaint")
    for other in (officer_east, first_response, social_worker):
        assert_refused(
            lambda user=other: acknowledge_concern(concern, acting_user=user),
            "Only the Monitoring officer handles this complaint.",
            concern,
        )
    assert acknowledge_concern(concern, acting_user=monitoring_officer).status == "acknowledged"


def test_quality_alert_names_the_provider(social_worker, person):
    with pytest.raises(ActionRefused, match="Name the provider"):
        raise_(social_worker, person, "quality_alert")
    assert not Concern.objects.exists()


def test_cannot_raise_a_concern_about_someone_you_cannot_see(officer_west, person):
    with pytest.raises(ActionRefused, match="only about someone whose record you can see"):
        raise_(officer_west, person, "safeguarding")
    assert not Concern.objects.exists()


def test_closing_needs_an_outcome_and_happens_once(social_worker, first_response, person):
    concern = raise_(social_worker, person, "safeguarding")
    assert_refused(
        lambda: close_concern(concern, acting_user=first_response, outcome=" "), "Record the outcome", concern
    )
    close_concern(concern, acting_user=first_response, outcome="No further action")
    assert_refused(
        lambda: close_concern(concern, acting_user=first_response, outcome="Again"), "already closed", concern
    )
    assert_refused(
        lambda: acknowledge_concern(concern, acting_user=first_response), "already been acknowledged", concern
    )


def test_routed_team_is_e_mailed_once_without_personal_data(
    social_worker,
    officer_east,
    first_response,
    monitoring_officer,
    east_area,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    colleague = UserFactory(roles=[Role.FIRST_RESPONSE])
    person = make_person(social_worker, east_area, first_name="Adaeze", last_name="Thornbury", postcode="E1 7QX")
    urgent_referral(social_worker, person)  # in the East queue, so the officer may see them
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        concern = raise_(officer_east, person, "safeguarding", details="Adaeze has been left without food.")
    assert len(callbacks) == 1
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert sorted(mail.to) == sorted([first_response.email, colleague.email])
    assert f"C-{concern.pk}" in mail.subject
    text = mail.subject + mail.body
    for personal in ("Adaeze", "Thornbury", "E1 7QX", "left without food", person.nhs_number):
        assert personal not in text


def test_no_e_mail_before_the_transaction_commits(
    social_worker, person, first_response, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        raise_(social_worker, person, "safeguarding")
    assert mailoutbox == []
