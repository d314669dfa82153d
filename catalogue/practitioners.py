"""Who is told, for a referral, that a provider has been sourced and its purchase order issued.

The person's allocated practitioner, unless the referral's service type says otherwise: reablement's worker is
named on its reablement case ("copying in the reablement worker", the Haringey procedure), which brokerage and
purchase_orders may not import (it is floors above them). So a service-type app registers here, from its ready(),
how to find the practitioner for a referral of its types.
"""

from collections.abc import Callable
from typing import Any

_lookups: dict[str, Callable[[Any], Any]] = {}


def register_practitioner_told(codes, lookup: Callable[[Any], Any]) -> None:
    """lookup(referral) -> the user to tell, or None to tell the person's allocated practitioner."""
    for code in codes:
        _lookups[str(code)] = lookup


def practitioner_told(referral):
    """The practitioner told about the referral's provider and purchase order."""
    lookup = _lookups.get(str(referral.service_type_id))
    found = lookup(referral) if lookup is not None else None
    return found if found is not None else referral.person.allocated_worker
