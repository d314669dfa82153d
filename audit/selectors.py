from .models import AuditEvent


def audit_events_for_person(person, *, limit: int = 200):
    return AuditEvent.objects.filter(person=person).select_related("actor", "content_type")[:limit]
