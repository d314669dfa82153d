"""Writing the audit trail. Every service that changes case data calls `record_change`; every
view of a person's record calls `record_view`."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import LIST_KEY, AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The instance's concrete field values, JSON-ready, to diff before and after a change."""
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    return {name: _plain(getattr(instance, name)) for name in names}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def _record(*, actor, action: str, obj: models.Model, person=None, summary: str, changes=None) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        person=person,
        summary=summary[:300],
        changes=_plain(changes or {}),
    )


def record_change(*, actor, obj: models.Model, person=None, summary: str, changes=None, created=False):
    action = AuditEvent.Action.CREATED if created else AuditEvent.Action.CHANGED
    return _record(actor=actor, action=action, obj=obj, person=person, summary=summary, changes=changes)


def record_transition(*, actor, obj, person, source: str, target: str, name: str, note: str = ""):
    return _record(
        actor=actor,
        action=AuditEvent.Action.TRANSITIONED,
        obj=obj,
        person=person,
        summary=f"{name}: {source} → {target}",
        changes={"state": [source, target], "note": note},
    )


def record_view(*, actor, obj: models.Model, person, what: str) -> AuditEvent:
    return _record(actor=actor, action=AuditEvent.Action.VIEWED, obj=obj, person=person, summary=f"Viewed {what}")


def record_refusal(*, actor, obj: models.Model, person=None, reason: str) -> AuditEvent:
    """A refused attempt matters to a security officer as much as a change: keep it."""
    return _record(actor=actor, action=AuditEvent.Action.REFUSED, obj=obj, person=person, summary=reason)


def record_list_view(*, actor, what: str, people: Iterable[int]) -> AuditEvent | None:
    """A page that shows people's names (a list, a search, a queue): who saw whose names, as one event
    listing them, which each person's history finds (audit.selectors). Nothing for an empty page."""
    shown = sorted({pk for pk in people if pk is not None})
    if not shown:
        return None
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=AuditEvent.Action.VIEWED,
        content_type=ContentType.objects.get_for_model(apps.get_model("people", "Person")),
        object_id="",
        object_repr=what[:200],
        person=None,
        summary=f"Viewed {what}"[:300],
        changes={LIST_KEY: shown},
    )
