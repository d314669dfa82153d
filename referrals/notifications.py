"""E-mails that people wait for on a referral's way: the panel (or a head of service) that a plan awaits its
decision; the team that an urgent referral has arrived in its queue; the social worker that funding was
decided, or that Brokerage has returned the options it found.

E-mail is not a secure channel: each says what happened, with the referral's reference and a link to its page,
and nothing about the person (no name, address, NHS number or care details), nor the decision's amount or notes.
Each goes only to those who may open the link, once (core.mail.send_once), from a task queued when the
transaction that made it commits (referrals.tasks).
"""

from django.urls import reverse

from accounts.models import User
from accounts.roles import BROKERAGE, Role
from approvals.models import ApprovalTransition
from approvals.workflows import Kind
from core.mail import absolute_url, plain_message, send_once
from people.access import can_view_person

from .models import Referral
from .workflows import BROKERAGE_STATES, State

BEHIND_A_LOGIN = (
    "Sign in to see the details: they are not in this e-mail, because e-mail is not a secure channel.\n\n"
    "Brokerage case management"
)


def _addresses(users) -> list[str]:
    return sorted(set(users.filter(is_active=True).exclude(email="").values_list("email", flat=True)))


def _messages(addresses: list[str], *, subject: str, lines: list[str]):
    body = "\n\n".join([*lines, BEHIND_A_LOGIN]) + "\n"
    return [plain_message(subject=subject, body=body, to=address) for address in addresses]


def _referral(referral_id: int) -> Referral:
    return Referral.objects.select_related("person", "referred_by", "person__allocated_worker", "team").get(
        pk=referral_id
    )


def _social_workers(referral: Referral) -> list[str]:
    """The practitioner who referred and the one holding the case (often the same): those who may still open it."""
    person = referral.person
    workers = {u.pk: u for u in (referral.referred_by, person.allocated_worker)}
    return sorted({u.email for u in workers.values() if u.is_active and u.email and can_view_person(u, person)})


def announce_awaiting_decision(referral_id: int) -> bool:
    """Tell the panel (a head of service, out of panel) that a plan waits for its funding decision. Once, and not
    at all if it no longer waits (decided or withdrawn before the e-mail could go)."""

    def messages():
        referral = _referral(referral_id)
        if referral.state != State.AWAITING_FUNDING:
            return []
        if referral.needs_out_of_panel_approval:
            who, deciders = "out-of-panel approval from a head of service", Role.HEAD_OF_SERVICE
        else:
            who, deciders = "a funding decision from the Care Authorisation Panel", Role.CAP_MEMBER
        return _messages(
            _addresses(User.objects.filter(groups__name=deciders)),
            subject=f"Referral {referral.reference} awaits a funding decision",
            lines=[
                f"The care and support plan on referral {referral.reference} is waiting for {who}.",
                f"Record the decision: {absolute_url(reverse('referrals:funding', args=[referral.pk]))}",
            ],
        )

    return send_once(f"referral-{referral_id}:awaiting-decision", messages)


def announce_urgent_arrival(referral_id: int) -> bool:
    """Tell the referral's team (its Brokerage officers and team lead) that an urgent referral is in its queue. Once,
    and not at all if it has left Brokerage's work (withdrawn) before the e-mail could go."""

    def messages():
        referral = _referral(referral_id)
        if referral.state not in BROKERAGE_STATES:
            return []
        team = referral.team.name
        officers = _addresses(User.objects.filter(team=referral.team_id, groups__name__in=BROKERAGE))
        return _messages(
            sorted({*officers, referral.team.email} - {""}),  # the team's shared inbox too, if it has one
            subject=f"Urgent referral {referral.reference} for the {team} team",
            lines=[
                f"An urgent referral {referral.reference} has arrived in the {team} team's queue.",
                f"Open it: {absolute_url(referral.get_absolute_url())}",
            ],
        )

    return send_once(f"referral-{referral_id}:urgent-arrived", messages)


def announce_funding_decision(referral_id: int, decision_id: int) -> bool:
    """Tell the social worker the funding decision on the plan of their referral: approved, declined or
    deferred. Once for each decision (a logged step of the plan's approval: deferred, then approved, is two)."""

    def messages():
        referral = _referral(referral_id)
        decision = ApprovalTransition.objects.select_related("approval").get(
            pk=decision_id, approval__plan_id=referral.plan_id
        )
        outcome = decision.get_target_display().lower()
        by = "a head of service" if decision.approval.kind == Kind.OUT_OF_PANEL else "the panel"
        return _messages(
            _social_workers(referral),
            subject=f"Funding {outcome} for referral {referral.reference}",
            lines=[
                f"Funding for the care and support plan on referral {referral.reference} has been {outcome} by {by}.",
                f"See the decision: {absolute_url(referral.get_absolute_url())}",
            ],
        )

    # Keyed by the approval's step: not "funding-decision-<id>", which funding decisions before approvals used.
    return send_once(f"approval-decision-{decision_id}", messages)


def announce_options_returned(referral_id: int) -> bool:
    """Tell the social worker that Brokerage has returned the options it found for their sourcing support. Once."""

    def messages():
        referral = _referral(referral_id)
        return _messages(
            _social_workers(referral),
            subject=f"Sourcing options returned for referral {referral.reference}",
            lines=[
                f"Brokerage has returned the options it found for referral {referral.reference}.",
                f"Read them: {absolute_url(referral.get_absolute_url())}",
            ],
        )

    return send_once(f"referral-{referral_id}:options-returned", messages)
