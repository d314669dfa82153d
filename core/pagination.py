"""Pages of a long list by key, not by count and offset.

A council keeps case records for years: page 400 of the purchase orders by OFFSET reads 20,000 rows to
show 50, and every page counts them all first. A keyset page starts where the last one stopped, with a
row comparison that PostgreSQL answers from an index in the list's order ((a, b) > (x, y)), and never
counts: it offers "Previous" and "Next", as the GOV.UK pagination component does for such lists.
"""

import base64
import json
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import models
from django.db.models import F, Func, Value
from django.db.models.lookups import GreaterThan, LessThan


class Row(Func):
    """ROW(a, b, ...): compared element by element, in index order."""

    function = "ROW"
    output_field = models.TextField()  # not used: a row is only compared, never read


@dataclass(frozen=True)
class KeysetPage:
    object_list: list
    next_cursor: str  # pass as ?after= for the next page; "" on the last page
    previous_cursor: str  # pass as ?before= for the previous page; "" on the first page

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def navigation(self, params) -> dict[str, str]:
        """Links to the previous and next pages ("" where there is none), keeping the list's other query
        parameters (a search, a filter): the context for includes/keyset_pagination.html."""
        kept = {key: value for key, value in params.items() if key not in ("after", "before", "page")}

        def link(**cursor) -> str:
            return "?" + urlencode({**kept, **cursor})

        return {
            "previous": link(before=self.previous_cursor) if self.previous_cursor else "",
            "next": link(after=self.next_cursor) if self.next_cursor else "",
        }


def _encode(values: list) -> str:
    plain = [value.isoformat() if hasattr(value, "isoformat") else value for value in values]
    return base64.urlsafe_b64encode(json.dumps(plain).encode()).decode().rstrip("=")


def _decode(cursor: str, fields: list[models.Field]) -> list | None:
    """The cursor's values as the fields' Python values; None if it is not one of ours."""
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(values, list) or len(values) != len(fields):
            return None
        return [field.to_python(value) for field, value in zip(fields, values, strict=True)]
    except Exception:  # a mangled or forged cursor: whatever fails to decode gives the first page
        return None


def cursor_for(obj: models.Model, ordering: list[str]) -> str:
    """The cursor of a row, for a link that starts a list just after it."""
    return _encode([getattr(obj, obj._meta.get_field(name.lstrip("-")).attname) for name in ordering])


def decode_cursor(cursor: str, model: type[models.Model], ordering: list[str]) -> list | None:
    """The values a cursor_for() cursor holds, or None if it is not one of ours."""
    return _decode(cursor, [model._meta.get_field(name.lstrip("-")) for name in ordering])


def keyset_page(
    queryset: models.QuerySet, *, ordering: list[str], size: int, after: str = "", before: str = ""
) -> KeysetPage:
    """One page of the queryset in `ordering` (field names, all ascending or all "-" descending, ending with
    a unique one), starting after the `after` cursor or ending before the `before` one. A cursor that is
    not one of ours gives the first page."""
    descending = ordering[0].startswith("-")
    if any(name.startswith("-") != descending for name in ordering):
        raise ValueError("A keyset ordering runs one way: all ascending or all descending.")
    names = [name.lstrip("-") for name in ordering]
    fields = [queryset.model._meta.get_field(name) for name in names]
    key = Row(*[F(name) for name in names])
    backwards = bool(before) and _decode(before, fields) is not None
    cursor_values = _decode(before if backwards else after, fields) if (before or after) else None

    qs = queryset
    if cursor_values is not None:
        bound = Row(*[Value(v) for v in cursor_values])
        going_down = descending != backwards
        qs = qs.filter((LessThan if going_down else GreaterThan)(key, bound))
    order = [f"-{name}" if (descending != backwards) else name for name in names]
    rows = list(qs.order_by(*order)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()

    def cursor_of(obj) -> str:
        return _encode([getattr(obj, field.attname) for field in fields])

    has_next = (more if not backwards else True) and bool(rows)
    has_previous = (cursor_values is not None if not backwards else more) and bool(rows)
    return KeysetPage(rows, cursor_of(rows[-1]) if has_next else "", cursor_of(rows[0]) if has_previous else "")
