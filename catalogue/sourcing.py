"""Which app does the sourcing work of each service type (DESIGN.md: "taking a referral starts the work of its
service type").

`referrals` sits below the service-type apps and may not import them, so each such app registers its route here
from its ready(): what to start when a referral of its types is taken, and whether that work has commissioned the
service. A service type with no route is not sourced: the referral cannot start its work.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Subquery

from .codes import ServiceCode


@dataclass(frozen=True)
class SourcingRoute:
    app: str  # the app that owns the work, e.g. "placements"
    start: Callable[..., Any]  # start(referral, *, acting_user): called in the transaction that allocates it
    is_commissioned: Callable[[Any], bool]  # is_commissioned(referral): its work has issued the purchase order
    work_of: Callable[[Any], Any]  # work_of(referral): the app's object for it (its page is the work's home), or None
    machine: Any = None  # the work's core.workflow.Machine
    # Its steps are taken on the referral's page (home care: as officers always have), not on a page of its own.
    on_referral_page: bool = False
    # stage_of(): where a referral's work is (its state), as a subquery on the outer referral: a task list reads it
    # with its rows, in the same query.
    stage_of: Callable[[], Any] | None = None
    # stop(referral, *, acting_user, reason): the referral was withdrawn, in this transaction: the work stops.
    stop: Callable[..., Any] | None = None
    # at_stage(state): the ids of the referrals whose work is at this state of its machine, as a subquery.
    at_stage: Callable[[str], Any] | None = None
    # The states a task list may be filtered by: those the work waits in while Brokerage has it.
    working_states: tuple[str, ...] = ()
    # Whether its work finds a provider (a shortlist, a requirement): a suspension, say, keeps the one it has.
    finds_a_provider: bool = True
    # ready_for_brokerage(plan): why a new referral of this service type for this plan may not be made yet (its work
    # comes before Brokerage, as shared lives' matching and trial stays do), or None when it may.
    ready_for_brokerage: Callable[[Any], str | None] | None = None


def lookups_for(model) -> dict[str, Callable]:
    """A route's `stage_of` and `at_stage` for work kept as `model`: one row per referral (a `referral` one-to-one)
    with its machine's `state`."""

    def stage_of():
        return Subquery(model.objects.filter(referral_id=OuterRef("pk")).values("state")[:1])

    def at_stage(state: str):
        return model.objects.filter(state=state).values("referral_id")

    return {"stage_of": stage_of, "at_stage": at_stage}


def work_finder(model) -> Callable:
    """A route's `work_of` for work kept as `model`, one row per referral: the referral's, or None."""

    def work_of(referral):
        return model.objects.filter(referral=referral).first()

    return work_of


def commissioned_when(model, *states) -> Callable:
    """A route's `is_commissioned` for work kept as `model`: whether the referral's is in one of these states."""

    def is_commissioned(referral) -> bool:
        return model.objects.filter(referral=referral, state__in=states).exists()

    return is_commissioned


_routes: dict[str, SourcingRoute] = {}
# A change to a running service (a suspension, say) is worked by the app that changes packages, whatever the
# service type: keyed by the referral's kind of change.
_change_routes: dict[str, SourcingRoute] = {}


def register_route(codes, route: SourcingRoute) -> None:
    """Called from an app's ready(). A service type has one route: a second app claiming it is a mistake."""
    for code in codes:
        code = str(code)
        if code in _routes and _routes[code].app != route.app:
            raise ValueError(f"{code} is already sourced by {_routes[code].app}")
        _routes[code] = route


def register_change_route(changes, route: SourcingRoute) -> None:
    """Called from an app's ready(): the app that works these kinds of change to a running service."""
    for change in changes:
        change = str(change)
        if change in _change_routes and _change_routes[change].app != route.app:
            raise ValueError(f"{change} is already worked by {_change_routes[change].app}")
        _change_routes[change] = route


def stage_annotations() -> dict[str, Any]:
    """For a list of referrals: one annotation per app with work, `stage_<app>`, its work's state or None."""
    return {f"stage_{route.app}": route.stage_of() for route, _ in routes() if route.stage_of is not None}


def stage_label(row: dict) -> str | None:
    """Where a referral's work is, in words, from a row read with stage_annotations()."""
    for route, _ in routes():
        state = row.get(f"stage_{route.app}")
        if state is not None:
            return route.machine.labels()[state] if route.machine is not None else state
    return None


def routes() -> list[tuple[SourcingRoute, list[str]]]:
    """Each app's route with the service type codes it sources, both in the order the service types are declared
    (catalogue.codes), so a page lists them the same way every time."""
    order = {code: n for n, code in enumerate(ServiceCode.values)}
    found: dict[str, tuple[SourcingRoute, list[str]]] = {}
    for code in sorted(_routes, key=lambda code: order.get(code, len(order))):
        route = _routes[code]
        found.setdefault(route.app, (route, []))[1].append(code)
    for route in _change_routes.values():
        found.setdefault(route.app, (route, []))
    return list(found.values())


def stage_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """For a task list's filter: each app's working states, grouped under its machine's title, each as
    "app:state"."""
    groups = []
    for route, _ in routes():
        if route.machine is not None and route.at_stage is not None:
            labels = route.machine.labels()
            groups.append((route.machine.title, [(f"{route.app}:{s}", labels[s]) for s in route.working_states]))
    return groups


def referrals_at_stage(choice: str):
    """The ids of the referrals whose work is at the stage "app:state" (a stage_choices value), as a subquery."""
    app, _, state = choice.partition(":")
    route = next(route for route, _ in routes() if route.app == app)
    return route.at_stage(state)


def route_for(code, change: str = "") -> SourcingRoute | None:
    """The route of a service type, or of a kind of change to a running one; None when nothing works it."""
    return _change_routes.get(str(change)) or _routes.get(str(code))


def route_of(referral) -> SourcingRoute | None:
    """The route that works this referral: its kind of change's, or else its service type's."""
    return route_for(referral.service_type_id, referral.change)
