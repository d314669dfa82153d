"""Rendering a purchase order to PDF with WeasyPrint. The document may load only our own
static files: nothing from the network, nothing a provider's text could point at."""

from pathlib import Path

import weasyprint
from django.conf import settings
from django.template.loader import render_to_string

STATIC_ROOTS = [Path(p).resolve() for p in settings.STATICFILES_DIRS]


def static_only_fetcher(url: str, *args, **kwargs):
    if url.startswith("file://"):
        path = Path(url.removeprefix("file://")).resolve()
        if any(path.is_relative_to(root) for root in STATIC_ROOTS) and path.is_file():
            return weasyprint.default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"Refused to fetch {url!r} while rendering a PDF")


def render_purchase_order_pdf(order) -> bytes:
    html = render_to_string("purchase_orders/purchase_order.html", {"order": order, "agreement": order.agreement,
                                                                    "person": order.agreement.person})
    return weasyprint.HTML(string=html, base_url=str(STATIC_ROOTS[0]), url_fetcher=static_only_fetcher).write_pdf()
