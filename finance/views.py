"""Finance's pages: planned visits, call monitoring imports with a progress bar, reconciliation and its exceptions,
what is payable, payment runs with their statements and CSV export."""

import csv
from datetime import date, timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import record_view
from core.documents import stored_pdf
from core.exceptions import ActionRefused
from core.tasks import enqueue
from providers.models import Provider

from . import selectors, services
from .charts import hours_chart
from .forms import CallMonitoringFileForm, DecisionForm, ExceptionFilterForm, PeriodForm, TolerancesForm
from .models import VISIT_LINE_MACHINE, ProviderStatement, VisitLine
from .payments import csv_rows, make_payment_run
from .periods import period_asked, period_query
from .reconciliation import current_tolerances, decide_exception, reconcile, set_tolerances
from .services import pounds
from .tasks import render_statement

STATEMENT_RETRY_AFTER = timedelta(minutes=2)

PROBLEMS_PAGE_SIZE = 200


@require_http_methods(["GET", "POST"])
def planned_visits(request):
    posted = request.method == "POST"
    form = PeriodForm(request.POST if posted else None)
    if posted and form.is_valid():
        first, last = form.cleaned_data["period_from"], form.cleaned_data["period_to"]
        try:
            run = services.generate_planned_visits(first, last, acting_user=request.user)
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request,
                f"Planned visits from {first:%-d %B %Y} to {last:%-d %B %Y}: {run.in_force:,} in force, "
                f"{run.added:,} added, {run.removed:,} taken away.",
            )
            return redirect(f"{reverse('finance:planned_visits')}?from={first:%Y-%m-%d}&to={last:%Y-%m-%d}")
    days, shown = [], ()
    try:
        shown = (date.fromisoformat(request.GET.get("from", "")), date.fromisoformat(request.GET.get("to", "")))
    except ValueError:  # none asked for, or a hand-typed address with a bad date: no table
        pass
    else:
        days = list(selectors.planned_by_day(*shown))
    return render(
        request,
        "finance/planned_visits.html",
        {"form": form, "runs": selectors.recent_runs(), "days": days, "shown": shown},
    )


@require_http_methods(["GET", "POST"])
def imports(request):
    posted = request.method == "POST"
    form = CallMonitoringFileForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > services.max_upload_bytes():
                raise ActionRefused(
                    f"The selected file must be smaller than {services.max_upload_bytes() // 2**20} MB."
                )
            result = services.upload_call_monitoring_file(
                upload.read(), file_name=upload.name, acting_user=request.user
            )
        except ActionRefused as refusal:
            form.add_error("file", refusal.message)
        else:
            found = result.call_monitoring_import
            if result.already:
                messages.info(
                    request,
                    f"This file was uploaded on {found.uploaded_at:%-d %B %Y at %H:%M} as {found.file_name}: "
                    "it is not imported again, and nothing has changed.",
                )
            return redirect("finance:import_detail", found.pk)
    return render(request, "finance/imports.html", {"form": form, "imports": selectors.recent_imports()})


@require_GET
def import_detail(request, import_id: int):
    found = selectors.get_import(import_id)
    page = Paginator(found.problems.all(), PROBLEMS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "finance/import_detail.html",
        {"found": found, "problems": page.object_list, "page_obj": page, "querystring": ""},
    )


@require_GET
def import_progress(request, import_id: int):
    """The import's progress, for the progress bar's script (static/js/import-progress.js) to poll."""
    found = selectors.get_import(import_id)
    return JsonResponse(
        {
            "status": found.status,
            "label": found.get_status_display(),
            "percent": found.percent,
            "rows_done": found.rows_done,
            "rows_total": found.rows_total,
            "finished": found.finished,
        }
    )


# Reconciliation ---------------------------------------------------------------------------------------------------
def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _acting_on_a_period(request, action):
    """A page's period form (the days the address shows, to begin with) and, posted valid, the action taken on
    the period it gives: (form, first, last, what the action returned, or None if not taken or refused)."""
    first, last = period_asked(request)
    posted = request.method == "POST"
    form = PeriodForm(request.POST if posted else None, initial={"period_from": first, "period_to": last})
    if posted and form.is_valid():
        first, last = form.cleaned_data["period_from"], form.cleaned_data["period_to"]
        try:
            return form, first, last, action(first, last, acting_user=request.user)
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
    return form, first, last, None


@require_http_methods(["GET", "POST"])
def reconciliation(request):
    form, first, last, run = _acting_on_a_period(request, reconcile)
    if run is not None:
        messages.success(
            request,
            f"Reconciled {first:%-d %B %Y} to {last:%-d %B %Y}: {_count(run.matched, 'visit')} matched, "
            f"{_count(run.exceptions, 'exception')} to decide, {run.kept:,} already decided or paid kept as they were.",
        )
        return redirect(f"{reverse('finance:reconciliation')}?{period_query(first, last)}")
    summaries = selectors.reconciliation_by_provider(first, last)
    return render(
        request,
        "finance/reconciliation.html",
        {
            "form": form,
            "first": first,
            "last": last,
            "query": period_query(first, last),
            "summaries": summaries,
            "chart": hours_chart(summaries),
            "rules": current_tolerances(),
            "runs": selectors.reconciliation_runs(),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def tolerances(request):
    rules = current_tolerances()
    posted = request.method == "POST"
    form = TolerancesForm(request.POST if posted else None, instance=None if posted else rules)
    if posted and form.is_valid():
        try:
            set_tolerances(**form.cleaned_data, acting_user=request.user)
        except ActionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, "The matching rules are changed. Reconcile a period again to use them.")
            return redirect("finance:reconciliation")
    return render(
        request, "finance/tolerances.html", {"form": form, "rules": rules}, status=400 if form.errors else 200
    )


EXCEPTIONS_PAGE_SIZE = 50


@require_GET
def exception_list(request):
    first, last = period_asked(request)
    providers = Provider.objects.filter(pk__in=VisitLine.objects.values("provider_id")).order_by("name")
    filters = ExceptionFilterForm(request.GET or None, providers=providers)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    found = selectors.exceptions(
        first=first,
        last=last,
        provider_id=getattr(chosen.get("provider"), "pk", None),
        outcome=chosen.get("outcome", ""),
        state=chosen.get("state") or "open",
    )
    page = Paginator(found, EXCEPTIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "finance/exceptions.html",
        {
            "filters": filters,
            "first": first,
            "last": last,
            "lines": page.object_list,
            "page_obj": page,
            "querystring": kept.urlencode(),
        },
    )


def _exception_page(request, line, *, form=None, status=200):
    return render(
        request,
        "finance/exception.html",
        {
            "line": line,
            "actions": VISIT_LINE_MACHINE.actions(line, request.user),
            "form": form or DecisionForm(),
            "history": line.transitions.select_related("by"),
        },
        status=status,
    )


@require_GET
def exception_detail(request, line_id: int):
    line = selectors.get_line(line_id)
    record_view(actor=request.user, obj=line, person=line.person, what="a reconciled visit")
    return _exception_page(request, line)


@require_POST
def decide(request, line_id: int):
    line = selectors.get_line(line_id)
    step = request.POST.get("step", "")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _exception_page(request, line, form=form, status=400)
    try:
        decide_exception(line.pk, step, note=form.cleaned_data["note"], acting_user=request.user)
    except ActionRefused as refusal:
        form.add_error(None, refusal.message)
        return _exception_page(request, selectors.get_line(line_id), form=form, status=400)
    messages.success(request, f"The visit on {line.day:%-d %B %Y} is {'accepted' if step == 'accept' else 'rejected'}.")
    return redirect(f"{reverse('finance:exceptions')}?{period_query(*period_asked(request))}")


# Paying -----------------------------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def payable(request):
    form, first, last, run = _acting_on_a_period(request, make_payment_run)
    if run is not None:
        messages.success(request, f"Payment run {run.reference} made: {pounds(run.total_pence)}.")
        return redirect("finance:payment_run", run.pk)
    rows = selectors.payable_by_provider(first, last)
    return render(
        request,
        "finance/payable.html",
        {
            "form": form,
            "first": first,
            "last": last,
            "rows": rows,
            "total": sum(r["pence"] for r in rows),
            "open_exceptions": selectors.exceptions(first=first, last=last).count(),
            "query": period_query(first, last),
            "runs": selectors.payment_runs(),
        },
        status=400 if form.errors else 200,
    )


@require_GET
def payment_run(request, run_id: int):
    run = selectors.get_payment_run(run_id)
    return render(request, "finance/payment_run.html", {"run": run, "statements": selectors.statements_of(run)})


@require_GET
def payment_run_csv(request, run_id: int):
    run = selectors.get_payment_run(run_id)
    record_view(actor=request.user, obj=run, person=None, what="payment run CSV export")
    echo = _Echo()
    writer = csv.writer(echo)
    response = StreamingHttpResponse(
        (writer.writerow(row) for row in csv_rows(run)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{run.reference}.csv"'
    return response


class _Echo:
    """A file-like object for csv.writer that hands each row back, to stream it."""

    def write(self, value):
        return value


@require_GET
def statement_pdf(request, statement_id: int):
    statement = get_object_or_404(ProviderStatement.objects.select_related("run", "provider"), pk=statement_id)
    return statement_download(request, statement, retry_url=reverse("finance:statement_pdf", args=[statement.pk]))


def statement_download(request, statement, *, retry_url: str):
    """A statement's PDF (finance's page and the provider's portal). One still missing a while after its run was
    made lost its task (a worker killed): it is queued again, and kept once whichever finishes first."""
    if not statement.pdf and timezone.now() - statement.run.made_at > STATEMENT_RETRY_AFTER:
        enqueue(render_statement, statement.pk)
    return stored_pdf(
        request,
        file=statement.pdf,
        filename=f"{statement.reference}.pdf",
        obj=statement,
        person=None,
        what=f"payment statement {statement.reference}",
        pending="finance/statement_pending.html",
        context={"statement": statement, "retry_url": retry_url},
    )
