"""The direct payment's page and its steps: thin views over direct_payments.services. Each step's form is on the
page, folded away; one sent with errors comes back open with them, and nothing changed."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from audit.services import record_refusal, record_view
from core.exceptions import ActionRefused
from core.views import refuse

from . import forms, services
from .access import access_direct_payment
from .models import DIRECT_PAYMENT_MACHINE
from .selectors import direct_payment_page
from .workflows import is_officer

# The page's forms: the step's slug in its URL → (the form, the service it calls, what it says after).
STEPS = {
    "send-agreement": (
        forms.AgreementForm,
        services.send_agreement,
        "The agreement is sent: record the signature when it comes back.",
    ),
    "redraft": (forms.RedraftForm, services.redraft, "The agreement is to be drafted again."),
    "record-signature": (forms.SignatureForm, services.record_signature, "The signature is recorded."),
    "schedule-payments": (
        None,
        services.schedule_payments,
        "The payments are scheduled: the direct payment is active.",
    ),
    "end": (forms.EndForm, services.end, "The direct payment has ended; later payments are cancelled."),
}


def _form(slug, direct_payment, bound):
    form_class = STEPS[slug][0]
    if isinstance(bound, form_class):
        return bound
    return form_class(direct_payment=direct_payment, prefix=slug)


def direct_payment_page_response(request, direct_payment, *, bound=None):
    record_view(
        actor=request.user,
        obj=direct_payment,
        person=direct_payment.person,
        what=f"direct payment {direct_payment.reference}",
    )
    page = direct_payment_page(direct_payment)
    context = {
        "direct_payment": direct_payment,
        "person": direct_payment.person,
        "referral": direct_payment.referral,
        "actions": DIRECT_PAYMENT_MACHINE.actions(direct_payment, request.user),
        "forms": {
            slug.replace("-", "_"): _form(slug, direct_payment, bound)
            for slug, (form_class, *_) in STEPS.items()
            if form_class
        },
        "form": bound,  # the error summary, and "Error: " in the title
        "payments": page.payments,
        "transitions": page.transitions,
        "is_officer": is_officer(direct_payment, request.user),
        "picture": DIRECT_PAYMENT_MACHINE.picture(direct_payment.state),
    }
    return render(
        request, "direct_payments/direct_payment_detail.html", context, status=400 if bound is not None else 200
    )


@require_GET
def direct_payment_detail(request, direct_payment_id: int):
    return direct_payment_page_response(request, access_direct_payment(request.user, direct_payment_id))


@require_POST
def step(request, direct_payment_id: int, step: str):
    if step not in STEPS:
        raise Http404("No such step")
    direct_payment = access_direct_payment(request.user, direct_payment_id)
    form_class, action, success = STEPS[step]
    data = {}
    if form_class is not None:
        form = form_class(request.POST, direct_payment=direct_payment, prefix=step)
        if not form.is_valid():
            return direct_payment_page_response(request, direct_payment, bound=form)
        data = form.cleaned_data
    try:
        action(direct_payment, acting_user=request.user, **data)
    except ActionRefused as refusal:
        if form_class is not None:  # the form comes back as it was sent, with the reason
            record_refusal(actor=request.user, obj=direct_payment, person=direct_payment.person, reason=refusal.message)
            form.add_error(None, refusal.message)
            return direct_payment_page_response(request, direct_payment, bound=form)
        return refuse(
            request,
            refusal,
            obj=direct_payment,
            person=direct_payment.person,
            redirect_to=direct_payment.get_absolute_url(),
        )
    messages.success(request, success)
    return redirect(direct_payment.get_absolute_url())
