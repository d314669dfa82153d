"""A commission: started when a referral of its service types first reaches an officer, its steps shown and taken on
the referral's page, its purchase order making the referral active; a withdrawn referral's commission stops."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from commissioning import services as commissioning
from commissioning.models import COMMISSION_MACHINE, Commission
from commissioning.workflows import State
from core.exceptions import ActionRefused
from dps.models import DPSRequirement
from dps.tests.factories import active, after_closing, allocated, awarded, footprint, published, selected, submit
from referrals import services as referral_services
from referrals.models import Referral
from referrals.tests.assertions import assert_refused
from referrals.tests.factories import allocated_referral, sourcing_support_referral, urgent_referral
from referrals.workflows import State as ReferralState

pytestmark = pytest.mark.django_db


def test_taking_a_home_care_referral_starts_its_commission(social_worker, person, officer_east):
    referral = allocated_referral(social_worker, person, officer_east)
    commission = Commission.objects.get(referral=referral)
    assert (commission.state, commission.chosen_provider, referral.state) == (
        State.SOURCING,
        None,
        ReferralState.ALLOCATED,
    )
    assert referral.own_work == commission
    assert AuditEvent.objects.filter(
        object_id=str(commission.pk), action=AuditEvent.Action.CREATED, summary__startswith="Started commissioning"
    ).exists()


def test_reallocating_keeps_the_one_commission(social_worker, person, lead_east, officer_east, other_officer_east):
    referral = urgent_referral(social_worker, person)
    referral_services.allocate_referral(referral, acting_user=lead_east, officer=officer_east)
    referral = Referral.objects.get(pk=referral.pk)
    referral_services.allocate_referral(referral, acting_user=lead_east, officer=other_officer_east)
    assert Commission.objects.filter(referral=referral).count() == 1


def test_a_sourcing_support_request_has_no_commission(social_worker, person, officer_east):
    referral = referral_services.take_referral(
        sourcing_support_referral(social_worker, person), acting_user=officer_east
    )
    assert not Commission.objects.filter(referral=referral).exists()
    with pytest.raises(ActionRefused, match="it is not being sourced"):
        commissioning.commission_of(referral)


def test_the_purchase_order_makes_the_referral_active(person, cap_member, officer_east):
    case = active(person, cap_member, officer_east)
    referral = Referral.objects.get(pk=case.referral.pk)
    assert (referral.state, case.commission.state) == (ReferralState.ACTIVE, State.COMMISSIONED)
    assert referral.active_at is not None and referral.sourcing_time is not None
    assert [t.name for t in referral.transitions.all()][-1] == "record_commissioned"
    assert [t.name for t in case.commission.transitions.all()] == [
        "publish_requirement",
        "close_bidding",
        "select_provider",
        "award",
        "issue_purchase_order",
    ]


def test_withdraw_refused_once_the_agreement_is_made(person, cap_member, officer_east):
    """Once the provider has the person's details the referral is not withdrawn: Brokerage ends the service."""
    case = awarded(person, cap_member, officer_east)
    assert_refused(
        case.referral,
        lambda: referral_services.withdraw_referral(
            case.referral, acting_user=person.allocated_worker, reason="No longer needed"
        ),
        "The service agreement is made and the person's details shared",
    )


def test_withdrawing_the_referral_stops_its_commission_and_requirement(
    person, cap_member, officer_east, mailoutbox, django_capture_on_commit_callbacks
):
    case = published(person, cap_member, officer_east)
    worker = person.allocated_worker
    with django_capture_on_commit_callbacks(execute=True):
        referral_services.withdraw_referral(case.referral, acting_user=worker, reason="Moved to her daughter's")
    case.refresh()
    assert (case.referral.state, case.commission.state) == (ReferralState.WITHDRAWN, State.STOPPED)
    requirement = case.requirement
    assert requirement.status == DPSRequirement.Status.NOT_AWARDED
    assert requirement.selection_reason == "The referral was withdrawn."  # the practitioner's reason stays inside
    step = requirement.transitions.get(name="withdraw")
    assert (step.by, step.note) == (worker, "Moved to her daughter's")
    assert case.commission.transitions.get(name="stop").note == "Moved to her daughter's"
    # Every bidder is told, with nothing about the person; no one can bid any more.
    told = {message.to[0] for message in mailoutbox if "your bid was not successful" in message.subject}
    assert told == {user.email for user in case.bidders}
    assert not any("daughter" in message.body for message in mailoutbox)
    with pytest.raises(ActionRefused, match="Bids can no longer be made or changed"):
        submit(requirement, case.bidders[0], "19.00")
    # And sourcing takes no more steps.
    with after_closing(requirement), pytest.raises(ActionRefused):
        commissioning.close_bidding(case.commission, acting_user=officer_east)


def test_withdrawing_before_anything_is_published_stops_the_commission(social_worker, person, officer_east):
    referral = allocated_referral(social_worker, person, officer_east)
    referral_services.withdraw_referral(referral, acting_user=social_worker, reason="No longer needed")
    assert Commission.objects.get(referral=referral).state == State.STOPPED
    assert not DPSRequirement.objects.exists()


@pytest.mark.parametrize("who", ["social_worker", "officer_east"])
def test_stop_refused_while_the_referral_is_open(who, request, person, cap_member, officer_east):
    case = published(person, cap_member, officer_east)
    user = person.allocated_worker if who == "social_worker" else request.getfixturevalue(who)
    before = footprint(case.referral)
    with pytest.raises(ActionRefused):
        COMMISSION_MACHINE.apply(case.commission, "stop", acting_user=user)
    assert footprint(case.referral) == before


# The referral's page ------------------------------------------------------------------------------------------------
def test_the_referral_page_offers_the_commissions_steps_and_draws_both_machines(
    client, person, cap_member, officer_east
):
    case = allocated(person, cap_member, officer_east)
    client.force_login(officer_east)
    page = client.get(case.referral.get_absolute_url()).content.decode()
    assert f'href="{reverse("commissioning:publish", args=[case.referral.pk])}"' in page
    assert f'href="{reverse("commissioning:spot_contract", args=[case.referral.pk])}"' in page
    assert "How a referral moves through Brokerage" in page
    assert "How a provider is found and commissioned" in page
    assert "Provider to find (it is here)" in page


def test_the_referral_page_shows_the_commissions_steps_in_its_timeline(client, person, cap_member, officer_east):
    case = selected(person, cap_member, officer_east)
    client.force_login(officer_east)
    page = client.get(case.referral.get_absolute_url()).content.decode()
    timeline = page[page.index(">Timeline<") : page.index('id="contact-log"')]
    # In the order they happened: the referral's steps, then the commission's.
    order = ["With a brokerage officer", "Requirement published for bids", "Bidding closed", "Provider selected"]
    assert [timeline.index(label) for label in order] == sorted(timeline.index(label) for label in order)
    assert f'href="{reverse("commissioning:award", args=[case.referral.pk])}"' in page
    assert f"Provider chosen: {case.bids[0].provider}" in page


def test_a_step_for_a_referral_not_yet_taken_is_turned_back_with_the_reason(
    client, social_worker, person, officer_east
):
    referral = urgent_referral(social_worker, person)
    client.force_login(officer_east)
    response = client.get(reverse("commissioning:publish", args=[referral.pk]), follow=True)
    assert "Nothing is being commissioned for this referral: an officer takes it first." in response.content.decode()
    assert not Commission.objects.exists()


def test_the_queue_says_where_each_allocated_tasks_sourcing_is(client, person, cap_member, officer_east):
    case = published(person, cap_member, officer_east)
    client.force_login(officer_east)
    page = client.get(reverse("brokerage:queue") + "?view=mine").content.decode()
    row = page[page.index(case.referral.reference) :]
    row = row[: row.index("</tr>")]
    assert "Requirement published for bids" in row


def test_how_referrals_work_draws_each_sourcing_machine_with_its_service_types(client, social_worker):
    client.force_login(social_worker)
    page = client.get(reverse("referrals:workflow")).content.decode()
    assert "How a referral moves through Brokerage" in page
    commissioned = page.index('<h3 class="govuk-heading-m">How a provider is found and commissioned</h3>')
    placed = page.index('<h3 class="govuk-heading-m">How a care home placement is found</h3>')
    assert "domiciliary care (home care), reablement" in page[commissioned:placed]
    assert "For residential care, nursing care." in page[placed:]


def test_the_queue_filters_by_where_the_sourcing_is(client, social_worker, east_area, cap_member, officer_east):
    from people.tests.factories import make_person

    open_for_bids = published(make_person(social_worker, east_area), cap_member, officer_east)
    not_yet = allocated(make_person(social_worker, east_area), cap_member, officer_east)
    client.force_login(officer_east)
    url = reverse("brokerage:queue")
    page = client.get(url, {"view": "mine", "state": "commissioning:requirement_published"}).content.decode()
    assert open_for_bids.referral.reference in page and not_yet.referral.reference not in page
    page = client.get(url, {"view": "mine", "state": "commissioning:sourcing"}).content.decode()
    assert not_yet.referral.reference in page and open_for_bids.referral.reference not in page
    assert '<optgroup label="How a provider is found and commissioned">' in page
    # A stage no app has is an invalid choice: the whole queue, with the error, rather than a crash.
    response = client.get(url, {"view": "mine", "state": "commissioning:no_such"})
    assert response.status_code == 200 and open_for_bids.referral.reference in response.content.decode()
