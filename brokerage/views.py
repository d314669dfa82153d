from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.exceptions import ActionRefused
from core.views import refuse
from referrals.access import access_referral

from .forms import ContactLogForm, QueueFilterForm
from .selectors import QueueFilters, QueueView, queue, team_officers
from .services import log_contact

QUEUE_PAGE_SIZE = 50


def queue_page(request):
    user = request.user
    if not user.is_brokerage:
        raise PermissionDenied("The task queue is for Brokerage officers.")
    views = [QueueView.UNALLOCATED, QueueView.MINE] + ([QueueView.TEAM] if user.is_team_lead else [])
    view = request.GET.get("view", QueueView.UNALLOCATED)
    if view not in views:
        view = QueueView.UNALLOCATED
    officers = list(team_officers(user.team))
    form = QueueFilterForm(request.GET or None, officers=officers)
    filters = QueueFilters(view=view)
    if form.is_bound and form.is_valid():
        filters = QueueFilters(view=view, service_type=form.cleaned_data["service_type"], state=form.cleaned_data["state"],
                               officer_id=form.cleaned_data["officer"], overdue=form.cleaned_data["overdue"])
    page = Paginator(queue(user, filters), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {"page_obj": page, "form": form, "view": view, "views": views, "querystring": params.urlencode(),
               "team_label": user.get_team_display()}
    template = "brokerage/_queue_table.html" if request.htmx else "brokerage/queue.html"
    return render(request, template, context)


@require_POST
def contact_create(request, referral_id: int):
    referral = access_referral(request.user, referral_id)
    form = ContactLogForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label if field in form.fields else ''}: {errors[0]}".lstrip(": "))
        return redirect(referral.get_absolute_url() + "#contact-log")
    try:
        log_contact(referral, acting_user=request.user, **form.cleaned_data)
    except ActionRefused as refusal:
        return refuse(request, refusal, obj=referral, person=referral.person, redirect_to=referral.get_absolute_url())
    messages.success(request, "The contact has been added to the log.")
    return redirect(referral.get_absolute_url() + "#contact-log")
