from celery import shared_task
from django.conf import settings
from django.core.mail import send_mass_mail


@shared_task(acks_late=True)
def render_purchase_order(order_id: int) -> bool:
    """Render and keep the order's PDF, then tell the provider and the social worker.

    Idempotent: a second run (a redelivered message, a retry) finds the PDF and does nothing,
    so there is still one order, one PDF and one round of e-mails.
    """
    from .models import PurchaseOrder
    from .pdf import render_purchase_order_pdf
    from .services import store_pdf

    order = PurchaseOrder.objects.select_related("agreement__person__allocated_worker", "provider", "agreement__referral").get(pk=order_id)
    if order.pdf:
        return False
    if not store_pdf(order.pk, render_purchase_order_pdf(order)):
        return False
    _announce(order)
    return True


def _announce(order) -> int:
    from django.contrib.auth import get_user_model

    provider_emails = list(get_user_model().objects.filter(provider=order.provider, is_active=True)
                           .exclude(email="").values_list("email", flat=True))
    worker = order.agreement.person.allocated_worker
    subject = f"Purchase order {order.display_number} issued"
    body = f"Purchase order {order.display_number} has been issued. Sign in to the provider portal to download it."
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [e]) for e in provider_emails]
    if worker.email:
        staff_body = f"Purchase order {order.display_number} has been issued. Sign in to Brokerage case management to see it."
        messages.append((subject, staff_body, settings.DEFAULT_FROM_EMAIL, [worker.email]))
    return send_mass_mail(messages)
