"""Finance's pages: generating planned visits, and importing call monitoring files with a progress bar."""

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.exceptions import ActionRefused

from . import selectors, services
from .forms import CallMonitoringFileForm, PeriodForm

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
