"""Rendering a purchase order to PDF with WeasyPrint. The document may load only our own
static files: nothing from the network, nothing a provider's text could point at."""

from pathlib import Path
from urllib.request import url2pathname

import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from weasyprint.urls import URLFetcher

STATIC_ROOTS = [Path(p).resolve() for p in settings.STATICFILES_DIRS]


class StaticOnlyFetcher(URLFetcher):
    """WeasyPrint 70 takes a URLFetcher (a plain function breaks on the first fetch), one per render:
    it keeps state between calls. Redirects come back through fetch(), so they are checked too."""

    def fetch(self, url, headers=None):
        if url.startswith("file://"):
            path = Path(url2pathname(url.removeprefix("file://").split("?")[0])).resolve()
            if any(path.is_relative_to(root) for root in STATIC_ROOTS) and path.is_file():
                return super().fetch(url, headers)
        raise ValueError(f"Refused to fetch {url!r} while rendering a PDF")


def static_only_fetcher(url: str):
    """Fetch one of our static files; refuse anything else (ValueError)."""
    return StaticOnlyFetcher()(url)


def render_purchase_order_pdf(order) -> bytes:
    html = render_to_string(
        "purchase_orders/purchase_order.html",
        {"order": order, "agreement": order.agreement, "person": order.agreement.person},
    )
    return weasyprint.HTML(string=html, base_url=str(STATIC_ROOTS[0]), url_fetcher=StaticOnlyFetcher()).write_pdf()
