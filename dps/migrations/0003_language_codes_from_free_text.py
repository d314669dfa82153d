"""Before the language becomes a choice from a list (0004): each free-text answer becomes the code of the
language it names ("Polish; son Marek Kowalczyk 07700 900456" is "pol"), and anything else in it is dropped,
since it may have been published to every bidder. An answer naming no language is cleared."""

from django.db import migrations


def to_codes(apps, schema_editor):
    from people.languages import language_code

    DPSRequirement = apps.get_model("dps", "DPSRequirement")
    for row in DPSRequirement.objects.exclude(language="").only("id", "language"):
        DPSRequirement.objects.filter(pk=row.pk).update(language=language_code(row.language))


class Migration(migrations.Migration):
    dependencies = [("dps", "0002_bid_dpsrequirement_bid_requirement_outcomestatement_and_more")]

    # Its own migration, so its own transaction: the column is narrowed after these rows commit.
    operations = [migrations.RunPython(to_codes, migrations.RunPython.noop)]
