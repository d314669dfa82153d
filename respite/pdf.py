"""The respite allowance letter as a PDF, rendered as the purchase order is: WeasyPrint with a fetcher that reads only
our static files; every piece of case text autoescaped. It says what the person needs and nothing else: their name
and address, the allowance, its year, and how to arrange respite."""

import weasyprint
from django.template.loader import render_to_string
from django.utils import timezone

from purchase_orders.pdf import STATIC_ROOTS, StaticOnlyFetcher


def render_letter_pdf(allowance) -> bytes:
    html = render_to_string(
        "respite/letter.html",
        {
            "allowance": allowance,
            "person": allowance.person,
            "team": allowance.team,
            "dated": timezone.localdate(),
        },
    )
    return weasyprint.HTML(string=html, base_url=str(STATIC_ROOTS[0]), url_fetcher=StaticOnlyFetcher()).write_pdf()
