"""Before the language becomes a choice from a list (0007): each free-text answer becomes the code of the
language it names ("Polish; son Marek Kowalczyk 07700 900456" is "pol"), and anything else in it is dropped,
since it may have been published to every bidder. An answer naming no language is cleared."""

from django.db import migrations


def to_codes(apps, schema_editor):
    from people.languages import language_code

    CareAndSupportPlan = apps.get_model("people", "CareAndSupportPlan")
    for row in CareAndSupportPlan.objects.exclude(preferred_language="").only("id", "preferred_language"):
        CareAndSupportPlan.objects.filter(pk=row.pk).update(preferred_language=language_code(row.preferred_language))


class Migration(migrations.Migration):
    dependencies = [("people", "0005_plain_messages_for_hours_and_budget")]

    # Its own migration, so its own transaction: the column is narrowed after these rows commit.
    operations = [migrations.RunPython(to_codes, migrations.RunPython.noop)]
