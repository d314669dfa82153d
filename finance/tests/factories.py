"""Home care packages as rows, with the versions, slots, agreements and suspensions a test needs (the steps that
make them are packages' own tests' business), and call monitoring files."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from brokerage.models import ServiceAgreement
from brokerage.tests.factories import spot_agreement
from catalogue.codes import ServiceCode
from packages.models import CarePackage, PackageAgreement, PackageVersion, VisitSlot

MONDAY = date(2027, 8, 23)  # a week in British Summer Time: Monday 23 to Sunday 29 August 2027
SUNDAY = MONDAY + timedelta(days=6)
BANK_HOLIDAY = date(2027, 8, 30)  # the summer bank holiday, a Monday
EVERY_DAY = range(1, 8)
HEADER = "provider_id,package_reference,carer_id,check_in,check_out,method\n"


def day(n: int) -> date:
    """The nth day of the week (0: Monday 23 August 2027)."""
    return MONDAY + timedelta(days=n)


def _slots(version, slots):
    VisitSlot.objects.bulk_create(
        [
            VisitSlot(version=version, day=d, time=time(*map(int, at.split(":"))), minutes=m, **extra)
            for d, at, m, extra in ((s[0], s[1], s[2], s[3] if len(s) > 3 else {}) for s in slots)
        ]
    )


def agreement_for(package_or_person, *, start, provider=None) -> ServiceAgreement:
    return spot_agreement(
        getattr(package_or_person, "person", package_or_person),
        service_type=ServiceCode.HOME_CARE,
        start=start,
        provider=provider,
        weekly_hours=Decimal("7.00"),
        hourly_rate=Decimal("20.00"),
        weekly_cost=Decimal("140.00"),
    )


def home_care(person, *, began=MONDAY - timedelta(weeks=4), slots=None):
    """An active home care package from `began`, one open-ended version with `slots` ((day, "HH:MM", minutes
    [, extra fields]) each): by default a half-hour visit at 8 each morning."""
    agreement = agreement_for(person, start=began)
    package = CarePackage.objects.create(
        person=person,
        service_type_id=ServiceCode.HOME_CARE,
        referral=agreement.referral,
        team_id=person.team_id,
        state=CarePackage.State.ACTIVE,
    )
    PackageAgreement.objects.create(package=package, agreement=agreement, valid_from=began)
    version = PackageVersion.objects.create(
        package=package,
        agreement=agreement,
        valid_from=began,
        weekly_hours=Decimal("3.50"),
        hourly_rate=Decimal("20.00"),
        weekly_cost=Decimal("70.00"),
        reason="Commissioned",
        created_by=person.allocated_worker,
    )
    _slots(version, slots if slots is not None else [(d, "08:00", 30) for d in EVERY_DAY])
    return package


def new_terms(package, *, valid_from, slots, agreement=None, reverts_on=None) -> PackageVersion:
    """The latest version ends on `valid_from`; a new one starts then (under `agreement`, or the same)."""
    current = package.versions.order_by("-valid_from", "-id").first()
    current.valid_to = valid_from
    current.save(update_fields=["valid_to"])
    version = PackageVersion.objects.create(
        package=package,
        agreement=agreement or current.agreement,
        valid_from=valid_from,
        weekly_hours=Decimal("7.00"),
        hourly_rate=Decimal("20.00"),
        weekly_cost=Decimal("140.00"),
        reason="Changed",
        reverts_on=reverts_on,
        created_by=package.person.allocated_worker,
    )
    _slots(version, slots)
    return version


def change_provider(package, *, on, slots) -> PackageVersion:
    agreement = agreement_for(package, start=on)
    PackageAgreement.objects.filter(package=package, valid_to__isnull=True).update(valid_to=on)
    PackageAgreement.objects.create(package=package, agreement=agreement, valid_from=on)
    return new_terms(package, valid_from=on, slots=slots, agreement=agreement)


def provider_of(package):
    return package.versions.order_by("valid_from").first().agreement.provider


def csv_file(*rows: str, header: str = HEADER) -> bytes:
    return (header + "".join(f"{row}\n" for row in rows)).encode("utf-8")


def visit_row(package, *, on=MONDAY, at="08:02", minutes=30, carer="C-1", method="app", provider=None) -> str:
    """A good row for `package`: a visit on `on` at `at` (London time, with its offset that day) lasting
    `minutes`."""
    hours, mins = map(int, at.split(":"))
    begins = datetime.combine(on, time(hours, mins), tzinfo=ZoneInfo("Europe/London"))
    start, end = begins.isoformat(), (begins + timedelta(minutes=minutes)).isoformat()
    provider_id = (provider or provider_of(package)).pk
    return f"{provider_id},{package.reference},{carer},{start},{end},{method}"
