"""Reading changes to running packages."""

from django.db.models import QuerySet

from .models import PackageChange
from .workflows import MADE_STATES


def people_to_tell(user) -> QuerySet[PackageChange]:
    """The changes arranged for the people whose case the user holds that they have not yet told the person about:
    the social worker's task, oldest first. One query."""
    return (
        PackageChange.objects.filter(
            referral__person__allocated_worker=user, state__in=MADE_STATES, person_told_at__isnull=True
        )
        .select_related("referral__person")
        .order_by("created_at", "id")
    )
