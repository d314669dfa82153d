"""Paying for what was delivered (issue 16): the visits each home care package plans, day by day (PlannedVisit); the
visits carers logged in the electronic call monitoring system (ActualVisit), imported from its export
(CallMonitoringImport); what reconciliation made of them, a line a carer's visit (VisitLine), with finance's
decisions on the exceptions; and the payment runs that pay those lines and approved invoices once, a statement per
provider (PaymentRun, ProviderStatement, PaymentLine).

Each is written set-based in PostgreSQL: planned visits by services.generate_planned_visits, imports with COPY into
a staging table then INSERT ... SELECT (importing.py), reconciliation (reconciliation.py) and payment runs
(payments.py) by INSERT ... SELECT."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now

from core.workflow import Machine, TransitionRecord
from packages.models import reference_for

from .workflows import Outcome, VisitLineWorkflow


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
    # When the task last moved it on: one that stops moving had its worker stopped (importing.fail_stalled_imports).
    progressed_at = models.DateTimeField(null=True, blank=True)
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

    # The import that wrote it, in the same transaction, and the provider and package the import checked exist
    # (set-based, finance.importing): not checked again a row at a time by the database at commit.
    call_monitoring_import = models.ForeignKey(
        CallMonitoringImport, on_delete=models.PROTECT, related_name="visits", db_constraint=False
    )
    line = models.PositiveIntegerField()
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    package = models.ForeignKey(
        "packages.CarePackage", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
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
    and slot); a planned visit no longer in force (a suspension recorded later) goes, unless finance has decided or
    paid its reconciliation.

    A county's week is some 150,000 rows written at once, so the table has only the indexes its readers need
    (by package through the unique constraint, by day, by provider and day), not one per foreign key. Its package,
    version, slot, agreement, provider and person are read from the packages' own rows as they are written (rows
    that are never deleted): the database does not check 140,000 rows six times again at commit."""

    package = models.ForeignKey(
        "packages.CarePackage", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    version = models.ForeignKey(
        "packages.PackageVersion", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    slot = models.ForeignKey(
        "packages.VisitSlot", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    agreement = models.ForeignKey(
        "brokerage.ServiceAgreement", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    day = models.DateField()
    planned_start = models.DateTimeField()  # the slot's time on `day` in Europe/London
    minutes = models.PositiveSmallIntegerField()
    carers = models.PositiveSmallIntegerField()
    generated_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["planned_start", "id"]
        constraints = [
            models.UniqueConstraint(fields=["package", "planned_start", "slot"], name="planned_visit_once"),
        ]
        indexes = [
            models.Index(fields=["day"], name="planned_visit_day"),
            models.Index(fields=["provider", "day"], name="planned_visit_provider_day"),
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


# Reconciliation -----------------------------------------------------------------------------------------------
class PayBasis(models.TextChoices):
    ACTUAL = "actual", "The time the carer stayed, up to the planned time"
    PLANNED = "planned", "The planned time"


class Tolerances(models.Model):
    """The matching rules finance sets: a planned visit is matched to a carer's visit that started within
    `start_minutes` of it and lasted at least `min_duration_percent` of it. A change is a new row (the latest is in
    force), so each reconciliation says which rules it used."""

    start_minutes = models.PositiveSmallIntegerField(
        "Start within this many minutes of the planned time, either way", default=15
    )
    late_window_minutes = models.PositiveSmallIntegerField(
        "Beyond that, a visit started up to this many minutes either way is matched as late", default=120
    )
    min_duration_percent = models.PositiveSmallIntegerField("Lasted at least this % of the planned time", default=75)
    pay_basis = models.CharField("Pay matched visits for", max_length=7, choices=PayBasis.choices, default="actual")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    set_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["-set_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(start_minutes__lte=180), name="tolerance_start_at_most_3h"),
            models.CheckConstraint(
                condition=Q(late_window_minutes__gte=models.F("start_minutes"), late_window_minutes__lte=720),
                name="tolerance_late_window_wider",
            ),
            models.CheckConstraint(
                condition=Q(min_duration_percent__gte=1, min_duration_percent__lte=100),
                name="tolerance_duration_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"±{self.start_minutes} min, at least {self.min_duration_percent}%, pay {self.pay_basis} time"


class ReconciliationRun(models.Model):
    """Finance matched a period's planned visits to the carers' visits: with which rules, and what came of it."""

    first_day = models.DateField()
    last_day = models.DateField()
    tolerances = models.ForeignKey(Tolerances, on_delete=models.PROTECT, related_name="+")
    matched = models.PositiveIntegerField()
    exceptions = models.PositiveIntegerField()
    kept = models.PositiveIntegerField()  # lines already decided or paid, left as they were
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    run_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["-run_at", "-id"]

    def __str__(self) -> str:
        return f"Reconciliation {self.first_day} to {self.last_day}"


class VisitLine(VisitLineWorkflow):
    """What reconciliation made of one carer's part of a planned visit, or of one carer's visit nobody planned: a
    planned visit for two carers is two lines, each matched to one carer's visit. It is what is paid: its amount
    is in pence, at the hourly rate of the package's terms that day, worked out when it was reconciled.

    A line nobody has decided and nobody has paid is made again by the next reconciliation of its period; a
    decided or paid one is kept, and so are the visits it holds. The database checks the visits a line holds; its
    run, provider, package and person are copied from those visits' rows in the statement that writes it (150,000
    lines a county's week), not checked again a row at a time at commit."""

    run = models.ForeignKey(
        ReconciliationRun, on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    package = models.ForeignKey(
        "packages.CarePackage", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    day = models.DateField()
    planned = models.ForeignKey(PlannedVisit, on_delete=models.PROTECT, null=True, related_name="+", db_index=False)
    carer_number = models.PositiveSmallIntegerField(null=True)  # which of the planned visit's carers
    actual = models.OneToOneField(ActualVisit, on_delete=models.PROTECT, null=True, related_name="reconciled")
    outcome = models.CharField(max_length=9, choices=Outcome.choices)
    planned_minutes = models.PositiveSmallIntegerField(null=True)
    actual_minutes = models.PositiveIntegerField(null=True)
    start_difference = models.IntegerField(null=True)  # minutes the carer checked in after (+) or before (-) plan
    payable_minutes = models.PositiveIntegerField()
    hourly_rate = models.DecimalField(max_digits=7, decimal_places=2)
    amount_pence = models.PositiveIntegerField()  # what accepting it pays; a matched line's is payable as it is
    note = models.CharField(max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", db_index=False
    )
    decided_at = models.DateTimeField(null=True)

    class Meta:
        ordering = ["day", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["planned", "carer_number"], condition=Q(planned__isnull=False), name="visit_line_per_carer"
            ),
            models.CheckConstraint(
                condition=Q(planned__isnull=False, carer_number__isnull=False) | Q(actual__isnull=False),
                name="visit_line_holds_a_visit",
            ),
            models.CheckConstraint(
                # A matched visit is payable as it stands; everything else is an exception, decided or not.
                condition=Q(outcome="matched", state="payable") | (~Q(outcome="matched") & ~Q(state="payable")),
                name="visit_line_matched_is_payable",
            ),
        ]
        indexes = [
            models.Index(fields=["provider", "day"], name="visit_line_provider_day"),
            models.Index(fields=["day"], name="visit_line_open_day", condition=Q(state="open")),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} visit on {self.day}"

    @property
    def paid(self) -> bool:
        return PaymentLine.objects.filter(visit_line=self).exists()

    @property
    def package_reference(self) -> str:
        return reference_for(self.package_id)

    @property
    def amount(self):
        from decimal import Decimal

        return Decimal(self.amount_pence) / 100


class VisitLineTransition(TransitionRecord):
    """A finance officer's decision on an exception, with its note."""

    line = models.ForeignKey(VisitLine, on_delete=models.PROTECT, related_name="transitions")

    class Meta(TransitionRecord.Meta):
        pass


VISIT_LINE_MACHINE = Machine(
    model=VisitLine,
    log=VisitLineTransition,
    subject="line",
    title="How finance decides an exception",
    layout={"payable": (0, 0), "open": (0, 1), "accepted": (1, 1), "rejected": (1, 2)},
    person_of=lambda line: line.person,
    called="visit",
    not_permitted="Exceptions are decided by finance officers.",
)


# Paying -------------------------------------------------------------------------------------------------------
class PaymentRun(models.Model):
    """Finance paid what was payable up to a day: every payable visit and approved invoice of the period not paid
    before, a statement per provider. Nothing is paid twice: each line points at what it pays, once (unique)."""

    first_day = models.DateField()
    last_day = models.DateField()
    total_pence = models.PositiveBigIntegerField()
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["-made_at", "-id"]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"PR-{self.pk:05d}"


class ProviderStatement(models.Model):
    """What one provider is paid in a run, line by line: a PDF for the provider and rows of the run's CSV."""

    run = models.ForeignKey(PaymentRun, on_delete=models.PROTECT, related_name="statements")
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="+")
    visits = models.PositiveIntegerField()
    invoices = models.PositiveIntegerField()
    total_pence = models.PositiveBigIntegerField()
    pdf = models.FileField(upload_to="statements/", blank=True)
    pdf_rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "provider__name"]
        constraints = [models.UniqueConstraint(fields=["run", "provider"], name="one_statement_per_provider")]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"{self.run.reference}-{self.provider_id}"


class PaymentLine(models.Model):
    """One thing paid: a reconciled visit, or (finance.payments) an approved invoice. Each is paid at most once."""

    statement = models.ForeignKey(ProviderStatement, on_delete=models.PROTECT, related_name="lines")
    visit_line = models.OneToOneField(VisitLine, on_delete=models.PROTECT, null=True, related_name="+")
    invoice = models.OneToOneField("invoices.Invoice", on_delete=models.PROTECT, null=True, related_name="+")
    day = models.DateField()  # the visit's day, or the invoice period's last day
    description = models.CharField(max_length=300)
    amount_pence = models.PositiveIntegerField()

    class Meta:
        ordering = ["statement", "day", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(visit_line__isnull=False, invoice__isnull=True)
                | Q(visit_line__isnull=True, invoice__isnull=False),
                name="payment_line_pays_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return self.description
