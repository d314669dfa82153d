from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_POST

from audit.services import record_list_view
from core.exceptions import ActionRefused
from core.once import redirect_after, submit_once
from core.views import refuse
from referrals.access import access_referral
from referrals.views import referral_page

from .forms import ContactLogForm, QueueFilterForm
from .selectors import QueueFilters, QueueView, queue, task_rows, task_values, team_officers
from .services import log_contact

QUEUE_PAGE_SIZE = 50


def queue_page(request):
    user = request.user
    views = [QueueView.UNALLOCATED, QueueView.MINE] + ([QueueView.TEAM] if user.is_team_lead else [])
    view = request.GET.get("view", QueueView.UNALLOCATED)
    if view not in views:
        view = QueueView.UNALLOCATED
    officers = list(team_officers(user.team_id))
    form = QueueFilterForm(request.GET or None, officers=officers)
    filters = QueueFilters(view=view)
    if form.is_bound and form.is_valid():
        filters = QueueFilters(
            view=view,
            service_type=form.cleaned_data["service_type"],
            state=form.cleaned_data["state"],
            officer_id=form.cleaned_data["officer"],
            overdue=form.cleaned_data["overdue"],
        )
    # Counted on the referrals alone (a count of the joined rows would read every person and officer too),
    # then the page's rows read as plain values.
    page = Paginator(queue(user, filters), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    offset = (page.number - 1) * QUEUE_PAGE_SIZE  # start_index() is 0 for an empty queue
    referrals = list(task_values(queue(user, filters))[offset : offset + QUEUE_PAGE_SIZE])
    record_list_view(actor=user, what=f"the {user.team.name} task queue", people=[r["person_id"] for r in referrals])
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page_obj": page,
        "tasks": task_rows(referrals),
        "form": form,
        "view": view,
        "views": views,
        "querystring": params.urlencode(),
        "team_label": user.team.name,
    }
    template = "brokerage/_queue_table.html" if request.htmx else "brokerage/queue.html"
    return render(request, template, context)


@require_POST
def contact_create(request, referral_id: int):
    referral = access_referral(request.user, referral_id)
    form = ContactLogForm(request.POST)
    if not form.is_valid():
        return referral_page(request, referral, bound=form)
    try:
        sent = submit_once(
            form,
            user=request.user,
            url=lambda _: referral.get_absolute_url() + "#contact-log",
            action=lambda data: log_contact(referral, acting_user=request.user, **data),
        )
    except ActionRefused as refusal:
        return refuse(request, refusal, obj=referral, person=referral.person, redirect_to=referral.get_absolute_url())
    return redirect_after(request, sent, lambda _: "The contact has been added to the log.")
