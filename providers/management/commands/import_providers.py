from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from providers.forms import MAX_UPLOAD_BYTES
from providers.services import import_provider_directory


class Command(BaseCommand):
    help = (
        "Import providers from an Open Referral UK (HSDS 3.0 UK profile) JSON file, all of them or none. "
        "Runs as the system: the audit trail shows no user."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="An Open Referral UK JSON file")

    def handle(self, *args, file: Path, **options):
        try:
            if file.stat().st_size > MAX_UPLOAD_BYTES:
                raise CommandError(f"{file} is larger than 5 MB.")
            content = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        result = import_provider_directory(content, acting_user=None, source=file.name)
        if not result.imported:
            for line in result.reading.report_lines():
                self.stderr.write(line)
            raise CommandError(f"Nothing was imported from {file}.")
        self.stdout.write(self.style.SUCCESS(result.summary))
        for line in result.reading.report_lines():  # the terms no mapping gave a meaning to
            self.stdout.write(line)
