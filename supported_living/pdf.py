"""The supported living agreement as a PDF, rendered as the purchase order is: WeasyPrint with a fetcher that reads
only our static files; every piece of case text (the provider's too) autoescaped."""

import weasyprint
from django.template.loader import render_to_string

from purchase_orders.pdf import STATIC_ROOTS, StaticOnlyFetcher


def render_agreement_pdf(placement) -> bytes:
    from .models import Proposal

    agreement = placement.agreement
    proposal = Proposal.objects.filter(chosen=placement.agreed_with_id).prefetch_related("lines").first()
    html = render_to_string(
        "supported_living/agreement.html",
        {
            "placement": placement,
            "agreement": agreement,
            "person": placement.person,
            "plan": placement.referral.plan,
            "proposal": proposal,
            "order": agreement.purchase_orders.order_by("revision").first(),
        },
    )
    return weasyprint.HTML(string=html, base_url=str(STATIC_ROOTS[0]), url_fetcher=StaticOnlyFetcher()).write_pdf()
