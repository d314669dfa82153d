"""Checking an invoice against its purchase order: what the order pays for the invoice's days, which of them it does
not cover, and which of them the service was suspended. Pure arithmetic on the order's revisions and the suspensions,
read through purchase_orders' and packages' selectors, so the same check runs when an invoice is recorded and again
when the provider answers a query.

Money is Decimal: each revision's share is its weekly cost × its days ÷ 7, rounded to the penny (half up); the
expected amount is the sum of those lines, so the lines on the page add up to it.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from packages.selectors import suspensions_between
from purchase_orders.selectors import revisions_of

PENNY = Decimal("0.01")


@dataclass(frozen=True)
class PricedLine:
    """Consecutive days paid under one revision of the order."""

    order: str  # its number as printed, with the revision
    first: date
    last: date
    days: int
    weekly_cost: Decimal
    amount: Decimal


@dataclass(frozen=True)
class Check:
    expected_amount: Decimal
    over_value: bool
    days_outside_order: int
    suspended_days: int
    lines: list[PricedLine] = field(default_factory=list)
    outside: list[tuple[date, date]] = field(default_factory=list)
    suspended: list[tuple[date, date]] = field(default_factory=list)

    def as_detail(self) -> dict:
        """What the invoice keeps of the check, for its page (JSON: dates as ISO text, money as text)."""
        return {
            "lines": [
                {
                    "order": line.order,
                    "first": line.first.isoformat(),
                    "last": line.last.isoformat(),
                    "days": line.days,
                    "weekly_cost": str(line.weekly_cost),
                    "amount": str(line.amount),
                }
                for line in self.lines
            ],
            "outside": [[a.isoformat(), b.isoformat()] for a, b in self.outside],
            "suspended": [[a.isoformat(), b.isoformat()] for a, b in self.suspended],
        }


def _days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _runs(days: list[date]) -> list[tuple[date, date]]:
    """Days, in order, as runs of consecutive days (first, last)."""
    runs: list[list[date]] = []
    for day in days:
        if runs and runs[-1][1] + timedelta(days=1) == day:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [(a, b) for a, b in runs]


def in_force_on(revisions: list, day: date):
    """The revision in force on `day`: the latest issued of those that had begun by then (a revision supersedes the
    last from its own period start), or None before the order began or after it ended (its period end, or the last
    day it was closed on)."""
    begun = [r for r in revisions if r.period_start <= day]
    if not begun:
        return None
    revision = max(begun, key=lambda r: r.revision)
    latest = revisions[-1]
    if revision.period_end is not None and day > revision.period_end:
        return None
    if latest.last_day is not None and day > latest.last_day:
        return None
    return revision


def _order_suspensions(revisions: list) -> list[tuple[date, date | None]]:
    """The suspensions the order's revisions showed, when it serves no care package: each by its first day, with
    the recommencement the latest revision showing it gave."""
    latest_word: dict[date, date | None] = {}
    for revision in revisions:  # first to latest: a later revision's recommencement replaces an earlier's
        if revision.suspended_from is not None:
            latest_word[revision.suspended_from] = revision.recommences_on
    return sorted(latest_word.items())


def _suspended(day: date, suspensions) -> bool:
    # recommences_on is the first day back: not suspended. None: suspended until further notice.
    return any(start <= day and (back is None or day < back) for start, back in suspensions)


def check_invoice(order, *, period_start: date, period_end: date, amount: Decimal) -> Check:
    """What `order` (any revision of it) pays for the days `period_start` to `period_end`, and the flags: over its
    value, days it does not cover, days suspended (not paid). Three queries at most."""
    revisions = revisions_of(order)
    if order.care_package_id is not None:
        suspensions = suspensions_between(order.care_package_id, period_start, period_end)
    else:
        suspensions = _order_suspensions(revisions)
    outside, suspended, paid = [], [], []  # paid: (day, revision)
    for day in _days(period_start, period_end):
        revision = in_force_on(revisions, day)
        if revision is None:
            outside.append(day)
        elif _suspended(day, suspensions):
            suspended.append(day)
        else:
            paid.append((day, revision))
    lines: list[PricedLine] = []
    run: list = []
    for day, revision in [*paid, (None, None)]:
        if run and (day is None or revision.pk != run[-1][1].pk or day != run[-1][0] + timedelta(days=1)):
            first, rev = run[0]
            days = len(run)
            share = (rev.weekly_cost * days / Decimal(7)).quantize(PENNY, rounding=ROUND_HALF_UP)
            lines.append(PricedLine(rev.display_number, first, run[-1][0], days, rev.weekly_cost, share))
            run = []
        if day is not None:
            run.append((day, revision))
    expected = sum((line.amount for line in lines), Decimal("0.00"))
    return Check(
        expected_amount=expected,
        over_value=amount > expected,
        days_outside_order=len(outside),
        suspended_days=len(suspended),
        lines=lines,
        outside=_runs(outside),
        suspended=_runs(suspended),
    )


def lines_of(invoice) -> list[dict]:
    """The priced lines the invoice's check kept, with dates and money as such again, for its page."""
    return [
        {
            **line,
            "first": date.fromisoformat(line["first"]),
            "last": date.fromisoformat(line["last"]),
            "weekly_cost": Decimal(line["weekly_cost"]),
            "amount": Decimal(line["amount"]),
        }
        for line in (invoice.check_detail or {}).get("lines", [])
    ]


# In words ------------------------------------------------------------------------------------------------------
def days_in_words(first: date, last: date) -> str:
    """'12 March 2027', '12 to 14 March 2027', '30 March to 2 April 2027', '30 December 2026 to 2 January 2027'."""
    if first == last:
        return f"{last:%-d %B %Y}"
    if (first.year, first.month) == (last.year, last.month):
        return f"{first:%-d} to {last:%-d %B %Y}"
    if first.year == last.year:
        return f"{first:%-d %B} to {last:%-d %B %Y}"
    return f"{first:%-d %B %Y} to {last:%-d %B %Y}"


def _runs_in_words(runs) -> str:
    return ", ".join(days_in_words(date.fromisoformat(a), date.fromisoformat(b)) for a, b in runs)


def _plural(n: int, one: str) -> str:
    return f"{n} {one}" if n == 1 else f"{n} {one}s"


def _money(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def flags_in_words(invoice) -> list[str]:
    """The check's flags on `invoice`, each a sentence for the invoice's page."""
    detail = invoice.check_detail or {}
    said = []
    if invoice.over_value:
        said.append(
            f"The amount invoiced, {_money(invoice.amount)}, is {_money(invoice.amount - invoice.expected_amount)} "
            f"more than the order pays for this period, {_money(invoice.expected_amount)}."
        )
    if invoice.days_outside_order:
        said.append(
            f"{_plural(invoice.days_outside_order, 'day')} of this period the purchase order does not cover: "
            f"{_runs_in_words(detail.get('outside', []))}."
        )
    if invoice.suspended_days:
        said.append(
            f"{_plural(invoice.suspended_days, 'day')} of this period the package was suspended: "
            f"{_runs_in_words(detail.get('suspended', []))}."
        )
    return said
