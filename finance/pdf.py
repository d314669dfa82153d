"""A provider's payment statement as a PDF, rendered as the purchase order is: WeasyPrint with a fetcher that reads
only our static files. Visits are named by package reference, never by the person: the provider matches them to
its own records by that reference, the one its call monitoring export carries."""

import weasyprint
from django.template.loader import render_to_string

from purchase_orders.pdf import STATIC_ROOTS, StaticOnlyFetcher


def render_statement_pdf(statement) -> bytes:
    html = render_to_string(
        "finance/statement_pdf.html",
        {"statement": statement, "run": statement.run, "provider": statement.provider, "lines": statement.lines.all()},
    )
    return weasyprint.HTML(string=html, base_url=str(STATIC_ROOTS[0]), url_fetcher=StaticOnlyFetcher()).write_pdf()
