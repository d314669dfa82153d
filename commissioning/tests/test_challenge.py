"""A change of provider is challenged before a new provider is found (SPEC §4): the challenge recorded, written
explanations asked for and attached, a quality alert to contract monitoring; then sourcing as for a new package.
Each refused step changes nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from commissioning import services as commissioning
from commissioning.models import Commission, CommissionTransition, Explanation
from commissioning.workflows import State
from concerns.models import Concern
from core.exceptions import ActionRefused
from core.tests.forms import date_fields
from dps.tests.factories import active
from packages.tests.factories import challenged
from people.tests.factories import make_plan
from referrals import services as referral_services
from referrals.models import Referral

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def running(person, cap_member, officer_east):
    return active(person, cap_member, officer_east)


@pytest.fixture
def commission(running, person, cap_member, officer_east):
    """The social worker's change of provider for the running package, funded and taken by officer_east."""
    referral = referral_services.create_referral(
        acting_user=person.allocated_worker,
        person=person,
        kind=Referral.Kind.CHANGE,
        change=Referral.Change.CHANGE_PROVIDER,
        service_type="home_care",
        plan=make_plan(person.allocated_worker, person),
        details="Carers keep arriving late.",
    )
    referral_services.record_funding_decision(
        referral, acting_user=cap_member, decision="approved", approved_weekly_amount=Decimal("250")
    )
    referral_services.take_referral(referral, acting_user=officer_east)
    return Commission.objects.get(referral=referral)


def footprint(commission) -> dict:
    fresh = Commission.objects.get(pk=commission.pk)
    return {
        "state": fresh.state,
        "outcome": fresh.challenge_outcome,
        "alert": fresh.quality_alert_id,
        "explanations": list(Explanation.objects.values_list("pk", "received_on", "text", "document")),
        "steps": CommissionTransition.objects.count(),
        "concerns": Concern.objects.count(),
    }


def refused(commission, act, match):
    before = footprint(commission)
    with pytest.raises(ActionRefused, match=match):
        act()
    assert footprint(commission) == before


def test_a_change_of_provider_starts_with_its_challenge(commission):
    assert commission.state == State.CHALLENGE


def test_a_new_package_starts_with_finding_a_provider(running):
    assert running.commission.state == State.COMMISSIONED
    assert not running.commission.transitions.filter(name="confirm_change").exists()


def test_the_challenge_done_sourcing_starts(commission, officer_east):
    challenged(commission, officer_east)

    fresh = Commission.objects.get(pk=commission.pk)
    assert fresh.state == State.SOURCING
    step = fresh.transitions.get(name="confirm_change")
    assert (step.source, step.target, step.by) == (State.CHALLENGE, State.SOURCING, officer_east)
    alert = Concern.objects.get(pk=fresh.quality_alert_id)
    assert (alert.kind, alert.routed_to, alert.referral_id) == (
        "quality_alert",
        "contract_monitoring_officer",
        commission.referral_id,
    )


@pytest.mark.parametrize("missing", ["challenge", "explanation", "awaited", "alert"])
def test_the_change_is_not_confirmed_until_the_challenge_is_done(commission, officer_east, missing):
    if missing != "challenge":
        commissioning.record_challenge(commission, acting_user=officer_east, outcome="Tried other carers.")
    if missing not in ("explanation",):
        explanation = commissioning.request_explanation(commission, acting_user=officer_east, from_whom="provider")
        if missing != "awaited":
            commissioning.attach_explanation(
                explanation, acting_user=officer_east, received_on=timezone.localdate(), text="Short of staff."
            )
    if missing != "alert":
        commissioning.send_quality_alert(commission, acting_user=officer_east, details="Late visits.")
    reason = {
        "challenge": "Record why a change of times",
        "explanation": "Attach the provider's written explanation",
        "awaited": "Attach the provider's written explanation first, and wait for every one",
        "alert": "Send a quality alert",
    }[missing]
    refused(commission, lambda: commissioning.confirm_change(commission, acting_user=officer_east), reason)


def test_only_the_allocated_officer_challenges(commission, lead_east, officer_west):
    for who in (lead_east, officer_west):
        refused(
            commission,
            lambda who=who: commissioning.record_challenge(commission, acting_user=who, outcome="x"),
            "Only the officer this referral is allocated to",
        )
        refused(
            commission,
            lambda who=who: commissioning.confirm_change(commission, acting_user=who),
            "Only the officer this referral is allocated to",
        )


def test_sourcing_waits_for_the_challenge(commission, officer_east):
    from providers.tests.factories import ProviderFactory

    refused(
        commission,
        lambda: commissioning.commission_spot_contract(
            commission, acting_user=officer_east, provider=ProviderFactory(), reason="Any"
        ),
        "cannot do this",
    )


def test_one_explanation_awaited_from_each(commission, officer_east):
    commissioning.request_explanation(commission, acting_user=officer_east, from_whom="provider")
    refused(
        commission,
        lambda: commissioning.request_explanation(commission, acting_user=officer_east, from_whom="provider"),
        "already awaited",
    )


def test_an_explanation_document_must_be_a_pdf_whatever_its_name(commission, officer_east):
    explanation = commissioning.request_explanation(commission, acting_user=officer_east, from_whom="provider")
    for name, content, reason in (
        ("letter.pdf", b"MZ\x90\x00 not a pdf", "must be a PDF"),
        ("letter.pdf", b"%PDF-" + b"x" * (5 * 1024 * 1024), "smaller than 5 MB"),
    ):
        document = SimpleUploadedFile(name, content, content_type="application/pdf")
        refused(
            commission,
            lambda document=document: commissioning.attach_explanation(
                explanation, acting_user=officer_east, received_on=timezone.localdate(), text="x", document=document
            ),
            reason,
        )


def test_an_explanation_cannot_come_before_it_was_asked_for(commission, officer_east):
    explanation = commissioning.request_explanation(commission, acting_user=officer_east, from_whom="provider")
    refused(
        commission,
        lambda: commissioning.attach_explanation(
            explanation, acting_user=officer_east, received_on=timezone.localdate() - timedelta(days=1), text="x"
        ),
        "between the day it was asked for and today",
    )


def test_withdrawing_during_the_challenge_stops_the_commission(commission, social_worker):
    referral_services.withdraw_referral(commission.referral, acting_user=social_worker, reason="Carers now on time")
    assert Commission.objects.get(pk=commission.pk).state == State.STOPPED


def test_the_challenge_page_walks_it_through(client, commission, officer_east, social_worker):
    client.force_login(officer_east)
    url = f"/commissioning/referrals/{commission.referral_id}/"
    page = client.get(commission.referral.get_absolute_url()).content.decode()
    assert f'href="{url}challenge/"' in page

    client.post(f"{url}challenge/", {"outcome": "Tried a new carer and new times; still late."})
    client.post(f"{url}explanations/", {"from_whom": "provider"})
    explanation = Explanation.objects.get()
    prefix = f"explanation-{explanation.pk}"
    client.post(
        f"/commissioning/explanations/{explanation.pk}/attach/",
        {
            **{f"{prefix}-{k}": v for k, v in date_fields("received_on", timezone.localdate()).items()},
            f"{prefix}-text": "Staff shortages on the morning run.",
            f"{prefix}-document": SimpleUploadedFile("reply.pdf", PDF, content_type="application/pdf"),
        },
    )
    client.post(f"{url}quality-alert/", {"details": "Late and missed visits."})
    response = client.post(f"{url}confirm-change/", follow=True)

    assert "The change of provider is confirmed" in response.content.decode()
    assert Commission.objects.get(pk=commission.pk).state == State.SOURCING
    document = client.get(f"/commissioning/explanations/{explanation.pk}/document/")
    assert b"".join(document.streaming_content) == PDF
    client.force_login(social_worker)  # the document is the team's, not everyone's who sees the person
    assert client.get(f"/commissioning/explanations/{explanation.pk}/document/").status_code == 403


def test_the_old_provider_is_told_when_the_new_one_takes_over(
    running, person, cap_member, officer_east, django_capture_on_commit_callbacks
):
    from packages.tests.factories import agreed, in_days

    change = agreed(person, cap_member, officer_east, start_date=in_days(21))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        commissioning.issue_purchase_order(change.commission, acting_user=officer_east)

    subject = f"Service agreement {running.agreement.reference} ends on {in_days(20):%-d %B %Y}"
    told = [m for m in mail.outbox if m.subject == subject]
    assert [m.to for m in told] == [[running.bidders[0].email]]
    assert person.last_name not in told[0].body  # the person's details stay behind the portal's login


def test_a_challenge_form_sent_empty_comes_back_with_the_reason_and_changes_nothing(client, commission, officer_east):
    client.force_login(officer_east)
    before = footprint(commission)

    response = client.post(f"/commissioning/referrals/{commission.referral_id}/challenge/", {"outcome": "  "})

    assert response.status_code == 400
    assert "Say why a change of times, carer or tasks would not let the service continue" in response.content.decode()
    assert footprint(commission) == before
