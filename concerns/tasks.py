from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.mail import send_mail


@shared_task
def notify_inbox(concern_id: int) -> int:
    """E-mail the receiving team that something is in its inbox. The e-mail names no one:
    the details stay in the system, behind a login."""
    from .models import Concern

    concern = Concern.objects.get(pk=concern_id)
    recipients = list(
        get_user_model()
        .objects.filter(groups__name=concern.routed_to, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return 0
    return send_mail(
        subject=f"New {concern.get_kind_display().lower()} (reference C-{concern.pk})",
        message=f"A {concern.get_kind_display().lower()} has been routed to the {concern.get_routed_to_display()}. "
        "Sign in to Brokerage case management to read it.",
        from_email=None,
        recipient_list=recipients,
    )
