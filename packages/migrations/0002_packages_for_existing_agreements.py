"""Every service agreement made before care packages existed gets its package: one version from the agreement's
start date, on its hours, rate and weekly cost as they stand, its visits as rows from its visit_schedule, and its
latest purchase order linked. The state follows the agreement: ended once it has ended, active with an order,
pending start without one.

Agreements left live side by side by a change of provider before packages (two orders issued for one person's
service) become a package each: which one the person still receives is for an officer to say, with
packages.services.end_package or change_provider, not for a migration to guess.
"""

import re
from datetime import date, time, timedelta

from django.db import migrations

DAYS = {"Monday": 1, "Tuesday": 2, "Wednesday": 3, "Thursday": 4, "Friday": 5, "Saturday": 6, "Sunday": 7}


def _visits(schedule) -> list[dict]:
    """As packages.services.planned_visits, written out here so this migration keeps working when that changes."""
    visits = []
    for visit in schedule if isinstance(schedule, list) else []:
        try:
            day, typed, minutes, carers = visit["day"], str(visit["time"]), int(visit["minutes"]), int(visit["carers"])
        except (KeyError, TypeError, ValueError):
            continue
        if isinstance(day, str) and day in DAYS and re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", typed):
            if 5 <= minutes <= 720 and 1 <= carers <= 4:
                visits.append(
                    {"day": DAYS[day], "time": time(int(typed[:2]), int(typed[3:])), "minutes": minutes, "carers": carers}
                )
    return visits


def make_packages(apps, schema_editor):
    ServiceAgreement = apps.get_model("brokerage", "ServiceAgreement")
    PurchaseOrder = apps.get_model("purchase_orders", "PurchaseOrder")
    CarePackage = apps.get_model("packages", "CarePackage")
    PackageAgreement = apps.get_model("packages", "PackageAgreement")
    PackageVersion = apps.get_model("packages", "PackageVersion")
    VisitSlot = apps.get_model("packages", "VisitSlot")
    today = date.today()
    latest_orders = {}
    for order in PurchaseOrder.objects.order_by("agreement_id", "-revision", "-id"):
        latest_orders.setdefault(order.agreement_id, order)
    for agreement in ServiceAgreement.objects.select_related("referral").order_by("id").iterator():
        order = latest_orders.get(agreement.pk)
        ended = agreement.status == "ended" or (agreement.end_date is not None and agreement.end_date < today)
        valid_to = None
        if agreement.end_date is not None:
            valid_to = max(agreement.end_date + timedelta(days=1), agreement.start_date)
        package = CarePackage.objects.create(
            person_id=agreement.person_id,
            service_type_id=agreement.service_type_id,
            referral_id=agreement.referral_id,
            team_id=agreement.referral.team_id,
            state="ended" if ended else "active" if order is not None else "pending_start",
            created_by_id=agreement.created_by_id,
        )
        PackageAgreement.objects.create(
            package=package, agreement=agreement, valid_from=agreement.start_date, valid_to=valid_to
        )
        version = PackageVersion.objects.create(
            package=package,
            agreement=agreement,
            valid_from=agreement.start_date,
            valid_to=valid_to,
            weekly_hours=agreement.weekly_hours,
            hourly_rate=agreement.hourly_rate,
            weekly_cost=agreement.weekly_cost,
            reason=f"Recorded from service agreement SA-{agreement.pk:06d} when care packages began",
            purchase_order=order,
            # Whoever made the agreement; the first order's issuer for an agreement made by no one on record.
            created_by_id=agreement.created_by_id or (order.issued_by_id if order else None) or _anyone(apps),
        )
        VisitSlot.objects.bulk_create([VisitSlot(version=version, **v) for v in _visits(agreement.visit_schedule)])


def _anyone(apps):
    """A version needs a maker: the earliest user, for an agreement from a fixture with no maker or order."""
    return apps.get_model("accounts", "User").objects.order_by("pk").values_list("pk", flat=True).first()


class Migration(migrations.Migration):
    dependencies = [
        ("packages", "0001_initial"),
        ("accounts", "0006_catalogue_permissions"),
    ]

    # Backwards, the packages' tables go with 0001: nothing to undo here.
    operations = [migrations.RunPython(make_packages, migrations.RunPython.noop)]
