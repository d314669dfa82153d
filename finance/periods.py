"""The period a finance page shows, from its address (?from=&to=): finance's pages and the provider's portal."""

from datetime import date, timedelta

from django.utils import timezone

LONGEST_SHOWN = timedelta(days=92)


def period_asked(request) -> tuple[date, date]:
    """The period the address asks for, or the last full week, Monday to Sunday, before today. A bad or reversed
    date in a hand-typed address gives the default, not an error page."""
    try:
        first, last = date.fromisoformat(request.GET.get("from", "")), date.fromisoformat(request.GET.get("to", ""))
        if first <= last and last - first < LONGEST_SHOWN:
            return first, last
    except ValueError:
        pass
    today = timezone.localdate()
    last = today - timedelta(days=today.isoweekday())
    return last - timedelta(days=6), last


def period_query(first: date, last: date) -> str:
    return f"from={first:%Y-%m-%d}&to={last:%Y-%m-%d}"
