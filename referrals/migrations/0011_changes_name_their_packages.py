"""Change referrals made before a change named its package: each is given the person's running package of its
service where there is exactly one to give. Where two open changes of a kind would name the same package, only the
earliest does (one_live_change_per_package_and_kind); the rest, and changes with no package to name, keep none and
are declined by the officer who takes them (changes.services.start_change says so)."""

from django.db import migrations

SQL = """
WITH one_package AS (
    SELECT person_id, service_type, min(id) AS package_id
    FROM packages_carepackage
    WHERE state IN ('pending_start', 'active', 'suspended')
    GROUP BY person_id, service_type
    HAVING count(*) = 1
), named AS (
    SELECT r.id, p.package_id,
           row_number() OVER (
               PARTITION BY p.package_id, r.change, r.state IN ('draft', 'awaiting_funding', 'held_for_risk', 'queued', 'allocated')
               ORDER BY r.id
           ) AS nth,
           r.state IN ('draft', 'awaiting_funding', 'held_for_risk', 'queued', 'allocated') AS open
    FROM referrals_referral r
    JOIN one_package p ON p.person_id = r.person_id AND p.service_type = r.service_type
    WHERE r.kind = 'change' AND r.care_package_id IS NULL
)
UPDATE referrals_referral r SET care_package_id = named.package_id
FROM named
WHERE r.id = named.id AND (NOT named.open OR named.nth = 1)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0010_change_names_its_package"),
        ("packages", "0004_packagesuspension"),
    ]

    operations = [migrations.RunSQL(SQL, migrations.RunSQL.noop)]
