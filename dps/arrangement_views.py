"""The DPS team's pages for purchasing arrangements (dps.arrangements)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import record_refusal
from core.exceptions import ActionRefused
from core.views import refuse

from . import arrangements
from .arrangement_forms import ArrangementForm, MemberForm
from .models import PurchasingArrangement


@require_GET
def arrangement_list(request):
    return render(request, "dps/arrangements/list.html", {"arrangements": arrangements.arrangements_overview()})


def _detail_page(request, arrangement, member_form=None, status=200):
    candidates = list(arrangements.candidates_for(arrangement))
    return render(
        request,
        "dps/arrangements/detail.html",
        {
            "arrangement": arrangement,
            "members": arrangements.members_of(arrangement),
            "form": member_form or MemberForm(candidates=candidates),
            "has_candidates": bool(candidates),
        },
        status=status,
    )


@require_GET
def arrangement_detail(request, arrangement_id: int):
    return _detail_page(request, get_object_or_404(PurchasingArrangement, pk=arrangement_id))


@require_http_methods(["GET", "POST"])
def arrangement_form(request, arrangement_id: int | None = None):
    arrangement = get_object_or_404(PurchasingArrangement, pk=arrangement_id) if arrangement_id else None
    form = ArrangementForm(request.POST or None, instance=arrangement)
    if request.method == "POST" and form.is_valid():
        try:
            saved = arrangements.save_arrangement(arrangement, acting_user=request.user, **form.cleaned_data)
        except ActionRefused as refusal:
            if arrangement is not None:
                record_refusal(actor=request.user, obj=arrangement, reason=refusal.message)
            form.add_error(None, refusal.message)
        else:
            messages.success(request, f"{saved.name} has been {'saved' if arrangement else 'set up'}.")
            return redirect("arrangements:detail", saved.pk)
    return render(
        request,
        "dps/arrangements/form.html",
        {"form": form, "arrangement": arrangement},
        status=400 if form.errors else 200,
    )


@require_POST
def admit(request, arrangement_id: int):
    arrangement = get_object_or_404(PurchasingArrangement, pk=arrangement_id)
    form = MemberForm(request.POST, candidates=arrangements.candidates_for(arrangement))
    if not form.is_valid():
        return _detail_page(request, arrangement, member_form=form, status=400)
    try:
        service = arrangements.admit_member(
            arrangement, acting_user=request.user, provider_service_id=form.cleaned_data["provider_service"]
        )
    except ActionRefused as refusal:
        return refuse(
            request, refusal, obj=arrangement, redirect_to=reverse("arrangements:detail", args=[arrangement.pk])
        )
    messages.success(request, f"{service.provider} has been admitted to {arrangement.name}.")
    return redirect("arrangements:detail", arrangement.pk)


@require_POST
def remove(request, arrangement_id: int, provider_service_id: int):
    arrangement = get_object_or_404(PurchasingArrangement, pk=arrangement_id)
    try:
        service = arrangements.remove_member(
            arrangement, acting_user=request.user, provider_service_id=provider_service_id
        )
    except ActionRefused as refusal:
        return refuse(
            request, refusal, obj=arrangement, redirect_to=reverse("arrangements:detail", args=[arrangement.pk])
        )
    messages.success(request, f"{service.provider} has been removed from {arrangement.name}.")
    return redirect("arrangements:detail", arrangement.pk)
