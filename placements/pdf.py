"""The placement contract as a PDF, rendered as the purchase order is: WeasyPrint with a fetcher that reads only our
static files; every piece of case text autoescaped."""

import weasyprint
from django.template.loader import render_to_string

from purchase_orders.pdf import STATIC_ROOTS, StaticOnlyFetcher


def render_contract_pdf(placement) -> bytes:
    agreement = placement.agreement
    html = render_to_string(
        "placements/contract.html",
        {
            "placement": placement,
            "agreement": agreement,
            "person": placement.person,
            "order": agreement.purchase_orders.order_by("revision").first(),
        },
    )
    return weasyprint.HTML(string=html, base_url=str(STATIC_ROOTS[0]), url_fetcher=StaticOnlyFetcher()).write_pdf()
