"""Working days: Monday to Friday, except bank holidays (core.models.BankHoliday)."""

from datetime import date, datetime, timedelta

from django.utils import timezone

from .models import BankHoliday


def add_working_days(moment: datetime, days: int) -> datetime:
    """The same time of day, in the council's time zone, `days` working days after `moment`. One query."""
    local = timezone.localtime(moment)
    start = local.date()
    # Enough calendar days to hold `days` working days around any run of weekends and holidays.
    horizon = start + timedelta(days=days * 2 + 14)
    closed = set(BankHoliday.objects.filter(date__gt=start, date__lte=horizon).values_list("date", flat=True))
    day, left = start, days
    while left:
        day += timedelta(days=1)
        if is_working_day(day, closed):
            left -= 1
    # Wall-clock time kept across a change to or from British Summer Time.
    return timezone.make_aware(datetime.combine(day, local.time().replace(tzinfo=None)), local.tzinfo)


def is_working_day(day: date, bank_holidays: set[date]) -> bool:
    return day.weekday() < 5 and day not in bank_holidays
