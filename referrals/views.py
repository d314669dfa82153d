from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from approvals.selectors import is_annual
from audit.services import record_list_view, record_refusal, record_view
from brokerage.forms import ContactLogForm
from brokerage.selectors import contacts_for_referral, team_officers
from catalogue.models import ServiceType
from catalogue.sourcing import route_of, routes
from core.exceptions import ActionRefused
from core.once import OneTimeForm, redirect_after, submit_once
from core.pagination import keyset_page
from core.views import refuse
from people.access import access_person

from . import services
from .access import access_referral
from .forms import (
    AllocateForm,
    FundingDecisionForm,
    ReferralForm,
    ReferralKindForm,
    RiskStrategiesForm,
    SourcingOptionsForm,
    WithdrawForm,
)
from .models import REFERRAL_MACHINE, REFERRAL_TYPES
from .selectors import FUNDING_ORDER, own_work_on_page, referrals_awaiting_funding, timeline
from .workflows import is_sourcing_support

FUNDING_PAGE_SIZE = 50


def _referrer(request, person_id: int):
    """The person, for a practitioner who may refer them; otherwise why not."""
    person = access_person(request.user, person_id)
    if not request.user.is_practitioner:
        refusal = ActionRefused(services.ONLY_PRACTITIONERS_REFER)
        return person, refuse(request, refusal, obj=person, person=person, redirect_to=person.get_absolute_url())
    return person, None


@require_http_methods(["GET", "POST"])
def referral_create(request, person_id: int):
    """The first question, "What kind of referral is this?"; the answer leads to that kind's form. `?kind=`
    marks an earlier answer, for the form's "Change" link."""
    person, refused = _referrer(request, person_id)
    if refused:
        return refused
    form = ReferralKindForm(
        request.POST if request.method == "POST" else None, initial={"kind": request.GET.get("kind", "")}
    )
    if request.method == "POST" and form.is_valid():
        return redirect("referrals:create_for_kind", person.pk, form.cleaned_data["kind"])
    return render(
        request, "referrals/referral_kind.html", {"form": form, "person": person}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def referral_create_for_kind(request, person_id: int, kind: str):
    """The form for one kind of referral: only what that kind asks (referrals.models.REFERRAL_TYPES)."""
    person, refused = _referrer(request, person_id)
    if refused:
        return refused
    referral_type = REFERRAL_TYPES.get(kind)
    if referral_type is None:
        raise Http404("No such kind of referral.")
    form = ReferralForm(request.POST if request.method == "POST" else None, person=person, referral_type=referral_type)
    if request.method == "POST" and form.is_valid():
        try:
            sent = submit_once(
                form,
                user=request.user,
                action=lambda data: services.create_referral(acting_user=request.user, person=person, **data),
            )
        except ActionRefused as refusal:
            record_refusal(actor=request.user, obj=person, person=person, reason=refusal.message)
            form.add_error(None, refusal.message)
        else:
            return redirect_after(
                request,
                sent,
                lambda referral: f"Referral {referral.reference}: {referral.get_state_display().lower()}.",
            )
    return render(
        request,
        "referrals/referral_form.html",
        {"form": form, "person": person, "referral_type": referral_type},
        status=400 if form.errors else 200,
    )


# The forms on the referral page for a step, by the step whose action shows them.
ACTION_FORMS = {
    AllocateForm: "allocate",
    RiskStrategiesForm: "release_after_risk_agreed",
    SourcingOptionsForm: "return_options",
    WithdrawForm: "withdraw",
}


def referral_detail(request, referral_id: int):
    return referral_page(request, access_referral(request.user, referral_id))


def referral_page(request, referral, *, bound: forms.Form | None = None):
    """The referral page with each of its forms empty; or, for a form sent with errors, the page again with that
    form as it was sent (what was typed, each error by its field, a summary linking to them) and status 400."""
    record_view(actor=request.user, obj=referral, person=referral.person, what=f"referral {referral.reference}")
    user = request.user
    work, machine = own_work_on_page(referral)
    # The sourcing steps first (the commission's, when its steps are taken here), then the referral's own.
    actions = (machine.actions(work, user) if work is not None else []) + REFERRAL_MACHINE.actions(referral, user)
    # A form sent with errors is shown again even if its action is no longer allowed: sent corrected, it says why not.
    for form_class, name in ACTION_FORMS.items():
        if isinstance(bound, form_class) and name not in {a.name for a in actions}:
            actions.append(REFERRAL_MACHINE.action(name))
    if isinstance(bound, OneTimeForm):
        bound.renew_token()

    def form(form_class, **kwargs):
        return bound if isinstance(bound, form_class) else form_class(**kwargs)

    context = {
        "referral": referral,
        "person": referral.person,
        "timeline": timeline(referral, work),
        "work": work,
        "linked_work": referral.own_work if work is None else None,
        "work_picture": machine.picture(work.state) if work is not None else None,
        "contacts": contacts_for_referral(referral),
        "actions": actions,
        "can_log_contact": user.is_brokerage and user.team_id == referral.team_id,
        "form": bound,  # the error summary, and "Error: " in the title
        "contact_form": form(ContactLogForm),
        "allocate_form": form(AllocateForm, officers=team_officers(referral.team_id)),
        "risk_form": form(RiskStrategiesForm),
        "options_form": form(SourcingOptionsForm, initial={"options": referral.sourcing_options}),
        "withdraw_form": form(WithdrawForm),
        "picture": REFERRAL_MACHINE.picture(referral.state),
        "requirements": referral.requirements.select_related("arrangement").order_by("-published_at"),
        "agreement": referral.active_agreement,
        "can_shortlist": user.is_brokerage
        and user.team_id == referral.team_id
        and not is_sourcing_support(referral)
        and getattr(route_of(referral), "finds_a_provider", True),
    }
    if context["agreement"] is not None:
        context["orders"] = context["agreement"].purchase_orders.order_by("-revision")
    status = 400 if bound is not None and bound.errors else 200
    return render(request, "referrals/referral_detail.html", context, status=status)


def _post_action(request, referral_id: int, action, form_class=None, success: str = "", form_kwargs=None):
    referral = access_referral(request.user, referral_id)
    kwargs = {}
    if form_class is not None:
        form = form_class(request.POST, **(form_kwargs(referral) if form_kwargs else {}))
        if not form.is_valid():
            return referral_page(request, referral, bound=form)
        kwargs = form.cleaned_data
    try:
        action(referral, acting_user=request.user, **kwargs)
    except ActionRefused as refusal:
        return refuse(request, refusal, obj=referral, person=referral.person, redirect_to=referral.get_absolute_url())
    messages.success(request, success)
    return redirect("referrals:detail", referral.pk)


@require_POST
def referral_take(request, referral_id: int):
    return _post_action(request, referral_id, services.take_referral, success="You have taken this task.")


@require_POST
def referral_allocate(request, referral_id: int):
    return _post_action(
        request,
        referral_id,
        services.allocate_referral,
        AllocateForm,
        success="The task has been allocated.",
        form_kwargs=lambda r: {"officers": team_officers(r.team_id)},
    )


@require_POST
def referral_risk(request, referral_id: int):
    return _post_action(
        request,
        referral_id,
        services.record_risk_strategies_agreed,
        RiskStrategiesForm,
        success="Risk strategies recorded: the change has gone to Brokerage.",
    )


@require_POST
def referral_options(request, referral_id: int):
    return _post_action(
        request,
        referral_id,
        services.return_sourcing_options,
        SourcingOptionsForm,
        success="The options have been returned to the social worker.",
    )


@require_POST
def referral_withdraw(request, referral_id: int):
    return _post_action(
        request, referral_id, services.withdraw_referral, WithdrawForm, success="The referral has been withdrawn."
    )


@require_http_methods(["GET", "POST"])
def funding_decision(request, referral_id: int):
    referral = access_referral(request.user, referral_id)
    form = FundingDecisionForm(request.POST or None, annual=referral.plan_id is not None and is_annual(referral.plan))
    if request.method == "POST" and form.is_valid():
        try:
            services.record_funding_decision(referral, acting_user=request.user, **form.cleaned_data)
        except ActionRefused as refusal:
            return refuse(request, refusal, obj=referral, person=referral.person, redirect_to="referrals:funding_list")
        messages.success(request, f"Funding decision recorded for {referral.reference}.")
        return redirect("referrals:funding_list")
    record_view(
        actor=request.user, obj=referral, person=referral.person, what=f"referral {referral.reference} for funding"
    )
    return render(
        request,
        "referrals/funding_form.html",
        {"form": form, "referral": referral, "plan": referral.plan},
        status=400 if form.errors else 200,
    )


def funding_list(request):
    page = keyset_page(
        referrals_awaiting_funding(request.user),
        ordering=FUNDING_ORDER,
        size=FUNDING_PAGE_SIZE,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
    )
    record_list_view(actor=request.user, what="the funding decisions waiting", people=[r.person_id for r in page])
    return render(
        request,
        "referrals/funding_list.html",
        {"referrals": page.object_list, "pagination": page.navigation(request.GET)},
    )


def workflow(request):
    """The referral's machine, then the machine of each app that sources service types once a referral is taken."""
    names = dict(ServiceType.objects.values_list("code", "name"))
    sourcing = [
        {
            "title": route.machine.title,
            "services": [names.get(code, code) for code in codes],
            "picture": route.machine.picture(),
        }
        for route, codes in routes()
        if route.machine is not None
    ]
    return render(request, "referrals/workflow.html", {"picture": REFERRAL_MACHINE.picture(), "sourcing": sourcing})
