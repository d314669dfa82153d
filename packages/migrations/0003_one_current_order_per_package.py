"""Each purchase order learns the care package it pays for, and the visits its package version ordered; a package
left with two orders in force is put right, so the purchase orders' constraint (one order of a package in force,
purchase_orders 0005) holds for a database made by the code before it.

A package's orders are every order and revision under its agreements. Two of them in force happen after a change
of provider that issued the new agreement's order without closing the old one: the older is closed on the day
before the newer starts (or, were that before the older began, on the day before it began: it paid for nothing),
as packages.services.change_provider closes it now, and the closing is on the audit trail.
"""

from datetime import timedelta

from django.db import migrations

DAY_NAMES = {1: "Monday", 2: "Tuesday", 3: "Wednesday", 4: "Thursday", 5: "Friday", 6: "Saturday", 7: "Sunday"}
REASON = "Closed when one purchase order per care package began: a newer order for the package was in force"


def _audit_closing(apps, order, person_id):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="purchase_orders", model="purchaseorder")
    number = f"PO-{order.year}-{order.sequence:06d}" + (f" revision {order.revision}" if order.revision > 1 else "")
    AuditEvent.objects.create(
        actor=None,
        action="changed",
        content_type=content_type,
        object_id=str(order.pk),
        object_repr=number[:200],
        person_id=person_id,
        summary=f"Closed purchase order {number}: its last day is {order.last_day:%-d %B %Y}"[:300],
        changes={"reason": REASON, "status": ["issued", "closed"], "last_day": order.last_day.isoformat()},
    )


def one_current_order_per_package(apps, schema_editor):
    CarePackage = apps.get_model("packages", "CarePackage")
    PackageAgreement = apps.get_model("packages", "PackageAgreement")
    PackageVersion = apps.get_model("packages", "PackageVersion")
    VisitSlot = apps.get_model("packages", "VisitSlot")
    PurchaseOrder = apps.get_model("purchase_orders", "PurchaseOrder")
    package_of_agreement = dict(PackageAgreement.objects.values_list("agreement_id", "package_id"))
    person_of_package = dict(CarePackage.objects.values_list("id", "person_id"))

    in_force = {}  # package id -> its issued orders
    for order in PurchaseOrder.objects.filter(status="issued").order_by("period_start", "issued_at", "id"):
        package_id = package_of_agreement.get(order.agreement_id)
        if package_id is not None:
            in_force.setdefault(package_id, []).append(order)
    for package_id, orders in in_force.items():
        newest = orders[-1]
        for older in orders[:-1]:
            older.status = "closed"
            older.last_day = max(newest.period_start, older.period_start) - timedelta(days=1)
            older.save(update_fields=["status", "last_day"])
            _audit_closing(apps, older, person_of_package[package_id])

    for agreement_id, package_id in package_of_agreement.items():
        PurchaseOrder.objects.filter(agreement_id=agreement_id).update(care_package_id=package_id)

    # The visits each version's order was issued for, from the version's rows.
    visits = {}
    for slot in VisitSlot.objects.filter(version__purchase_order__isnull=False).order_by("day", "time", "id"):
        visits.setdefault(slot.version_id, []).append(
            {"day": DAY_NAMES[slot.day], "time": f"{slot.time:%H:%M}", "minutes": slot.minutes, "carers": slot.carers}
        )
    for version in PackageVersion.objects.filter(purchase_order__isnull=False, purchase_order__visits__isnull=True):
        PurchaseOrder.objects.filter(pk=version.purchase_order_id).update(visits=visits.get(version.pk, []))


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_list_views"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("packages", "0002_packages_for_existing_agreements"),
        ("purchase_orders", "0005_orders_per_care_package"),
    ]

    operations = [migrations.RunPython(one_current_order_per_package, migrations.RunPython.noop)]
