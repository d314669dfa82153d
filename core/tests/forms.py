"""For tests that post a form directly: the one-time token the form page would have given, and a date as
the GOV.UK date input sends it."""

import uuid
from datetime import date


def fresh_token() -> dict[str, str]:
    return {"form_token": str(uuid.uuid4())}


def date_fields(name: str, value: date) -> dict[str, str]:
    """`value` typed into the Day, Month and Year boxes of the date input for field `name`."""
    return {f"{name}_day": str(value.day), f"{name}_month": str(value.month), f"{name}_year": str(value.year)}
