from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q

# A list view's event names the people whose names it showed under this key of `changes`.
LIST_KEY = "people_shown"


class AuditEvent(models.Model):
    """One change to case data, or one view of a person's record. Never updated or deleted."""

    class Action(models.TextChoices):
        VIEWED = "viewed", "Viewed"
        CREATED = "created", "Created"
        CHANGED = "changed", "Changed"
        TRANSITIONED = "transitioned", "Moved on"
        REFUSED = "refused", "Refused"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="audit_events"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    # No index of its own: (content_type, object_id) below starts with it. Every index is written on every event.
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, db_index=False)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    # Whose record this touches, so a person's whole history is one indexed query.
    # Its index is (person, -at) below.
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, null=True, related_name="+", db_index=False)
    summary = models.CharField(max_length=300)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["person", "-at"]),
            models.Index(fields=["content_type", "object_id"]),
            # "Whose list showed this person's name": containment on list views' events only.
            GinIndex(
                fields=["changes"],
                name="audit_list_views",
                opclasses=["jsonb_path_ops"],
                condition=Q(person__isnull=True, action="viewed"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d %b %Y %H:%M} {self.actor} {self.summary}"
