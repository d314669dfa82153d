"""The respite allowance cannot be overdrawn by two bookings made at the same moment: two connections to PostgreSQL,
released together by a barrier, each try to book more than half of what is left. The allowance row's lock puts one
after the other: exactly one wins, the other is refused with the balance, and the balance is never below £0."""

from datetime import timedelta
from decimal import Decimal

import pytest

from core.exceptions import ActionRefused
from core.tests.races import at_once
from respite import services
from respite.models import RespiteAllowance, RespiteBooking

from .factories import ALLOWANCE, letter_sent, respite_provider, today


@pytest.mark.django_db(transaction=True)
def test_two_bookings_at_the_same_moment_cannot_overdraw_the_allowance(
    person, cap_member, officer_east, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    allowance = letter_sent(person, cap_member, officer_east)
    providers = [respite_provider(), respite_provider()]
    cost = Decimal("1200.00")  # each alone fits in £2,000; both do not

    def book(n):
        start = today() + timedelta(days=10 + 20 * n)
        return services.book_respite(
            allowance,
            acting_user=officer_east,
            provider=providers[n],
            start_date=start,
            end_date=start + timedelta(days=7),
            cost=cost,
        )

    results = at_once(lambda: book(0), lambda: book(1))

    won = [r for r in results if isinstance(r, RespiteBooking)]
    refused = [r for r in results if isinstance(r, ActionRefused)]
    assert len(won) == 1 and len(refused) == 1, results
    assert "would exceed the respite allowance: £800.00 is left of £2,000.00" in refused[0].message
    allowance = RespiteAllowance.objects.get(pk=allowance.pk)
    assert allowance.booked == cost and allowance.balance == ALLOWANCE - cost >= 0
    assert RespiteBooking.objects.count() == 1
