from celery import shared_task
from django.conf import settings
from django.core.mail import send_mass_mail


@shared_task
def notify_award(agreement_id: int) -> int:
    """The provider is told it has a package to read in the portal; the practitioner (the social worker, or for
    reablement the reablement worker: catalogue.practitioners) that a provider has been sourced. Neither e-mail carries the person's details: those stay behind a login."""
    from django.contrib.auth import get_user_model

    from catalogue.practitioners import practitioner_told

    from .models import ServiceAgreement

    agreement = ServiceAgreement.objects.select_related(
        "provider", "person__allocated_worker", "referral__person__allocated_worker"
    ).get(pk=agreement_id)
    provider_emails = list(
        get_user_model()
        .objects.filter(provider=agreement.provider, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    messages = [
        (
            f"Service agreement {agreement.reference} awarded to you",
            "You have been awarded a package. Sign in to the provider portal to read the person's details "
            "and their care and support plan.",
            settings.DEFAULT_FROM_EMAIL,
            [e],
        )
        for e in provider_emails
    ]
    worker = practitioner_told(agreement.referral)
    if worker is not None and worker.email:
        messages.append(
            (
                f"A provider has been sourced ({agreement.reference})",
                f"{agreement.provider} will provide {agreement.service_type.name.lower()} from "
                f"{agreement.start_date:%d %B %Y}. Sign in to see the referral.",
                settings.DEFAULT_FROM_EMAIL,
                [worker.email],
            )
        )
    return send_mass_mail(messages)


@shared_task
def notify_agreement_ended(agreement_id: int) -> int:
    """The provider is told its agreement ends (the service moves to another provider, or ends): the last day, and
    nothing about the person, whose details stay behind the portal's login."""
    from django.contrib.auth import get_user_model

    from .models import ServiceAgreement

    agreement = ServiceAgreement.objects.select_related("provider").get(pk=agreement_id)
    emails = (
        get_user_model()
        .objects.filter(provider=agreement.provider, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    return send_mass_mail(
        [
            (
                f"Service agreement {agreement.reference} ends on {agreement.end_date:%-d %B %Y}",
                f"Service agreement {agreement.reference} ends after {agreement.end_date:%-d %B %Y}, and its purchase "
                "order is closed on that day: deliver and invoice nothing after it. Sign in to the provider portal "
                "for the details.",
                settings.DEFAULT_FROM_EMAIL,
                [email],
            )
            for email in emails
        ]
    )
