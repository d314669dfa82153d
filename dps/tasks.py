"""E-mails about requirements. None names the person: at most the postcode district."""

from datetime import datetime

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.utils import timezone


def _provider_emails(provider_ids) -> list[str]:
    return list(
        get_user_model()
        .objects.filter(provider_id__in=provider_ids, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def _invited_provider_ids(requirement):
    """The providers a requirement is open to: on its arrangement for its service, covering its district."""
    from providers.models import ProviderService

    return ProviderService.objects.filter(
        service_type_id=requirement.service_type_id,
        arrangement=requirement.arrangement,
        districts__contains=[requirement.postcode_district],
        provider__active=True,
    ).values_list("provider_id", flat=True)


def time_and_day(moment: datetime) -> str:
    """A moment as providers read it, "14:30 on 5 May 2026": in the council's time zone, whatever the worker's."""
    moment = timezone.localtime(moment)
    return f"{moment:%H:%M} on {moment.day} {moment:%B %Y}"


@shared_task
def notify_providers_of_requirement(requirement_id: int) -> int:
    from .models import DPSRequirement

    requirement = DPSRequirement.objects.get(pk=requirement_id)
    provider_ids = _invited_provider_ids(requirement)
    subject = (
        f"New requirement {requirement.reference}: {requirement.service_type.name} in {requirement.postcode_district}"
    )
    body = (
        f"A new requirement is open for bids until {time_and_day(requirement.closes_at)}.\n"
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
def notify_bidders_of_closing_time(requirement_id: int, previous_closes_at: str, closes_at: str, reason: str) -> int:
    """The providers a requirement went to, and any that bid, are told its new closing time and why.
    The reason passed dps.personal_data's check before it was queued (dps.services.change_closing_time)."""
    from .models import DPSRequirement

    requirement = DPSRequirement.objects.get(pk=requirement_id)
    previous, new = datetime.fromisoformat(previous_closes_at), datetime.fromisoformat(closes_at)
    bidders = requirement.bids.values_list("provider_id", flat=True)
    provider_ids = set(_invited_provider_ids(requirement)) | set(bidders)
    subject = f"Requirement {requirement.reference}: bidding now closes at {time_and_day(new)}"
    body = (
        f"Bidding on requirement {requirement.reference} now closes at {time_and_day(new)}, "
        f"{'later' if new > previous else 'earlier'} than {time_and_day(previous)}.\n"
        f"Reason: {reason}\n"
        "Bids already made stand, and can be changed until the new closing time. "
        "Sign in to the provider portal to see the requirement."
    )
    return send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [e]) for e in _provider_emails(provider_ids)])


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
        f"{notice.service_type.name.lower()}. Reason: {notice.reason}\nSign in to see the notice."
    )
    return send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [e]) for e in emails])
