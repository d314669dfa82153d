"""Paying for what was delivered (issue 16), its first part: the visits each home care package plans, day by day
(PlannedVisit), and the visits carers logged in the electronic call monitoring system (ActualVisit), imported from
its export (CallMonitoringImport). Matching one to the other, and paying, come later: a planned visit already
matched is never taken away by a later regeneration (`matched_to`).

Planned visits are generated set-based in PostgreSQL (services.generate_planned_visits); imports are validated
and loaded with COPY into a staging table, then INSERT ... SELECT (importing.py)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now


class Method(models.TextChoices):
    """How the carer logged the visit in the call monitoring system."""

    PHONE = "phone", "Phone (the person's landline)"
    APP = "app", "App"
    MANUAL = "manual", "Entered by the provider's office"


class CallMonitoringImport(models.Model):
    """One file exported from the call monitoring system, uploaded by a finance officer, and how its import went.
    Its rows are checked and loaded in the background (tasks.run_import), which moves `rows_done` for the
    progress bar. A file is imported at most once: the same content again (its SHA-256) is told so, and ignored."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        CHECKING = "checking", "Checking the rows"
        LOADING = "loading", "Loading the visits"
        IMPORTED = "imported", "Imported"
        REJECTED = "rejected", "Rejected: nothing imported"
        FAILED = "failed", "Failed: nothing imported"

    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    # The file itself, until it is imported or rejected: never read with the row (views defer it).
    content = models.BinaryField(null=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(null=True, blank=True)  # known once the file has been read
    rows_done = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    rows_already_imported = models.PositiveIntegerField(default=0)  # the same visit in an earlier file
    problem_count = models.PositiveIntegerField(default=0)
    failure = models.CharField(max_length=500, blank=True)  # a problem with the file as a whole
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(db_default=Now())
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            # The same file is imported once, even uploaded twice at the same moment; a rejected one may come again.
            models.UniqueConstraint(
                fields=["sha256"],
                condition=~Q(status__in=["rejected", "failed"]),
                name="call_monitoring_file_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display().lower()})"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.IMPORTED, self.Status.REJECTED, self.Status.FAILED}

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)


class ImportProblem(models.Model):
    """One bad row of a rejected file: its line number in the file (the header is line 1) and why."""

    call_monitoring_import = models.ForeignKey(CallMonitoringImport, on_delete=models.CASCADE, related_name="problems")
    line = models.PositiveIntegerField()
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["line", "id"]
        indexes = [models.Index(fields=["call_monitoring_import", "line"], name="import_problem_by_line")]

    def __str__(self) -> str:
        return f"Line {self.line}: {self.reason}"


class ActualVisit(models.Model):
    """A visit as the call monitoring system logged it: a carer checked in and out at the person's home. The same
    visit in two files (a provider re-exports a week) is one row."""

    # The import that wrote it, in the same transaction, and the provider the import checked exists (set-based,
    # finance.importing): not checked again a row at a time by the database at commit.
    call_monitoring_import = models.ForeignKey(
        CallMonitoringImport, on_delete=models.PROTECT, related_name="visits", db_constraint=False
    )
    line = models.PositiveIntegerField()
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    package = models.ForeignKey("packages.CarePackage", on_delete=models.PROTECT, related_name="+", db_index=False)
    # The package's person, as the package's row has it: not checked again, a row at a time, by the database.
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    carer = models.CharField(max_length=50)
    check_in = models.DateTimeField()
    check_out = models.DateTimeField()
    method = models.CharField(max_length=6, choices=Method.choices)
    day = models.DateField()  # check-in's date in Europe/London, to match a planned visit's

    class Meta:
        ordering = ["check_in", "id"]
        constraints = [
            models.UniqueConstraint(fields=["package", "carer", "check_in"], name="actual_visit_once"),
            models.CheckConstraint(condition=Q(check_out__gt=models.F("check_in")), name="actual_visit_ends_after"),
        ]
        indexes = [models.Index(fields=["provider", "day"], name="actual_visit_provider_day")]

    def __str__(self) -> str:
        return f"{self.carer} at {self.package_id} from {self.check_in:%Y-%m-%d %H:%M}"


class PlannedVisit(models.Model):
    """A visit a home care package's terms plan on a day: from the version in force that day, so under its
    agreement and provider. Generated for a period, and generated again without change (once per package, start
    and slot); a planned visit no longer in force (a suspension recorded later) goes, unless already matched.

    A county's week is some 150,000 rows written at once, so the table has only the indexes its readers need
    (by package through the unique constraint, by day, by provider and day), not one per foreign key. Its version,
    slot, agreement and person are the package's own, read from the package's rows as they are written (and those
    rows are never deleted): the database checks only the package and the provider, not 140,000 rows four more
    times at commit."""

    package = models.ForeignKey("packages.CarePackage", on_delete=models.PROTECT, related_name="+", db_index=False)
    version = models.ForeignKey(
        "packages.PackageVersion", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    slot = models.ForeignKey(
        "packages.VisitSlot", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    agreement = models.ForeignKey(
        "brokerage.ServiceAgreement", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="+", db_index=False)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    day = models.DateField()
    planned_start = models.DateTimeField()  # the slot's time on `day` in Europe/London
    minutes = models.PositiveSmallIntegerField()
    carers = models.PositiveSmallIntegerField()
    generated_at = models.DateTimeField(db_default=Now())
    # The actual visit it was matched to (reconciliation, a later increment): a matched visit is kept.
    matched_to = models.ForeignKey(
        ActualVisit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_index=False
    )

    class Meta:
        ordering = ["planned_start", "id"]
        constraints = [
            models.UniqueConstraint(fields=["package", "planned_start", "slot"], name="planned_visit_once"),
        ]
        indexes = [
            models.Index(fields=["day"], name="planned_visit_day"),
            models.Index(fields=["provider", "day"], name="planned_visit_provider_day"),
            models.Index(fields=["matched_to"], name="planned_visit_matched", condition=Q(matched_to__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.package_id} on {self.planned_start:%Y-%m-%d %H:%M}, {self.minutes} minutes"


class PlannedVisitRun(models.Model):
    """A finance officer generated the planned visits for a period: what was added and taken away."""

    first_day = models.DateField()
    last_day = models.DateField()
    added = models.PositiveIntegerField()
    removed = models.PositiveIntegerField()
    in_force = models.PositiveIntegerField()
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    run_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["-run_at", "-id"]

    def __str__(self) -> str:
        return f"Planned visits {self.first_day} to {self.last_day}"
