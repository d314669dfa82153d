"""Working days skip weekends and the bank holidays admin staff keep (core.calendar)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from audit.models import AuditEvent
from core.calendar import add_working_days
from core.models import BankHoliday

LONDON = ZoneInfo("Europe/London")
pytestmark = pytest.mark.django_db


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=LONDON)


@pytest.mark.parametrize(
    "start,days,due",
    [
        (at(2026, 11, 30, 9, 30), 5, at(2026, 12, 7, 9, 30)),  # Monday to Monday
        (at(2026, 12, 4, 16, 0), 1, at(2026, 12, 7, 16, 0)),  # Friday to Monday
        (at(2026, 12, 5, 10, 0), 1, at(2026, 12, 7, 10, 0)),  # Saturday to Monday
        (at(2026, 12, 21, 9, 0), 5, at(2026, 12, 30, 9, 0)),  # over Christmas and Boxing Day (a Saturday: Monday 28th)
        (at(2027, 3, 26, 12, 0), 1, at(2027, 3, 30, 12, 0)),  # Friday to Tuesday: Monday 29th is Easter Monday
    ],
)
def test_working_days_skip_weekends_and_bank_holidays(start, days, due):
    for day, name in [
        (date(2026, 12, 25), "Christmas Day"),
        (date(2026, 12, 28), "Boxing Day (substitute day)"),
        (date(2027, 3, 29), "Easter Monday"),
    ]:
        BankHoliday.objects.create(date=day, name=name)
    assert add_working_days(start, days) == due


def test_the_time_of_day_is_kept_across_the_change_of_the_clocks():
    # The clocks go forward on Sunday 28 March 2027: 09:00 on Friday is 09:00 on Monday, an hour less later.
    assert add_working_days(at(2027, 3, 26, 9, 0), 1) == at(2027, 3, 29, 9, 0)


def test_a_routine_referral_is_due_in_five_working_days(social_worker, person, cap_member):
    from referrals.tests.factories import queued_referral

    BankHoliday.objects.create(date=date(2026, 12, 25), name="Christmas Day")
    with time_machine.travel(at(2026, 12, 22, 10, 0), tick=False):  # a Tuesday
        referral = queued_referral(social_worker, person, cap_member)
    assert not referral.urgent
    assert referral.due_by == at(2026, 12, 30, 10, 0)  # Wed 23, Thu 24, Mon 28, Tue 29, Wed 30


def test_admin_staff_keep_bank_holidays_and_each_change_is_audited(client, finance_officer):
    client.force_login(finance_officer)
    response = client.post(
        reverse("admin:core_bankholiday_add"), {"date": "2027-05-03", "name": "Early May bank holiday"}
    )
    assert response.status_code == 302
    holiday = BankHoliday.objects.get()
    assert AuditEvent.objects.filter(object_id=str(holiday.pk), actor=finance_officer).exists()
    twice = client.post(reverse("admin:core_bankholiday_add"), {"date": "2027-05-03", "name": "Again"})
    assert twice.status_code == 200 and BankHoliday.objects.count() == 1
