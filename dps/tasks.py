"""E-mails about requirements. None names the person: at most the postcode district."""

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail


def _provider_emails(provider_ids) -> list[str]:
    return list(
        get_user_model()
        .objects.filter(provider_id__in=provider_ids, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


@shared_task
def notify_providers_of_requirement(requirement_id: int) -> int:
    from providers.models import ProviderService

    from .models import DPSRequirement

    requirement = DPSRequirement.objects.get(pk=requirement_id)
    provider_ids = ProviderService.objects.filter(
        service_type=requirement.service_type,
        arrangement=requirement.arrangement,
        districts__contains=[requirement.postcode_district],
        provider__active=True,
    ).values_list("provider_id", flat=True)
    subject = f"New requirement {requirement.reference}: {requirement.get_service_type_display()} in {requirement.postcode_district}"
    body = (
        f"A new requirement is open for bids until {requirement.closes_at:%H:%M on %d %B %Y}.\n"
        "Sign in to the provider portal to read it and bid."
    )
    return send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [e]) for e in _provider_emails(provider_ids)])


@shared_task
def notify_bidders_of_outcome(requirement_id: int) -> int:
    """Unsuccessful bidders are told, with nothing about the person."""
    from .models import DPSRequirement

    requirement = DPSRequirement.objects.get(pk=requirement_id)
    losers = requirement.bids.exclude(pk=requirement.selected_bid_id).values_list("provider_id", flat=True)
    subject = f"Requirement {requirement.reference}: your bid was not successful"
    body = "Thank you for bidding. Another provider was chosen, or the requirement was withdrawn."
    return send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [e]) for e in _provider_emails(losers)])


@shared_task
def notify_dps_team(notice_id: int) -> int:
    from accounts.roles import Role

    from .models import SpotContractNotice

    notice = SpotContractNotice.objects.select_related("provider").get(pk=notice_id)
    emails = list(
        get_user_model()
        .objects.filter(groups__name=Role.DPS_TEAM, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    subject = f"Spot contract with {notice.provider}: invite them to enrol"
    body = (
        f"Brokerage has commissioned {notice.provider} off the framework for "
        f"{notice.get_service_type_display().lower()}. Reason: {notice.reason}\nSign in to see the notice."
    )
    return send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [e]) for e in emails])
