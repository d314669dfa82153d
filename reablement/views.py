from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from audit.services import record_list_view, record_refusal, record_view
from core.exceptions import ActionRefused
from core.once import EXPIRED, redirect_after, submit_once
from core.pagination import keyset_page
from core.views import refuse
from people.selectors import caseload

from . import services
from .access import access_case
from .forms import HospitalReferralForm, NotAcceptForm, PlanForm, ReassessmentForm, StepForm, TerminationForm
from .models import REABLEMENT_MACHINE
from .selectors import CASES_NEWEST_FIRST, case_page, cases_for_spa

CASES_PAGE_SIZE = 50


@require_GET
def case_list(request):
    page = keyset_page(
        cases_for_spa(),
        ordering=CASES_NEWEST_FIRST,
        size=CASES_PAGE_SIZE,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
    )
    record_list_view(actor=request.user, what="reablement cases", people=[c.person_id for c in page])
    return render(
        request,
        "reablement/case_list.html",
        {"cases": page.object_list, "pagination": page.navigation(request.GET)},
    )


@require_http_methods(["GET", "POST"])
def case_create(request):
    form = HospitalReferralForm(request.POST or None, caseload=caseload(request.user))
    if request.method == "POST" and form.is_valid():

        def record(data):
            return services.record_hospital_referral(
                acting_user=request.user,
                person=data["person"],
                new_person=form.new_person(),
                **{k: data[k] for k in ("hospital", "ward", "referred_by_name", "expected_discharge", "needs")},
            )

        try:
            sent = submit_once(form, user=request.user, action=record)
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            return redirect_after(
                request, sent, lambda case: f"Hospital referral recorded: {case.reference}. Screen it next."
            )
    if form.errors:
        form.renew_token()
    return render(request, "reablement/case_form.html", {"form": form}, status=400 if form.errors else 200)


@require_GET
def case_detail(request, case_id: int):
    case = access_case(request.user, case_id)
    record_view(actor=request.user, obj=case, person=case.person, what=f"reablement case {case.reference}")
    page = case_page(case)
    return render(
        request,
        "reablement/case_detail.html",
        {
            "case": case,
            "page": page,
            # Each button its own one-time token: one page's buttons are different sendings.
            "actions": [(action, StepForm(auto_id=False)) for action in REABLEMENT_MACHINE.actions(case, request.user)],
            "picture": REABLEMENT_MACHINE.picture(case.state),
        },
    )


# Each step with fields: its form. A step without is a button, sent with a StepForm's one-time token.
FORMS = {
    "not_accept": NotAcceptForm,
    "write_plan": PlanForm,
    "reassess": ReassessmentForm,
    "request_termination": TerminationForm,
}
TITLES = {
    "accept": "Accept the referral",
    "not_accept": "Do not accept the referral",
    "write_plan": "Write the reablement plan",
    "send_to_brokerage": "Send the plan to Brokerage",
    "reassess": "Record a re-assessment",
    "apply_change": "Apply the re-assessment",
    "request_termination": "End reablement",
    "terminate": "End the package",
}
DONE = {
    "accept": "Referral accepted. Write the reablement plan next.",
    "not_accept": "Referral not accepted.",
    "write_plan": "Reablement plan written.",
    "send_to_brokerage": "Sent to Brokerage.",
    "reassess": "Re-assessment recorded and sent to Brokerage.",
    "apply_change": "Re-assessment applied: a revised purchase order is issued; the provider and SPA are told.",
    "request_termination": "Ending sent to Brokerage.",
    "terminate": "Reablement has ended: the package is ended; the provider and SPA are told.",
}


def _take(step: str, case, user, form):
    data = form.action_data()
    if step == "accept":
        return services.accept_case(case, acting_user=user)
    if step == "not_accept":
        return services.not_accept_case(case, acting_user=user, reason=data["reason"])
    if step == "write_plan":
        return services.write_plan(
            case,
            acting_user=user,
            weekly_hours=data["weekly_hours"],
            start_date=data["start_date"],
            worker=data["worker"],
            days=form.days(),
        )
    if step == "send_to_brokerage":
        return services.send_to_brokerage(case, acting_user=user)
    if step == "reassess":
        return services.record_reassessment(
            case,
            acting_user=user,
            assessed_on=data["assessed_on"],
            weekly_hours=data["weekly_hours"],
            effective_date=data["effective_date"],
            findings=data["findings"],
            evidence=data["evidence"],
            days=form.days(),
        )
    if step == "apply_change":
        return services.apply_reassessment(case, acting_user=user)
    if step == "request_termination":
        return services.request_termination(
            case,
            acting_user=user,
            reason=data["reason"],
            last_day=data["last_day"],
            admitted_on=data["admitted_on"],
            discharge_expected=data["discharge_expected"],
            note=data["note"],
        )
    return services.terminate(case, acting_user=user)


def _initial(step: str, case) -> dict:
    today = timezone.localdate()
    if step == "write_plan":
        return {"start_date": max(case.expected_discharge, today), "worker": case.worker_id}
    if step == "reassess":
        return {"assessed_on": today, "effective_date": today}
    return {}


def _why_not(case, step: str, user) -> list[str]:
    """Why this user cannot take the step now, its form aside: nothing when the form may be shown."""
    transition = REABLEMENT_MACHINE.step(case, step)
    if transition is None:
        return REABLEMENT_MACHINE.unmet_conditions(case, step)
    if not REABLEMENT_MACHINE.may(case, step, user):
        return [REABLEMENT_MACHINE.not_permitted]
    return REABLEMENT_MACHINE.unmet_conditions(case, step, skip=transition.custom.get("form_supplies", ()))


@require_http_methods(["GET", "POST"])
def case_step(request, case_id: int, step: str):
    """One step of the case: a form page for a step with fields, a button's target for one without."""
    case = access_case(request.user, case_id)
    if step not in TITLES:
        raise Http404("No such step")
    if request.method == "GET" and step not in FORMS:
        return redirect(case.get_absolute_url())
    form = FORMS.get(step, StepForm)(request.POST if request.method == "POST" else None, initial=_initial(step, case))
    if request.method == "POST" and step not in FORMS and not form.is_valid():
        return refuse(
            request, ActionRefused(EXPIRED), obj=case, person=case.person, redirect_to=case.get_absolute_url()
        )
    if request.method == "POST" and form.is_valid():
        try:
            sent = submit_once(
                form,
                user=request.user,
                url=lambda _: case.get_absolute_url(),
                action=lambda _: _take(step, case, request.user, form),
            )
        except ActionRefused as refusal:
            if step not in FORMS:
                return refuse(request, refusal, obj=case, person=case.person, redirect_to=case.get_absolute_url())
            record_refusal(actor=request.user, obj=case, person=case.person, reason=refusal.message)
            form.add_error(None, refusal.message)
        else:
            return redirect_after(request, sent, lambda _: DONE[step])
    if request.method == "GET":
        reasons = _why_not(case, step, request.user)
        if reasons:
            return refuse(
                request,
                ActionRefused(" ".join(reasons)),
                obj=case,
                person=case.person,
                redirect_to=case.get_absolute_url(),
            )
    if form.errors:
        form.renew_token()
    return render(
        request,
        "reablement/step_form.html",
        {"case": case, "form": form, "step": step, "title": TITLES[step], "package": case_page(case).package},
        status=400 if form.errors else 200,
    )
