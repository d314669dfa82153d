from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from audit.services import record_refusal, record_view
from brokerage.access import access_agreement
from core.exceptions import ActionRefused
from core.views import refuse
from people.sections import Page, sections_for
from purchase_orders.access import can_open_orders_of

from . import services
from .access import access_package
from .forms import ChangeTermsForm, InForceOnForm
from .models import PACKAGE_MACHINE
from .selectors import current_version, in_force_on, package_for_agreement, package_page
from .workflows import State, is_team_officer


@require_GET
def package_detail(request, package_id: int):
    package = access_package(request.user, package_id)
    record_view(actor=request.user, obj=package, person=package.person, what=f"care package {package.reference}")
    page = package_page(package)
    form = InForceOnForm(request.GET or None)
    asked_on = form.cleaned_data["on"] if form.is_bound and form.is_valid() else None
    answer = None
    if asked_on is not None:
        found = in_force_on(package, asked_on)
        # The same version from the page's list, which has its visits already.
        answer = next((v for v in page.versions if found and v.pk == found.pk), None)
    context = {
        "package": package,
        "versions": page.versions,
        "orders": page.orders,
        "transitions": page.transitions,
        "current": page.versions[-1] if page.versions else None,
        "form": form,
        "asked_on": asked_on,
        "answer": answer,
        "suspended": page.suspension_on(asked_on) if asked_on else None,
        "suspensions": page.suspensions,
        "may_open_orders": can_open_orders_of(request.user, package.person),
        "may_change": package.state == State.ACTIVE and is_team_officer(package, request.user),
        "picture": PACKAGE_MACHINE.picture(package.state),
        "sections": sections_for(request.user, package, page=Page.PACKAGE),
    }
    return render(request, "packages/package_detail.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def change_terms(request, agreement_id: int):
    agreement = access_agreement(request.user, agreement_id)
    package = package_for_agreement(agreement)
    if package is None or not is_team_officer(package, request.user):
        raise PermissionDenied("A package's terms are changed by the Brokerage team working the case.")
    current = current_version(package)
    if request.method == "GET" and (package.state != State.ACTIVE or current.agreement_id != agreement.pk):
        refusal = ActionRefused("Only the terms of an active package's current agreement can be changed.")
        return refuse(request, refusal, obj=package, person=package.person, redirect_to=package.get_absolute_url())
    form = ChangeTermsForm(
        request.POST or None,
        basis=agreement.price_basis,
        hours=current.weekly_hours,
        initial={
            "valid_from": max(timezone.localdate(), current.valid_from),
            "hourly_rate": current.hourly_rate,
            "weekly_cost": current.weekly_cost,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = services.change_terms(package, acting_user=request.user, **form.cleaned_data)
        except ActionRefused as refusal:
            record_refusal(actor=request.user, obj=package, person=package.person, reason=refusal.message)
            form.add_error(None, refusal.message)
        else:
            order = version.purchase_order
            messages.success(request, f"{order.display_number} issued, superseding the last purchase order.")
            return redirect(package.get_absolute_url())
    return render(
        request,
        "packages/terms_form.html",
        {"form": form, "package": package, "agreement": agreement, "current": current},
        status=400 if form.errors else 200,
    )
