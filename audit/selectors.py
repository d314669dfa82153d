from .models import LIST_KEY, AuditEvent


def lists_showing(person):
    """Pages that listed the person's name among others: found through the audit_list_views GIN index."""
    return AuditEvent.objects.filter(
        person__isnull=True, action=AuditEvent.Action.VIEWED, changes__contains={LIST_KEY: [person.pk]}
    )


def audit_events_for_person(person, *, limit: int = 200) -> list[AuditEvent]:
    """Everything that touched the person's record, and every list that showed their name, newest first.

    Two queries, each on its own index, rather than one OR that the planner may answer by reading every
    list event (a list event is written for each page of names anyone views)."""
    own = AuditEvent.objects.filter(person=person)
    newest = ("-at", "-id")
    events = [
        *own.select_related("actor", "content_type").order_by(*newest)[:limit],
        *lists_showing(person).select_related("actor", "content_type").order_by(*newest)[:limit],
    ]
    return sorted(events, key=lambda event: (event.at, event.id), reverse=True)[:limit]
