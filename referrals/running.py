"""The running service a change referral changes (SPEC §4 "Changes to an active service").

`referrals` sits below `packages` and may not import it, so `packages` registers, from its ready(), how to find the
package a change names; the referral keeps the package's plain id (`Referral.care_package_id`), as a purchase order
does.
"""

from collections.abc import Callable

# finder(person, service_type_id, change) -> the package's id, or raises ActionRefused saying why there is none to
# change: no package of that service, one not running, or one that cannot take this kind of change now.
_finder: Callable[..., int] | None = None


def register_package_finder(finder: Callable[..., int]) -> None:
    global _finder
    _finder = finder


def package_to_change(person, service_type_id: str, change: str) -> int:
    """The id of the running package of `service_type_id` that a change of kind `change` names."""
    if _finder is None:  # packages is an installed app: its ready() registers the finder
        raise LookupError("No app finds running packages: is packages installed?")
    return _finder(person, service_type_id, change)
