"""Reading reablement cases: SPA's list, a case's page, where a case is (read from the referral's and the
package's own apps), and the reablement worker of a referral."""

from dataclasses import dataclass

from django.db.models import QuerySet

from packages.selectors import package_for_referral

from .models import CaseTransition, ReablementCase, Reassessment
from .workflows import OPEN_STATES, State

SENT = (State.WITH_BROKERAGE, State.CHANGE_REQUESTED, State.TERMINATION_REQUESTED, State.TERMINATED)


# SPA's list, newest first: paged by key (core.pagination) on reablement_case_newest, as cases pile up for years.
CASES_NEWEST_FIRST = ["-created_at", "-id"]


def _case_rows() -> QuerySet[ReablementCase]:
    """Cases with only what a row of the case table (reablement/_case_table.html) shows."""
    return ReablementCase.objects.select_related("person", "worker").only(
        "id",
        "state",
        "created_at",
        "hospital",
        "ward",
        "person__id",
        "person__first_name",
        "person__last_name",
        "worker__id",
        "worker__first_name",
        "worker__last_name",
        "worker__username",
    )


def cases_for_spa() -> QuerySet[ReablementCase]:
    """SPA's cases, newest first: one query."""
    return _case_rows().order_by(*CASES_NEWEST_FIRST)


def open_cases() -> QuerySet[ReablementCase]:
    return cases_for_spa().filter(state__in=OPEN_STATES)


WAITING_FOR_BROKERAGE = (State.CHANGE_REQUESTED, State.TERMINATION_REQUESTED)


def waiting_for_team(team_id: str) -> QuerySet[ReablementCase]:
    """SPA's re-assessments and endings waiting for a Brokerage team to apply them, oldest first, read in that
    order from reablement_case_waiting: the first few of each team are found without joining them all."""
    return _case_rows().filter(state__in=WAITING_FOR_BROKERAGE, referral__team_id=team_id).order_by("modified_at", "id")


def reablement_worker_of(referral):
    """The named reablement worker of the case that sent this referral, if any (catalogue.practitioners)."""
    case = ReablementCase.objects.select_related("worker").filter(referral_id=referral.pk).first()
    return case.worker if case is not None else None


def where_it_is(case) -> str:
    """Where the case is, in words: its own state until it reaches Brokerage, then the referral's (while Brokerage
    sources it) or the package's (once its purchase order is issued)."""
    return _where(case, package_for_referral(case.referral_id) if case.state in SENT else None)


def _where(case, package) -> str:
    if case.state not in SENT:
        return case.get_state_display()
    if package is None:
        return f"With Brokerage: {case.referral.get_state_display().lower()}"
    if package.state == "active" and case.state != State.WITH_BROKERAGE:
        return f"Active ({package.reference}): {case.get_state_display().lower()}"
    return f"{package.get_state_display()} ({package.reference})"


@dataclass(frozen=True)
class CasePage:
    where: str
    package: object | None
    plan_days: list
    reassessments: list[Reassessment]
    transitions: list[CaseTransition]


def case_page(case) -> CasePage:
    package = package_for_referral(case.referral_id) if case.referral_id else None  # read once for both
    return CasePage(
        where=_where(case, package),
        package=package,
        plan_days=list(case.plan_days),
        reassessments=list(
            case.reassessments.select_related("recorded_by", "applied_by").prefetch_related("days").order_by("-id")
        ),
        transitions=list(case.transitions.select_related("by")),
    )
