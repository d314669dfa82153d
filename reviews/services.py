"""Domain actions on reviews. Each takes the acting user, checks the rules (the state machine in reviews.workflows),
and writes the review's log and the audit trail in one transaction.

Other apps schedule reviews through schedule_review: a placement's admission sets a 6-week review for the allocated
worker and a 12-month review for the review team; an increase sets a 6-week review for the worker who asked, a
reduction a 12-month review.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import record_change
from core.exceptions import ActionRefused
from packages.selectors import live_packages
from people.access import can_view_person

from .models import REVIEW_MACHINE, Review
from .workflows import NOT_THE_CANCELLER, NOT_THE_REVIEWER, OPEN_STATES, Kind


def _long(day: date) -> str:
    return f"{day:%-d %B %Y}"


@transaction.atomic
def schedule_review(*, package, kind, due_on: date, assigned_to, acting_user, note: str = "") -> Review:
    """A review of `package` due on `due_on`: a 6-week review for the worker `assigned_to`, a 12-month review for
    the review team (nobody assigned). Refused, changing nothing, for an ended package, a 6-week review with nobody
    to carry it out (or someone not a practitioner, or not holding the person's case), a 12-month review assigned to one person, a due date in the past, or a
    second open review of the same kind for the package (the database refuses that one too, even at the same
    moment)."""
    if kind not in Kind.values:
        raise ActionRefused("A review is a 6-week or a 12-month review.")
    kind = Kind(kind)
    if kind == Kind.SIX_WEEK:
        if assigned_to is None:
            raise ActionRefused("A 6-week review needs a worker to carry it out.")
        if not (assigned_to.is_active and assigned_to.is_practitioner):
            raise ActionRefused(f"{assigned_to} cannot carry out a 6-week review: it is a practitioner's.")
        # A practitioner sees the people they hold (people.access); a 6-week review adds no need of its own, so the
        # caseload stays one index read.
        if not can_view_person(assigned_to, package.person):
            raise ActionRefused(
                f"{assigned_to} does not hold {package.person}'s case, so cannot carry out their review."
            )
    elif assigned_to is not None:
        raise ActionRefused("A 12-month review belongs to the review team: it is not assigned to one person.")
    if due_on < timezone.localdate():
        raise ActionRefused(f"A review cannot be due in the past ({_long(due_on)}).")
    if not live_packages(package.person, package.service_type_id).filter(pk=package.pk).exists():
        raise ActionRefused(f"{package.reference} has ended: there is nothing to review.")
    if Review.objects.filter(package=package, kind=kind, state__in=OPEN_STATES).exists():
        raise ActionRefused(f"{package.reference} already has a {kind.label} to carry out.")
    review = Review(
        package=package,
        person_id=package.person_id,
        kind=kind,
        due_on=due_on,
        assigned_to=assigned_to,
        note=note.strip(),
        scheduled_by=acting_user,
    )
    review.full_clean(exclude=["state"], validate_constraints=False)  # the constraints are the database's
    try:
        with transaction.atomic():
            review.save()
    except IntegrityError as error:
        if "one_open_review_per_package_and_kind" not in str(error):
            raise
        raise ActionRefused(
            f"{package.reference} already has a {kind.label} to carry out: someone scheduled it at the same time."
        ) from error
    record_change(
        actor=acting_user,
        obj=review,
        person=package.person,
        created=True,
        summary=f"Scheduled a {kind.label} of {package.reference}, due {_long(due_on)}",
        changes={
            "kind": kind.value,
            "due_on": due_on,
            "assigned_to": str(assigned_to) if assigned_to else "review team",
            **({"note": note} if note else {}),
        },
    )
    return review


def _locked(review) -> Review:
    return Review.objects.select_for_update(of=("self",)).select_related("package", "person").get(pk=review.pk)


def _refuse_unless_permitted(review, name: str, acting_user, message: str) -> None:
    """Said in words for the step: the machine's own refusal covers the wrong state first."""
    if REVIEW_MACHINE.step(review, name) is not None and not REVIEW_MACHINE.may(review, name, acting_user):
        raise ActionRefused(message)


@transaction.atomic
def record_review(review, *, acting_user, outcome: str) -> Review:
    """The review was carried out: what it found is recorded and the review is done."""
    review = _locked(review)
    _refuse_unless_permitted(review, "record", acting_user, NOT_THE_REVIEWER[review.kind])
    review.outcome = outcome.strip()
    return REVIEW_MACHINE.apply(review, "record", acting_user=acting_user, note=review.outcome)


@transaction.atomic
def cancel_review(review, *, acting_user, reason: str) -> Review:
    """The review is no longer needed, with the reason."""
    review = _locked(review)
    _refuse_unless_permitted(review, "cancel", acting_user, NOT_THE_CANCELLER)
    review.cancel_reason = reason.strip()
    return REVIEW_MACHINE.apply(review, "cancel", acting_user=acting_user, note=review.cancel_reason)
