"""A database from before care packages upgrades: every service agreement gets a package with one version on its
terms, its visits as rows, and its latest purchase order linked; the package's state follows the agreement."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from audit.models import AuditEvent
from brokerage.models import ServiceAgreement
from dps.tests.factories import awarded
from people.tests.factories import make_person
from purchase_orders.services import issue_purchase_order, revise_purchase_order

VISITS = [
    {"day": "Monday", "time": "08:00", "minutes": 45, "carers": 1},
    {"day": "Thursday", "time": "19:30", "minutes": 30, "carers": 2},
    {"day": "Someday", "time": "08:00", "minutes": 45, "carers": 1},  # not a day
    {"day": "Friday", "time": "25:00", "minutes": 45, "carers": 1},  # not a time
    {"day": "Friday", "time": "08:00", "minutes": 2, "carers": 1},  # too short
    {"day": ["Friday"], "time": "08:00", "minutes": 45, "carers": 1},
    "Friday at eight",
]


def _old_style_agreements(social_worker, east_area, cap_member, officer_east):
    """Four agreements as brokerage left them: one running with a revised order and visits (some not real), one
    awaiting its order, one ended, and one whose end date has passed."""
    today = timezone.localdate()

    def case():
        return awarded(make_person(social_worker, east_area), cap_member, officer_east)

    running, waiting, ended, lapsed = case(), case(), case(), case()
    with transaction.atomic():  # as brokerage issued and revised orders then
        running.order = issue_purchase_order(running.agreement, acting_user=officer_east)
        ServiceAgreement.objects.filter(pk=running.agreement.pk).update(
            weekly_cost=Decimal("240.00"), visit_schedule=VISITS
        )
        running.agreement.refresh_from_db()
        running.revised = revise_purchase_order(running.agreement, acting_user=officer_east, reason="Rate review")
        issue_purchase_order(ended.agreement, acting_user=officer_east)
    ServiceAgreement.objects.filter(pk=ended.agreement.pk).update(
        status=ServiceAgreement.Status.ENDED, end_date=ended.agreement.start_date + timedelta(days=2)
    )
    ServiceAgreement.objects.filter(pk=lapsed.agreement.pk).update(
        start_date=today - timedelta(days=30), end_date=today - timedelta(days=1)
    )
    return running, waiting, ended, lapsed


@pytest.mark.django_db(transaction=True)
def test_a_database_made_before_care_packages_upgrades(
    settings, tmp_path, social_worker, east_area, cap_member, officer_east
):
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    executor = MigrationExecutor(connection)
    executor.migrate([("packages", None)])
    try:
        running, waiting, ended, lapsed = _old_style_agreements(social_worker, east_area, cap_member, officer_east)
    finally:  # forward again, whatever happened: the tests after this one need the tables
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    from packages.models import CarePackage, PackageAgreement, PackageVersion

    assert CarePackage.objects.count() == 4
    package = CarePackage.objects.get(referral=running.referral)
    assert (package.person, package.service_type_id, package.team_id, package.state) == (
        running.agreement.person,
        "home_care",
        "east",
        "active",
    )
    version = PackageVersion.objects.get(package=package)
    agreement = running.agreement
    assert (version.agreement, version.valid_from, version.valid_to) == (agreement, agreement.start_date, None)
    assert (version.weekly_hours, version.hourly_rate, version.weekly_cost) == (
        agreement.weekly_hours,
        agreement.hourly_rate,
        Decimal("240.00"),
    )
    assert version.purchase_order == running.revised and version.purchase_order != running.order
    assert version.created_by == officer_east
    assert [(v.day, v.time, v.minutes, v.carers) for v in version.visits.all()] == [
        (1, time(8, 0), 45, 1),
        (4, time(19, 30), 30, 2),
    ]
    link = PackageAgreement.objects.get(package=package)
    assert (link.agreement, link.valid_from, link.valid_to) == (agreement, agreement.start_date, None)

    pending = CarePackage.objects.get(referral=waiting.referral)
    assert pending.state == "pending_start"
    assert PackageVersion.objects.get(package=pending).purchase_order is None

    gone = CarePackage.objects.get(referral=ended.referral)
    assert gone.state == "ended"
    assert PackageVersion.objects.get(package=gone).last_day == ended.agreement.start_date + timedelta(days=2)

    over = CarePackage.objects.get(referral=lapsed.referral)
    assert over.state == "ended"
    assert PackageAgreement.objects.get(package=over).valid_to == today

    # And from there, the next purchase order starts the package the migration made, rather than a second one.
    from commissioning.services import issue_purchase_order

    assert issue_purchase_order(waiting.commission, acting_user=officer_east).package == pending
    assert CarePackage.objects.get(pk=pending.pk).state == "active"


@pytest.mark.django_db(transaction=True)
def test_a_database_with_two_orders_in_force_for_one_package_upgrades(
    settings, tmp_path, person, cap_member, officer_east
):
    """A change of provider that issued the new order without closing the old one: upgrading closes the older on the
    day before the newer starts, names the package on every order and copies each version's visits to its order."""
    from dps.tests.factories import active
    from packages.models import PackageVersion
    from packages.services import change_provider
    from purchase_orders.models import PurchaseOrder

    from .factories import agreed, in_days

    settings.MEDIA_ROOT = tmp_path
    first = active(person, cap_member, officer_east)
    new = agreed(person, cap_member, officer_east, start_date=in_days(21), change_of_provider=False).agreement
    newer = change_provider(first.package, new, starts_on=in_days(21), acting_user=officer_east).purchase_order
    executor = MigrationExecutor(connection)
    executor.migrate([("purchase_orders", "0004_closed_orders")])
    try:
        with connection.cursor() as cursor:  # as the code before left them: both issued, nothing per package
            cursor.execute(
                "UPDATE purchase_orders_purchaseorder SET status = 'issued', last_day = NULL WHERE id = %s",
                [first.order.pk],
            )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    older = PurchaseOrder.objects.get(pk=first.order.pk)
    newer = PurchaseOrder.objects.get(pk=newer.pk)
    assert (older.status, older.last_day) == ("closed", in_days(20))
    assert newer.status == "issued"
    assert (older.care_package_id, newer.care_package_id) == (first.package.pk, first.package.pk)
    assert newer.visits == [
        {"day": "Tuesday", "time": "09:30", "minutes": 60, "carers": 2},
        {"day": "Saturday", "time": "18:00", "minutes": 30, "carers": 1},
    ]
    assert older.visits == [
        {"day": v.get_day_display(), "time": f"{v.time:%H:%M}", "minutes": v.minutes, "carers": v.carers}
        for v in PackageVersion.objects.get(pk=first.version.pk).visits.all()
    ]
    audit = AuditEvent.objects.filter(object_id=str(older.pk), content_type__model="purchaseorder").latest("id")
    assert audit.summary == f"Closed purchase order {older.display_number}: its last day is {in_days(20):%-d %B %Y}"
