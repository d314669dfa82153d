"""Rows for what a database made by earlier code already refers to: every service type the code knows,
and a team for each team code its areas, users and referrals carry (East and West in the demo), so
their columns can become foreign keys."""

from django.db import migrations

SERVICE_TYPES = [  # catalogue.codes as this migration was written: a migration must not change with the code
    ("home_care", "Domiciliary care (home care)"),
    ("reablement", "Reablement"),
    ("residential", "Residential care"),
    ("nursing", "Nursing care"),
    ("respite", "Respite"),
    ("supported_living", "Supported living"),
    ("shared_lives", "Shared lives"),
    ("day_opportunities", "Day opportunities"),
    ("direct_payment", "Cash personal budget (direct payment)"),
    ("transport", "Transport"),
    ("meals", "Meals on wheels"),
    ("carers_relief", "Carers relief"),
    ("escort", "Escort service"),
    ("outreach", "Outreach"),
    ("extra_care", "Extra care (referral only)"),
    ("carers_support", "Carers' support (referral only)"),
    ("telecare", "Telecare or assistive technology"),
    ("minor_works", "Minor works or low-level adaptations"),
    ("ot_equipment", "Occupational therapy equipment or major adaptations"),
]
REFUSALS = {
    "telecare": "Brokerage does not arrange telecare or assistive technology. "
    "Refer the person to the Assistive Technology team.",
    "minor_works": "Brokerage does not arrange minor works or low-level adaptations. "
    "Refer the person to the Home Improvement Agency.",
    "ot_equipment": "Brokerage does not arrange occupational therapy equipment or major adaptations. "
    "Refer the person to the Occupational Therapy service.",
}


def rows(apps, schema_editor):
    ServiceType = apps.get_model("catalogue", "ServiceType")
    Team = apps.get_model("catalogue", "Team")
    for position, (code, name) in enumerate(SERVICE_TYPES, start=1):
        ServiceType.objects.get_or_create(
            code=code, defaults={"name": name, "refusal": REFUSALS.get(code, ""), "position": position}
        )
    codes = set()
    for app, model in (("brokerage", "Area"), ("accounts", "User"), ("referrals", "Referral")):
        codes |= set(apps.get_model(app, model).objects.values_list("team", flat=True).distinct())
    for code in sorted(codes - {"", None}):
        Team.objects.get_or_create(code=code, defaults={"name": code.replace("_", " ").title()})


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_initial"),
        ("brokerage", "0004_serviceagreement_bid_serviceagreement_created_by_and_more"),
        ("accounts", "0004_reference_data_permissions"),
        ("referrals", "0006_referrer_index"),
    ]

    operations = [migrations.RunPython(rows, migrations.RunPython.noop)]
