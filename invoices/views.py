"""Finance's invoice pages: the invoices waiting, recording one, and one invoice with its checks, its history and
the steps the machine offers. Thin: the services decide, the selectors read."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import record_view
from catalogue.codes import ServiceCode
from core.exceptions import ActionRefused
from core.views import refuse

from . import forms, selectors, services
from .checks import flags_in_words, lines_of
from .models import INVOICE_MACHINE

# The invoice page's forms: the step's slug in its URL → (the form, the service it calls, what it says after).
STEPS = {
    "approve": (forms.ApproveForm, services.approve_invoice, "The invoice is approved for payment."),
    "query": (forms.QueryForm, services.query_invoice, "The invoice is queried: it waits for the provider's answer."),
    "answer": (
        forms.AnswerForm,
        services.answer_query,
        "The provider's answer is recorded and the invoice has been checked again.",
    ),
    "reject": (forms.RejectForm, services.reject_invoice, "The invoice is rejected: it will not be paid."),
}


@require_GET
def waiting(request):
    form = forms.WaitingFilterForm(request.GET or None)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    invoices = list(selectors.waiting(**filters)) if not form.errors else []
    return render(
        request,
        "invoices/waiting.html",
        {"form": form, "invoices": invoices, "filtered": bool(filters)},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def record(request):
    form = forms.RecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invoice = services.record_invoice(acting_user=request.user, **form.cleaned_data)
        except services.RecordingRefused as refusal:
            form.add_error(refusal.field, refusal.message)
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            said = "It is flagged: see its checks." if invoice.is_flagged else "Its checks found nothing to flag."
            messages.success(
                request,
                f"Invoice {invoice.number} from {invoice.provider} is recorded against "
                f"{invoice.purchase_order.display_number}. {said}",
            )
            return redirect(invoice.get_absolute_url())
    return render(request, "invoices/record.html", {"form": form}, status=400 if form.errors else 200)


def _page(request, invoice, *, bound=None, bound_slug: str = ""):
    order = invoice.purchase_order
    person = order.agreement.person
    record_view(actor=request.user, obj=invoice, person=person, what=f"invoice {invoice.reference}")
    step_forms = {
        slug: bound if slug == bound_slug else form_class(prefix=slug) for slug, (form_class, *_) in STEPS.items()
    }
    context = {
        "invoice": invoice,
        "order": order,
        "person": person,
        "flags": flags_in_words(invoice),
        "lines": lines_of(invoice),
        "service_name": ServiceCode(order.service_type).label
        if order.service_type in ServiceCode.values
        else order.service_type,
        "actions": INVOICE_MACHINE.actions(invoice, request.user),
        "forms": step_forms,
        "form": bound,
        "transitions": selectors.transitions_of(invoice),
        "picture": INVOICE_MACHINE.picture(invoice.state),
    }
    return render(request, "invoices/detail.html", context, status=400 if bound is not None else 200)


@require_GET
def detail(request, invoice_id: int):
    return _page(request, selectors.get_invoice(invoice_id))


@require_POST
def step(request, invoice_id: int, step: str):
    if step not in STEPS:
        raise Http404("No such step")
    invoice = selectors.get_invoice(invoice_id)
    form_class, action, success = STEPS[step]
    form = form_class(request.POST, prefix=step)
    if not form.is_valid():
        return _page(request, invoice, bound=form, bound_slug=step)
    try:
        action(invoice, acting_user=request.user, **form.cleaned_data)
    except ActionRefused as refusal:
        person = invoice.purchase_order.agreement.person
        return refuse(request, refusal, obj=invoice, person=person, redirect_to=invoice.get_absolute_url())
    messages.success(request, success)
    return redirect(invoice.get_absolute_url())
