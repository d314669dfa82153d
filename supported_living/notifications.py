"""E-mails on a supported living placement's way: each provider chosen for an assessment is told there is a person's
record to read in its portal. The e-mail carries the placement's reference and a link, never anything about the
person: e-mail is not a secure channel."""

from django.urls import reverse

from accounts.models import User
from core.mail import absolute_url, plain_message, send_once

from .models import ChosenProvider

BEHIND_A_LOGIN = (
    "Sign in to the provider portal to read the person's details and plan and to send your proposal: they are not "
    "in this e-mail, because e-mail is not a secure channel.\n\nBrokerage case management"
)


def announce_assessment(chosen_id: int) -> bool:
    """Tell the chosen provider's staff that Brokerage asks them to assess a person for supported living."""
    chosen = ChosenProvider.objects.select_related("placement", "provider").get(pk=chosen_id)

    def messages():
        addresses = (
            User.objects.filter(provider=chosen.provider, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
        link = absolute_url(reverse("portal:supported_living_assessment", args=[chosen.pk]))
        body = (
            f"Brokerage has chosen {chosen.provider} to assess a person for supported living "
            f"({chosen.placement.reference}). After your assessment, send your proposal of 1:1 hours a week and its "
            f"cost breakdown:\n\n{link}\n\n{BEHIND_A_LOGIN}\n"
        )
        subject = f"Supported living assessment ({chosen.placement.reference})"
        return [plain_message(subject=subject, body=body, to=a) for a in sorted(set(addresses))]

    return send_once(f"supported-living-assessment-{chosen_id}", messages)
