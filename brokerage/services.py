from django.db import transaction

from audit.services import record_change, snapshot
from core.exceptions import ActionRefused
from referrals.workflows import is_team_officer

from .models import ContactLogEntry


@transaction.atomic
def log_contact(referral, *, acting_user, contact_with: str, method: str, occurred_at, summary: str,
                contact_name: str = "") -> ContactLogEntry:
    """Add a call, e-mail or meeting to the case's contact log. Only the referral's team logs contacts."""
    if not is_team_officer(referral, acting_user):
        raise ActionRefused("Only the Brokerage team working this case can add to its contact log.")
    entry = ContactLogEntry(
        referral=referral, contact_with=contact_with, contact_name=contact_name, method=method,
        occurred_at=occurred_at, summary=summary, recorded_by=acting_user, created_by=acting_user,
    )
    entry.full_clean()
    entry.save()
    record_change(actor=acting_user, obj=entry, person=referral.person, created=True,
                  summary=f"Logged a contact: {entry}", changes=snapshot(entry, ["contact_with", "method", "occurred_at", "summary"]))
    return entry
