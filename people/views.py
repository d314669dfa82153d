from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from audit.models import AuditEvent
from audit.selectors import audit_events_for_person
from audit.services import record_list_view, record_view
from core.exceptions import ActionRefused
from core.once import redirect_after, submit_once
from core.pagination import cursor_for, decode_cursor, keyset_page
from core.views import refuse

from . import services
from .access import access_person, access_plan, can_change_person
from .forms import IndicativeBudgetForm, NeedsAssessmentForm, PersonForm, PersonSearchForm, PlanCreateForm, PlanForm
from .sections import Page, sections_for
from .selectors import (
    NAME_ORDER,
    SEARCH_LIMIT,
    assessments_for_person,
    people_in_order,
    people_visible_to,
    plans_for_person,
    search_people,
)

PEOPLE_PAGE_SIZE = 25
HISTORY_SHOWN = 100  # events a page
HISTORY_ORDER = ["-at", "-id"]


@dataclass(frozen=True, slots=True)
class HistoryRow:
    """An audit event as the history page prints it, worked out here: the template's date filter, a hundred
    times a page, cost more than the rest of the page (brokerage.selectors.TaskRow does the same)."""

    when: str
    who: str
    what: str


def history_rows(events) -> list[HistoryRow]:
    rows = []
    for event in events:
        at = timezone.localtime(event.at)
        rows.append(
            HistoryRow(
                when=f"{at.day} {at:%b %Y %H:%M:%S}",
                who=str(event.actor) if event.actor_id else "System",
                what=f"{event.get_action_display()}: {event.summary}",
            )
        )
    return rows


def person_list(request):
    """Everyone the user has work for, in name order and paged by key; or a search of them."""
    form = PersonSearchForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "people/person_list.html", {"form": form, "people": None}, status=400)
    search = form.cleaned_data["q"] if form.is_bound else ""
    context = {"form": form, "search": search}
    if search:
        found = search_people(request.user, search)
        page = Paginator(found.ids, PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
        people = people_in_order(request.user, list(page.object_list))
        context |= {
            "page_obj": page,
            "querystring": urlencode({"q": search}),
            "too_many": found.too_many,
            "search_limit": SEARCH_LIMIT,
        }
    else:
        page = keyset_page(
            people_visible_to(request.user),
            ordering=NAME_ORDER,
            size=PEOPLE_PAGE_SIZE,
            after=request.GET.get("after", ""),
            before=request.GET.get("before", ""),
        )
        people = page.object_list
        context["pagination"] = page.navigation(request.GET)
    if search and found.by_nhs_number:
        # A search by NHS number points at one person: it goes on their own history.
        for person in people:
            record_view(actor=request.user, obj=person, person=person, what="their name, found by their NHS number")
    else:
        record_list_view(
            actor=request.user,
            people=[p.pk for p in people],
            what=f"the people list, searching for “{search}”" if search else "the people list",
        )
    return render(request, "people/person_list.html", context | {"people": people})


@require_http_methods(["GET", "POST"])
def person_create(request):
    form = PersonForm(request.POST or None, initial={"allocated_worker": request.user})
    if request.method == "POST" and form.is_valid():
        try:
            sent = submit_once(
                form, user=request.user, action=lambda data: services.create_person(acting_user=request.user, **data)
            )
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            return redirect_after(request, sent, lambda person: f"{person} has been recorded.")
    return render(
        request,
        "people/person_form.html",
        {"form": form, "title": "Record a person"},
        status=400 if form.errors else 200,
    )


def person_detail(request, person_id: int):
    person = access_person(request.user, person_id)
    record_view(actor=request.user, obj=person, person=person, what="the person's record")
    context = {
        "person": person,
        "assessments": assessments_for_person(person),
        "plans": plans_for_person(person),
        "can_change": can_change_person(request.user, person),
        # What other apps show here (services, agreements, orders, referrals): they register it (people.sections).
        "sections": sections_for(request.user, person),
    }
    return render(request, "people/person_detail.html", context)


@require_http_methods(["GET", "POST"])
def person_edit(request, person_id: int):
    person = access_person(request.user, person_id)
    if not can_change_person(request.user, person):
        refusal = ActionRefused(
            "Brokerage cannot change a person's record details."
            if request.user.is_brokerage
            else "Only the person's allocated practitioner can change their record."
        )
        return refuse(request, refusal, obj=person, person=person, redirect_to=person.get_absolute_url())
    if request.method == "GET":
        record_view(actor=request.user, obj=person, person=person, what="the person's whole record, to change it")
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(person, acting_user=request.user, **form.cleaned_data)
        except ActionRefused as refusal:
            return refuse(request, refusal, obj=person, person=person, redirect_to=person.get_absolute_url())
        messages.success(request, "The person's details have been saved.")
        return redirect("people:detail", person.pk)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "person": person, "title": f"Change {person}'s details"},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def assessment_create(request, person_id: int):
    person = access_person(request.user, person_id)
    if request.method == "GET" and not can_change_person(request.user, person):
        return refuse(
            request,
            ActionRefused(services.BROKERAGE_CANNOT_CHANGE_PLAN),
            obj=person,
            person=person,
            redirect_to=person.get_absolute_url(),
        )
    form = NeedsAssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sent = submit_once(
                form,
                user=request.user,
                url=lambda _: person.get_absolute_url(),
                action=lambda data: services.record_assessment(person, acting_user=request.user, **data),
            )
        except ActionRefused as refusal:
            return refuse(request, refusal, obj=person, person=person, redirect_to=person.get_absolute_url())
        return redirect_after(request, sent, lambda _: "The needs assessment has been recorded.")
    return render(
        request, "people/assessment_form.html", {"form": form, "person": person}, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "POST"])
def plan_create(request, person_id: int):
    person = access_person(request.user, person_id)
    if request.method == "GET" and not can_change_person(request.user, person):
        return refuse(
            request,
            ActionRefused(services.BROKERAGE_CANNOT_CHANGE_PLAN),
            obj=person,
            person=person,
            redirect_to=person.get_absolute_url(),
        )
    latest = person.plans.first()
    initial = {}
    if latest and request.method == "GET" and request.GET.get("from") == "latest":
        initial = {f: getattr(latest, f) for f in PlanForm.Meta.fields if f != "assessment"}
        initial["assessment"] = latest.assessment_id
        initial["indicative_weekly_budget"] = latest.indicative_weekly_budget
        record_view(
            actor=request.user,
            obj=latest,
            person=person,
            what=f"care and support plan version {latest.version}, copied into a new version",
        )
    form = PlanCreateForm(request.POST or None, person=person, initial=initial)
    if request.method == "POST" and form.is_valid():

        def create(data):
            data["visit_schedule"] = data.pop("visit_schedule_text")
            return services.create_plan(person, acting_user=request.user, **data)

        try:
            sent = submit_once(form, user=request.user, action=create)
        except ActionRefused as refusal:
            return refuse(request, refusal, obj=person, person=person, redirect_to=person.get_absolute_url())
        return redirect_after(
            request, sent, lambda plan: f"Care and support plan version {plan.version} has been saved."
        )
    return render(
        request,
        "people/plan_form.html",
        {"form": form, "person": person, "title": "Write a care and support plan"},
        status=400 if form.errors else 200,
    )


def plan_detail(request, person_id: int, plan_id: int):
    person = access_person(request.user, person_id)
    plan = access_plan(request.user, person, plan_id)
    record_view(actor=request.user, obj=plan, person=person, what=f"care and support plan version {plan.version}")
    can_change = can_change_person(request.user, person)
    return render(
        request,
        "people/plan_detail.html",
        {
            "person": person,
            "plan": plan,
            "can_change": can_change,
            # The decisions on the plan: approvals registers them (people.sections), as people cannot import it.
            "sections": sections_for(request.user, plan, page=Page.PLAN),
            "budget_form": IndicativeBudgetForm(initial={"amount": plan.indicative_weekly_budget}),
        },
    )


@require_http_methods(["GET", "POST"])
def plan_edit(request, person_id: int, plan_id: int):
    person = access_person(request.user, person_id)
    plan = access_plan(request.user, person, plan_id)
    back = plan.get_absolute_url()
    if request.method == "GET":
        if not can_change_person(request.user, person):
            return refuse(
                request, ActionRefused(services.BROKERAGE_CANNOT_CHANGE_PLAN), obj=plan, person=person, redirect_to=back
            )
        if plan.is_locked:
            return refuse(request, ActionRefused(services.PLAN_IS_LOCKED), obj=plan, person=person, redirect_to=back)
    form = PlanForm(request.POST or None, instance=plan, person=person)
    if request.method == "POST":
        if form.is_valid():
            data = {f: form.cleaned_data[f] for f in PlanForm.Meta.fields}
            data["visit_schedule"] = form.cleaned_data["visit_schedule_text"]
            try:
                services.update_plan(access_plan(request.user, person, plan_id), acting_user=request.user, **data)
            except ActionRefused as refusal:
                return refuse(request, refusal, obj=plan, person=person, redirect_to=back)
            messages.success(request, "The plan has been saved.")
            return redirect(back)
    return render(
        request,
        "people/plan_form.html",
        {"form": form, "person": person, "plan": plan, "title": f"Change plan version {plan.version}"},
        status=400 if form.errors else 200,
    )


@require_http_methods(["POST"])
def plan_budget(request, person_id: int, plan_id: int):
    person = access_person(request.user, person_id)
    plan = access_plan(request.user, person, plan_id)
    form = IndicativeBudgetForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter the indicative weekly budget in pounds, like 350.00")
        return redirect(plan.get_absolute_url())
    try:
        services.set_indicative_budget(plan, acting_user=request.user, amount=form.cleaned_data["amount"])
    except ActionRefused as refusal:
        return refuse(request, refusal, obj=plan, person=person, redirect_to=plan.get_absolute_url())
    messages.success(request, "The indicative weekly budget has been set.")
    return redirect(plan.get_absolute_url())


def person_history(request, person_id: int):
    """Who has seen or changed this person's record: for the practitioner and team leads."""
    person = access_person(request.user, person_id)
    if not (can_change_person(request.user, person) or request.user.is_team_lead):
        raise PermissionDenied("Only the person's practitioner and the Brokerage team lead can see this history.")
    record_view(actor=request.user, obj=person, person=person, what="the record's audit trail")
    # Years of history: a page of the newest, then older pages by key (core.pagination), never by offset.
    older_than = decode_cursor(request.GET.get("older_than", ""), AuditEvent, HISTORY_ORDER)
    events = audit_events_for_person(person, limit=HISTORY_SHOWN + 1, older_than=older_than)
    more = len(events) > HISTORY_SHOWN
    events = events[:HISTORY_SHOWN]
    return render(
        request,
        "people/person_history.html",
        {
            "person": person,
            "events": events,
            "rows": history_rows(events),
            "older": f"?older_than={cursor_for(events[-1], HISTORY_ORDER)}" if more else "",
            "is_older_page": older_than is not None,
        },
    )
