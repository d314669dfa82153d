from datetime import datetime

from django.db.models import F, Value
from django.db.models.lookups import LessThan

from core.pagination import Row

from .models import LIST_KEY, AuditEvent


def lists_showing(person):
    """Pages that listed the person's name among others: found through the audit_list_views GIN index."""
    return AuditEvent.objects.filter(
        person__isnull=True, action=AuditEvent.Action.VIEWED, changes__contains={LIST_KEY: [person.pk]}
    )


def audit_events_for_person(
    person, *, limit: int = 200, older_than: tuple[datetime, int] | None = None
) -> list[AuditEvent]:
    """Everything that touched the person's record, and every list that showed their name, newest first;
    only those before `older_than`, an (at, id), when given: the next page of a long history, by key. Each event
    carries what the history page shows (when, who, what), not its changes: a list's names the page never shows.

    Two queries, each on its own index, rather than one OR that the planner may answer by reading every
    list event (a list event is written for each page of names anyone views)."""
    own, listed = AuditEvent.objects.filter(person=person), lists_showing(person)
    if older_than is not None:
        before = LessThan(Row(F("at"), F("id")), Row(*[Value(v) for v in older_than]))
        own, listed = own.filter(before), listed.filter(before)
    newest = ("-at", "-id")
    shown = ("id", "at", "action", "summary", "person", "actor__first_name", "actor__last_name", "actor__username")
    events = [
        *own.select_related("actor").only(*shown).order_by(*newest)[:limit],
        *listed.select_related("actor").only(*shown).order_by(*newest)[:limit],
    ]
    return sorted(events, key=lambda event: (event.at, event.id), reverse=True)[:limit]
