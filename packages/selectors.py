"""Reading care packages: what was in force on a day, a person's packages and a package's page, each in a fixed
number of queries however many versions a package has."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from catalogue.codes import ServiceCode
from purchase_orders.models import PurchaseOrder
from purchase_orders.selectors import orders_for_agreements

from .models import CarePackage, PackageAgreement, PackageSuspension, PackageTransition, PackageVersion, period
from .workflows import LIVE_STATES, State


def versions_in_force_on(day: date) -> QuerySet[PackageVersion]:
    """The version of each package in force on `day`: at most one a package, as versions never overlap. The
    condition is the exclusion constraint's own range, so its GiST index answers it."""
    return PackageVersion.objects.alias(period=period()).filter(period__contains=day)


def in_force_on(package, day: date) -> PackageVersion | None:
    """The version of `package` in force on `day`, with its agreement's provider and its purchase order: one query.
    None before the package began, after it ended, or on a day it had no terms."""
    return (
        versions_in_force_on(day)
        .filter(package=package)
        .select_related("agreement__provider", "purchase_order", "created_by")
        .first()
    )


def current_version(package) -> PackageVersion | None:
    """The latest terms agreed: in force now, or from a later date (a change of provider still to come)."""
    return package.versions.select_related("agreement__provider").order_by("-valid_from", "-id").first()


def package_for_agreement(agreement) -> CarePackage | None:
    """The package delivered under this agreement, if it has one yet (one is made when its order is issued)."""
    link = PackageAgreement.objects.select_related("package").filter(agreement=agreement).first()
    return link.package if link else None


def suspensions_between(care_package_id: int, first: date, last: date) -> list[tuple[date, date | None]]:
    """The package's suspensions touching the days `first` to `last` (inclusive), earliest first, each as (the first
    day suspended, the day it recommences: the first day back, or None until known): one query."""
    return list(
        PackageSuspension.objects.filter(package_id=care_package_id, valid_from__lte=last)
        .exclude(valid_to__lte=first)
        .order_by("valid_from")
        .values_list("valid_from", "valid_to")
    )


def package_for_referral(referral_id: int) -> CarePackage | None:
    """The package the referral commissioned, if its purchase order has been issued: one query."""
    return CarePackage.objects.filter(referral_id=referral_id).order_by("-id").first()


def live_packages(person, service_type_id: str) -> QuerySet[CarePackage]:
    """The person's packages of this service that have not ended."""
    return CarePackage.objects.filter(person=person, service_type_id=service_type_id, state__in=LIVE_STATES)


# A person's packages ------------------------------------------------------------------------------------------
PAST_PACKAGES_SHOWN = 20


@dataclass(frozen=True)
class PackageRow:
    package: CarePackage
    version: PackageVersion | None  # in force today, or else the next to start, or else the last


@dataclass(frozen=True)
class PersonPackages:
    live: list[PackageRow]
    ended: list[PackageRow]  # the latest PAST_PACKAGES_SHOWN
    more_ended: bool


def _shown_version(versions: list[PackageVersion], today: date) -> PackageVersion | None:
    in_force = [v for v in versions if v.valid_from <= today and (v.valid_to is None or today < v.valid_to)]
    upcoming = [v for v in versions if v.valid_from > today and v.was_in_force]
    return (in_force or upcoming or versions[-1:] or [None])[0]


def packages_for_person(person, *, today: date | None = None) -> PersonPackages:
    """The person's packages, latest first, each with the version to show: four queries (two when none has ended)
    however many packages and versions."""
    today = today or timezone.localdate()
    versions = PackageVersion.objects.select_related("agreement__provider").order_by("valid_from", "id")
    packages = (
        CarePackage.objects.filter(person=person)
        .select_related("service_type")
        .prefetch_related(Prefetch("versions", queryset=versions, to_attr="all_versions"))
        .order_by("-created_at", "-id")
    )
    ended = list(packages.filter(state=State.ENDED)[: PAST_PACKAGES_SHOWN + 1])

    def rows(found):
        return [PackageRow(p, _shown_version(p.all_versions, today)) for p in found]

    return PersonPackages(
        live=rows(packages.filter(state__in=LIVE_STATES)),
        ended=rows(ended[:PAST_PACKAGES_SHOWN]),
        more_ended=len(ended) > PAST_PACKAGES_SHOWN,
    )


# A package's page ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PackagePage:
    versions: list[PackageVersion]  # oldest first, each with its visits, agreement, provider and order
    orders: list[PurchaseOrder]  # every order and revision under the package's agreements, newest first
    transitions: list[PackageTransition]
    suspensions: list[PackageSuspension]  # oldest first

    def suspension_on(self, day: date) -> PackageSuspension | None:
        """The suspension covering `day`, if the service was suspended then."""
        return next(
            (s for s in self.suspensions if s.valid_from <= day and (s.valid_to is None or day < s.valid_to)), None
        )


def package_page(package) -> PackagePage:
    """Everything a package's page shows: five queries however many versions, orders and suspensions."""
    versions = list(
        package.versions.select_related("agreement__provider", "purchase_order", "created_by")
        .prefetch_related("visits")
        .order_by("valid_from", "id")
    )
    agreement_ids = PackageAgreement.objects.filter(package=package).values("agreement_id")
    return PackagePage(
        versions=versions,
        orders=list(orders_for_agreements(agreement_ids)),
        transitions=list(package.transitions.select_related("by")),
        suspensions=list(package.suspensions.order_by("valid_from", "id")),
    )


# The visits the schedules plan, day by day -------------------------------------------------------------------
# One SELECT, for INSERT ... SELECT by the app that keeps them (finance): every home care package's visits on each
# day from `first` to `last` (both included), as the terms in force that day plan them. A version's days are its
# own (half-open); a temporary increase's end at its `reverts_on`, and from then, until its reversion is recorded
# (changes sweeps it), the terms before it are in force again, as they will be once it is. No visits on a day the
# package is suspended (the suspension's first day up to, not including, the day it recommences), nor on a bank
# holiday for a visit that says so. Each visit carries the version in force that day, so its agreement and provider:
# a change of provider moves the visits on its date. The planned start is the local time in Europe/London.
SCHEDULED_VISITS_SQL = """
WITH terms AS (
    SELECT v.id AS version_id, v.package_id, v.agreement_id, v.id AS slots_of,
           daterange(v.valid_from, LEAST(v.valid_to, v.reverts_on), '[)') AS days
    FROM packages_packageversion v
    WHERE v.valid_from <= %(last)s AND (v.valid_to IS NULL OR v.valid_to > %(first)s)
    UNION ALL
    SELECT v.id, v.package_id, v.agreement_id, before.id, daterange(v.reverts_on, v.valid_to, '[)')
    FROM packages_packageversion v
    JOIN packages_packageversion before
      ON before.package_id = v.package_id AND before.valid_to = v.valid_from AND before.valid_from < v.valid_from
    WHERE v.reverts_on IS NOT NULL AND v.reverts_on <= %(last)s AND (v.valid_to IS NULL OR v.valid_to > v.reverts_on)
)
SELECT t.package_id, t.version_id, s.id AS slot_id, t.agreement_id, a.provider_id, p.person_id,
       g.day, (g.day + s.time) AT TIME ZONE 'Europe/London' AS planned_start, s.minutes, s.carers
FROM terms t
JOIN packages_carepackage p ON p.id = t.package_id AND p.service_type = %(service_type)s
JOIN brokerage_serviceagreement a ON a.id = t.agreement_id
CROSS JOIN LATERAL (
    SELECT d::date AS day
    FROM generate_series(GREATEST(lower(t.days), %(first)s), LEAST(upper(t.days) - 1, %(last)s), interval '1 day') d
) g
JOIN packages_visitslot s ON s.version_id = t.slots_of AND s.day = extract(isodow FROM g.day)
WHERE NOT isempty(t.days) AND t.days && daterange(%(first)s, %(last)s, '[]')
  AND NOT EXISTS (
      SELECT 1 FROM packages_packagesuspension ps
      WHERE ps.package_id = t.package_id AND daterange(ps.valid_from, ps.valid_to, '[)') @> g.day
  )
  AND (s.on_bank_holidays OR NOT EXISTS (SELECT 1 FROM core_bankholiday bh WHERE bh.date = g.day))
"""


def scheduled_visits_sql(first: date, last: date) -> tuple[str, dict]:
    """SCHEDULED_VISITS_SQL and its parameters for the days `first` to `last`: (package_id, version_id, slot_id,
    agreement_id, provider_id, person_id, day, planned_start, minutes, carers) a row."""
    return SCHEDULED_VISITS_SQL, {"first": first, "last": last, "service_type": ServiceCode.HOME_CARE.value}


# Pieces of SQL for an app that reads packages set-based (finance), so it does not spell out packages' own rules.
VERSIONS_TABLE = PackageVersion._meta.db_table


def reference_sql(package_id: str) -> str:
    """A package's reference as CarePackage.reference writes it (CP-000123), from the column `package_id`."""
    return f"('CP-' || lpad(({package_id})::text, 6, '0'))"


def hourly_rate_sql(version: str) -> str:
    """The hourly rate of the terms of the version aliased `version`: its rate, or its weekly cost over its weekly
    hours (to the penny), or 0 when it has neither."""
    return f"COALESCE({version}.hourly_rate, round({version}.weekly_cost / NULLIF({version}.weekly_hours, 0), 2), 0)"
