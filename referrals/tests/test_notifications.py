"""The e-mails people wait for (referrals.notifications): each to exactly those who may open its link, once
however often its task runs, never when the transaction that asked for it rolls back, and with nothing about
the person in it (e-mail is not a secure channel)."""

from decimal import Decimal
from smtplib import SMTPServerDisconnected

import pytest
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.urls import reverse

from accounts.roles import Role
from accounts.tests.factories import UserFactory
from approvals.models import Approval
from catalogue.codes import ServiceCode
from core.models import SentEmail
from people.models import Person
from people.tests.factories import make_person
from referrals import services
from referrals.models import Referral
from referrals.tasks import notify_decision_awaited, notify_funding_decision, notify_urgent_arrival
from referrals.tests.factories import DETAILS, approve, awaiting_funding_referral, suspension_referral, urgent_referral

SITE = "https://brokerage.riverside.example.gov.uk"
FIRST, LAST, POSTCODE, STREET = "Adaeze", "Thornbury", "E1 7QX", "14 Wharf Lane"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def adaeze(social_worker, east_area):
    return make_person(
        social_worker, east_area, first_name=FIRST, last_name=LAST, postcode=POSTCODE, address_line_1=STREET
    )


@pytest.fixture
def sent(mailoutbox, django_capture_on_commit_callbacks):
    """Run `action` as a request would: its tasks run when its transaction commits. Returns the e-mails it sent."""

    def run(action):
        before = len(mailoutbox)
        with django_capture_on_commit_callbacks(execute=True):
            result = action()
        return result, mailoutbox[before:]

    return run


def left(user):
    """Someone who has left: their account is kept, inactive."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user


def recipients(messages) -> list[str]:
    """Everyone e-mailed, one message each: no one sees who else was sent it."""
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in messages)
    return sorted(m.to[0] for m in messages)


def assert_nothing_personal(messages, person: Person, *also: str) -> None:
    assert messages
    for m in messages:
        text = m.subject + "\n" + m.body
        for personal in (
            person.first_name,
            person.last_name,
            person.nhs_number,
            person.postcode,
            person.postcode.replace(" ", ""),
            person.address_line_1,
            DETAILS,
            *also,
        ):
            assert personal not in text, (personal, text)


# The panel: a plan awaits its decision ----------------------------------------------------------
def test_the_panel_is_told_a_plan_awaits_its_decision(sent, social_worker, cap_member, head_of_service, adaeze):
    colleague = UserFactory(roles=[Role.CAP_MEMBER])
    UserFactory(roles=[Role.CAP_MEMBER], email="")  # no address: nothing to send to
    left(UserFactory(roles=[Role.CAP_MEMBER]))

    referral, messages = sent(lambda: awaiting_funding_referral(social_worker, adaeze))

    assert referral.state == Referral.State.AWAITING_FUNDING
    assert recipients(messages) == sorted([cap_member.email, colleague.email])
    assert messages[0].subject == f"Referral {referral.reference} awaits a funding decision"
    assert f"{SITE}{reverse('referrals:funding', args=[referral.pk])}" in messages[0].body
    assert "Care Authorisation Panel" in messages[0].body
    assert_nothing_personal(messages, adaeze)


def test_an_out_of_panel_placement_goes_to_the_heads_of_service(
    sent, social_worker, cap_member, head_of_service, adaeze
):
    referral, messages = sent(
        lambda: awaiting_funding_referral(social_worker, adaeze, service_type=ServiceCode.RESIDENTIAL)
    )
    assert recipients(messages) == [head_of_service.email]
    assert "out-of-panel approval from a head of service" in messages[0].body
    assert_nothing_personal(messages, adaeze, "Residential", "residential")


# The team: an urgent referral arrives -----------------------------------------------------------
def test_the_team_is_told_an_urgent_referral_has_arrived(
    sent, social_worker, officer_east, other_officer_east, lead_east, officer_west, lead_west, cap_member, adaeze
):
    left(UserFactory(roles=[Role.BROKERAGE_OFFICER], team="east"))

    referral, messages = sent(lambda: urgent_referral(social_worker, adaeze))

    assert referral.state == Referral.State.QUEUED
    assert recipients(messages) == sorted([officer_east.email, other_officer_east.email, lead_east.email])
    assert messages[0].subject == f"Urgent referral {referral.reference} for the East team"
    assert f"An urgent referral {referral.reference} has arrived in the East team's queue." in messages[0].body
    assert f"{SITE}/referrals/{referral.pk}/" in messages[0].body
    assert_nothing_personal(messages, adaeze)


def test_the_west_team_is_told_of_its_own(sent, social_worker, officer_east, officer_west, lead_west, west_area):
    person = make_person(social_worker, west_area)
    _, messages = sent(lambda: urgent_referral(social_worker, person))
    assert recipients(messages) == sorted([officer_west.email, lead_west.email])
    assert "West team" in messages[0].subject


def test_a_referral_that_is_not_urgent_is_not_announced(sent, social_worker, officer_east, lead_east, adaeze):
    _, messages = sent(lambda: suspension_referral(social_worker, adaeze))
    assert messages == []


def test_an_urgent_plan_is_announced_when_its_funding_lets_it_into_the_queue(
    sent, social_worker, cap_member, officer_east, lead_east, adaeze
):
    referral, to_panel = sent(lambda: awaiting_funding_referral(social_worker, adaeze, urgent=True))
    assert recipients(to_panel) == [cap_member.email]  # not the team yet: it is not in their queue

    _, messages = sent(lambda: approve(referral, cap_member))

    urgent = [m for m in messages if m.subject.startswith("Urgent referral")]
    assert recipients(urgent) == sorted([officer_east.email, lead_east.email])


def test_an_urgent_change_held_for_risk_is_announced_when_released(
    sent, social_worker, officer_east, lead_east, adaeze
):
    referral, held = sent(lambda: suspension_referral(social_worker, adaeze, urgent=True, puts_person_at_risk=True))
    assert referral.state == Referral.State.HELD_FOR_RISK and held == []

    _, messages = sent(
        lambda: services.record_risk_strategies_agreed(
            referral, acting_user=social_worker, strategies="Daughter visits daily"
        )
    )
    assert recipients(messages) == sorted([officer_east.email, lead_east.email])
    assert_nothing_personal(messages, adaeze, "Daughter")


# The social worker: a funding decision, options returned ----------------------------------------
@pytest.mark.parametrize(
    ("decision", "amount", "word"),
    [("approved", Decimal("1234.56"), "approved"), ("declined", None, "declined"), ("deferred", None, "deferred")],
)
def test_the_social_worker_is_told_the_funding_decision(
    sent, social_worker, cap_member, officer_east, adaeze, decision, amount, word
):
    referral = awaiting_funding_referral(social_worker, adaeze)
    notes = "Eligible needs: personal care twice daily." if decision != "approved" else ""

    _, messages = sent(
        lambda: services.record_funding_decision(
            referral, acting_user=cap_member, decision=decision, approved_weekly_amount=amount, notes=notes
        )
    )

    assert recipients(messages) == [social_worker.email]
    assert messages[0].subject == f"Funding {word} for referral {referral.reference}"
    assert f"has been {word} by the panel" in messages[0].body
    assert f"{SITE}/referrals/{referral.pk}/" in messages[0].body
    assert_nothing_personal(messages, adaeze, "1234", "1,234", "personal care")


def test_a_decision_goes_to_the_worker_holding_the_case_not_a_referrer_who_no_longer_does(
    sent, social_worker, other_social_worker, cap_member, adaeze
):
    referral = awaiting_funding_referral(social_worker, adaeze)
    Person.objects.filter(pk=adaeze.pk).update(allocated_worker=other_social_worker)

    _, messages = sent(lambda: services.record_funding_decision(referral, acting_user=cap_member, decision="declined"))

    assert recipients(messages) == [other_social_worker.email]


def test_the_social_worker_is_told_options_were_returned(sent, social_worker, officer_east, lead_east, adaeze):
    referral = services.create_referral(
        acting_user=social_worker,
        person=adaeze,
        kind=Referral.Kind.SOURCING_SUPPORT,
        service_type=ServiceCode.DAY_OPPORTUNITIES,
        details=DETAILS,
    )
    referral = services.take_referral(referral, acting_user=officer_east)
    options = "Riverside Day Centre (Tuesdays) or the Wharf Lane lunch club."

    _, messages = sent(lambda: services.return_sourcing_options(referral, acting_user=officer_east, options=options))

    assert recipients(messages) == [social_worker.email]
    assert messages[0].subject == f"Sourcing options returned for referral {referral.reference}"
    assert f"{SITE}/referrals/{referral.pk}/" in messages[0].body
    assert_nothing_personal(messages, adaeze, "Riverside Day Centre", "Wharf Lane", "Day opportunities")


# Once, after commit, and tried again -----------------------------------------------------------
def test_a_task_run_again_sends_nothing_again(sent, social_worker, cap_member, officer_east, adaeze):
    referral, first = sent(lambda: awaiting_funding_referral(social_worker, adaeze))
    assert len(first) == 1

    # A redelivered message, or a retry after the e-mails went: the same task again.
    _, again = sent(lambda: notify_decision_awaited.apply(args=[referral.pk], throw=True))
    assert again == []
    assert SentEmail.objects.get(key=f"referral-{referral.pk}:awaiting-decision").messages == 1

    decision = approve(referral, cap_member).transitions.get()
    _, decided = sent(lambda: notify_funding_decision.apply(args=[referral.pk, decision.pk], throw=True))
    assert recipients(decided) == [social_worker.email]  # its first run: the approval above was never committed
    _, twice = sent(lambda: notify_funding_decision.apply(args=[referral.pk, decision.pk], throw=True))
    assert twice == []


def test_a_mail_server_that_fails_is_tried_again_and_each_e_mail_goes_once(
    sent, monkeypatch, social_worker, officer_east, lead_east, adaeze, mailoutbox
):
    referral = urgent_referral(social_worker, adaeze)  # its task never runs: the test's transaction never commits
    send = EmailBackend.send_messages
    attempts = []

    def fails_first_time(self, messages):
        attempts.append(len(messages))
        if len(attempts) == 1:
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", fails_first_time)

    # As a worker runs it: Celery retries the task (run eagerly here, the retry at once) when the server fails.
    result = notify_urgent_arrival.apply(args=[referral.pk], throw=False)

    assert result.get() is True
    assert attempts == [2, 2]  # refused, then taken on the retry
    assert recipients(mailoutbox) == sorted([officer_east.email, lead_east.email])
    assert notify_urgent_arrival.apply(args=[referral.pk], throw=False).get() is False  # a redelivery
    assert len(mailoutbox) == 2


def test_a_plan_no_longer_waiting_is_not_announced(sent, social_worker, cap_member, officer_east, adaeze):
    """Withdrawn before its task ran (a worker down, the mail server retried): the panel has nothing to decide."""
    referral = awaiting_funding_referral(social_worker, adaeze)  # its task never runs: never committed
    services.withdraw_referral(referral, acting_user=social_worker, reason="Moved out of the borough")
    urgent = urgent_referral(social_worker, adaeze)
    services.withdraw_referral(urgent, acting_user=social_worker, reason="Sent in error")

    _, messages = sent(
        lambda: (
            notify_decision_awaited.apply(args=[referral.pk], throw=True),
            notify_urgent_arrival.apply(args=[urgent.pk], throw=True),
        )
    )
    assert messages == []


def test_a_failed_sending_leaves_nothing_recorded(monkeypatch, social_worker, officer_east, adaeze, mailoutbox):
    from referrals.notifications import announce_urgent_arrival

    referral = urgent_referral(social_worker, adaeze)  # its task never runs: the test's transaction never commits

    def refuse(self, messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    with pytest.raises(SMTPServerDisconnected):
        announce_urgent_arrival(referral.pk)
    assert not SentEmail.objects.filter(key=f"referral-{referral.pk}:urgent-arrived").exists()

    monkeypatch.undo()
    assert announce_urgent_arrival(referral.pk) is True
    assert recipients(mailoutbox) == [officer_east.email]


def test_nothing_is_sent_when_the_transaction_rolls_back(sent, social_worker, cap_member, officer_east, adaeze):
    def refer_then_fail():
        with transaction.atomic():
            awaiting_funding_referral(social_worker, adaeze)
            urgent_referral(social_worker, adaeze)
            raise RuntimeError("the request failed after the referrals were made")

    with pytest.raises(RuntimeError):
        sent(refer_then_fail)

    _, messages = sent(lambda: None)
    assert messages == [] and not Referral.objects.exists() and not SentEmail.objects.exists()


def test_a_refused_decision_sends_nothing(sent, social_worker, cap_member, officer_east, adaeze):
    referral = awaiting_funding_referral(social_worker, adaeze)
    with pytest.raises(Exception, match="approved weekly amount"):
        sent(lambda: services.record_funding_decision(referral, acting_user=cap_member, decision="approved"))
    approval = Approval.objects.get()  # asked for when the plan was sent, and still undecided
    assert approval.state == Approval.State.REQUESTED and not approval.transitions.exists()
    assert not SentEmail.objects.exists()
