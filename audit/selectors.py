from django.db.models import Q

from .models import LIST_KEY, AuditEvent


def audit_events_for_person(person, *, limit: int = 200):
    """Everything that touched the person's record, and every list that showed their name, newest first."""
    in_a_list = Q(person__isnull=True, action=AuditEvent.Action.VIEWED, changes__contains={LIST_KEY: [person.pk]})
    return AuditEvent.objects.filter(Q(person=person) | in_a_list).select_related("actor", "content_type")[:limit]
