"""A provider's own reconciliation in the portal: its planned and matched hours, its exceptions and finance's
decisions on them with their notes, its payment statements, and its invoices with what the council asked of them. Another provider's lines and statements are never
read: every query is filtered by the user's own organisation, and another's statement is "not found"."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from finance.models import ProviderStatement
from finance.periods import period_asked, period_query
from finance.selectors import exceptions, reconciliation_by_provider, statements_for_provider, statements_paying
from finance.views import statement_download
from invoices.selectors import for_provider as invoices_for_provider

from .access import provider_of, provider_required

SHOWN = 200  # exceptions on the page; a provider with more is asked to narrow the period


@require_GET
@provider_required
def reconciliation(request):
    provider = provider_of(request.user)
    first, last = period_asked(request)
    summary = next(iter(reconciliation_by_provider(first, last, provider_id=provider.pk)), None)
    found = exceptions(first=first, last=last, provider_id=provider.pk, state="all")
    return render(
        request,
        "portal/reconciliation.html",
        {
            "provider": provider,
            "first": first,
            "last": last,
            "query": period_query(first, last),
            "summary": summary,
            "lines": found[:SHOWN],
            "more": found.count() > SHOWN,
            "statements": statements_for_provider(provider),
        },
    )


@require_GET
@provider_required
def statement_pdf(request, statement_id: int):
    statement = get_object_or_404(
        ProviderStatement.objects.select_related("run", "provider"), pk=statement_id, provider=provider_of(request.user)
    )
    return statement_download(request, statement, retry_url=reverse("portal:statement_pdf", args=[statement.pk]))


@require_GET
@provider_required
def invoices(request):
    """The provider's own invoices: where each is, what the council asked or why it rejected one, and the statement
    that paid it."""
    provider = provider_of(request.user)
    found = list(invoices_for_provider(provider))
    paid = statements_paying(invoice.pk for invoice in found)
    return render(
        request,
        "portal/invoices.html",
        {"provider": provider, "invoices": [(invoice, paid.get(invoice.pk)) for invoice in found]},
    )
