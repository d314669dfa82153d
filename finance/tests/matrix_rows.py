"""The permission matrix's rows for finance's pages (core.tests.test_permission_matrix finds them): finance officers
only, every other role refused before the view looks for anything."""

from core.tests.matrix import expect, gate

FINANCE = {"finance"}


def _import(world):
    if "finance_import" not in world:
        from finance.models import CallMonitoringImport

        world["finance_import"] = CallMonitoringImport.objects.create(
            file_name="week.csv", sha256="a" * 64, size=10, uploaded_by=world["users"]["finance"]
        )
    return world["finance_import"]


GET_ROWS = {
    "finance:planned_visits": (lambda w: [], gate(FINANCE, expect(FINANCE))),
    "finance:imports": (lambda w: [], gate(FINANCE, expect(FINANCE))),
    "finance:import_detail": (lambda w: [_import(w).pk], gate(FINANCE, expect(FINANCE))),
    "finance:import_progress": (lambda w: [_import(w).pk], gate(FINANCE, expect(FINANCE))),
}


def _line(world):
    """A missed visit of the world's home care package (its provider is the provider user's own), reconciled."""
    if "visit_line" not in world:
        from django.utils import timezone

        from finance.models import PlannedVisit, ReconciliationRun, VisitLine
        from finance.reconciliation import current_tolerances

        package = world["package"]
        version = package.versions.order_by("valid_from").first()
        slot = version.visits.first() or version.visits.create(day=1, time="08:00", minutes=30)
        day = timezone.localdate()
        planned = PlannedVisit.objects.create(
            package=package,
            version=version,
            slot=slot,
            agreement=version.agreement,
            provider=version.agreement.provider,
            person=package.person,
            day=day,
            planned_start=timezone.now(),
            minutes=slot.minutes,
            carers=1,
        )
        run = ReconciliationRun.objects.create(
            first_day=day,
            last_day=day,
            tolerances=current_tolerances(),
            matched=0,
            exceptions=1,
            kept=0,
            run_by=world["users"]["finance"],
        )
        world["visit_line"] = VisitLine.objects.create(
            run=run,
            provider=planned.provider,
            package=package,
            person=package.person,
            day=day,
            planned=planned,
            carer_number=1,
            outcome="missed",
            state="open",
            planned_minutes=slot.minutes,
            payable_minutes=slot.minutes,
            hourly_rate="20.00",
            amount_pence=1000,
        )
    return world["visit_line"]


def _statement(world):
    """A payment run paying that visit: its statement, to the provider user's own provider."""
    if "statement" not in world:
        from finance.models import PaymentLine, PaymentRun, ProviderStatement

        line = _line(world)
        run = PaymentRun.objects.create(
            first_day=line.day, last_day=line.day, total_pence=1000, made_by=world["users"]["finance"]
        )
        world["statement"] = ProviderStatement.objects.create(
            run=run, provider=line.provider, visits=1, invoices=0, total_pence=1000
        )
        PaymentLine.objects.create(
            statement=world["statement"], visit_line=line, day=line.day, description="x", amount_pence=1000
        )
    return world["statement"]


PROVIDER = {"provider"}
GET_ROWS |= {
    "finance:reconciliation": (lambda w: [], gate(FINANCE, expect(FINANCE))),
    "finance:tolerances": (lambda w: [], gate(FINANCE, expect(FINANCE))),
    "finance:exceptions": (lambda w: [], gate(FINANCE, expect(FINANCE))),
    "finance:exception": (lambda w: [_line(w).pk], gate(FINANCE, expect(FINANCE))),
    "finance:decide": (lambda w: [_line(w).pk], gate(FINANCE, expect(FINANCE, ok_code=405))),
    "finance:payable": (lambda w: [], gate(FINANCE, expect(FINANCE))),
    "finance:payment_run": (lambda w: [_statement(w).run_id], gate(FINANCE, expect(FINANCE))),
    "finance:payment_run_csv": (lambda w: [_statement(w).run_id], gate(FINANCE, expect(FINANCE))),
    "finance:statement_pdf": (lambda w: [_statement(w).pk], gate(FINANCE, expect(FINANCE, ok_code=202))),
    # The provider's own, in its portal; staff are turned away from the portal (403).
    "portal:reconciliation": (lambda w: [], expect(PROVIDER, other=403)),
    "portal:statement_pdf": (lambda w: [_statement(w).pk], expect(PROVIDER, ok_code=202, other=403)),
    "portal:invoices": (lambda w: [], expect(PROVIDER, other=403)),
}
