"""Reading finance's records for its pages."""

from django.db.models import Count, Sum

from .models import CallMonitoringImport, PlannedVisit, PlannedVisitRun


def recent_runs(limit: int = 10):
    return PlannedVisitRun.objects.select_related("run_by")[:limit]


def planned_by_day(first, last):
    """Visits and hours planned on each day of a period."""
    return (
        PlannedVisit.objects.filter(day__range=(first, last))
        .values("day")
        .annotate(visits=Count("id"), minutes=Sum("minutes"))
        .order_by("day")
    )


def recent_imports(limit: int = 20):
    return CallMonitoringImport.objects.defer("content").select_related("uploaded_by")[:limit]


def get_import(import_id: int) -> CallMonitoringImport:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(CallMonitoringImport.objects.defer("content").select_related("uploaded_by"), pk=import_id)
