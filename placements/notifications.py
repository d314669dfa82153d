"""E-mails on a placement's way: the social worker that there are homes to view, the heads of service that a fee
waits for their approval. Each carries the placement's reference and a link, never anything about the person."""

from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from core.mail import absolute_url, plain_message, send_once

from .models import Placement
from .workflows import State

BEHIND_A_LOGIN = (
    "Sign in to see the details: they are not in this e-mail, because e-mail is not a secure channel.\n\n"
    "Brokerage case management"
)


def _messages(addresses, *, subject: str, lines: list[str]):
    body = "\n\n".join([*lines, BEHIND_A_LOGIN]) + "\n"
    return [plain_message(subject=subject, body=body, to=address) for address in sorted(set(addresses))]


def announce_viewings(placement_id: int) -> bool:
    """Tell the person's social worker there is a list of care homes to view (sent again for each new list)."""
    placement = Placement.objects.select_related("person__allocated_worker").get(pk=placement_id)
    count = placement.transitions.filter(target=State.VIEWINGS).count()

    def messages():
        worker = placement.person.allocated_worker
        if placement.state != State.VIEWINGS or not (worker.is_active and worker.email):
            return []
        return _messages(
            [worker.email],
            subject=f"Care homes to view ({placement.reference})",
            lines=[
                f"Brokerage has sent you a list of care homes for placement {placement.reference}, so the person "
                "and their family can view them. Record each viewing's outcome on the placement's page:",
                absolute_url(reverse("placements:detail", args=[placement.pk])),
            ],
        )

    return send_once(f"placement-viewings-{placement_id}-{count}", messages)


def announce_fee_approval_requested(placement_id: int) -> bool:
    """Tell the heads of service that a placement fee waits for their approval."""
    placement = Placement.objects.get(pk=placement_id)
    count = placement.transitions.filter(target=State.AWAITING_FEE_APPROVAL).count()

    def messages():
        if placement.state != State.AWAITING_FEE_APPROVAL:
            return []
        heads = User.objects.filter(groups__name=Role.HEAD_OF_SERVICE, is_active=True).exclude(email="")
        return _messages(
            heads.values_list("email", flat=True),
            subject=f"A placement fee waits for your approval ({placement.reference})",
            lines=[
                f"Brokerage asks a head of service to approve the negotiated fee for placement {placement.reference}.",
                absolute_url(reverse("placements:detail", args=[placement.pk])),
            ],
        )

    return send_once(f"placement-fee-approval-{placement_id}-{count}", messages)
