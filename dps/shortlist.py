"""The shortlist for a referral (SPEC §6): the providers that could take its package, best match first.

Sourcing is dps's work: the shortlist is who may be invited to bid on a requirement for the referral, and
off the framework, who could take a spot contract instead.
"""

from dataclasses import dataclass
from functools import cache

from django.db.models import QuerySet
from django.utils import timezone

from people.languages import language_code, language_name
from people.models import Specialism
from providers.models import CQC_RANK, Provider, ProviderService

from .selectors import open_arrangements_for


@dataclass
class ShortlistEntry:
    """A provider service that could take the package, and why it ranks where it does."""

    provider_service: ProviderService
    provider: Provider
    matched_specialisms: list[Specialism]
    missing_specialisms: list[Specialism]
    reasons: list[str]
    rank: int
    speaks_language: bool = False


def _needs(referral) -> tuple[str, list[Specialism], str]:
    plan = referral.plan
    required = [Specialism(s) for s in (plan.required_specialisms if plan else [])]
    return referral.person.postcode_district, required, (plan.preferred_language if plan else "")


def _covering(referral, district: str) -> QuerySet[ProviderService]:
    return ProviderService.objects.filter(
        service_type_id=referral.service_type_id, provider__active=True, districts__contains=[district]
    )


# What ranking needs of each provider covering the district, read as plain values: a county has hundreds
# per district, and only the best few are shown.
RANK_FIELDS = ("id", "specialisms", "languages", "weekly_hours_capacity", "provider__name", "provider__cqc_rating")
_language_code = cache(language_code)  # the same few names, for every provider


@dataclass(frozen=True)
class Ranking:
    """The best `entries` of `total` providers ranked."""

    entries: list[ShortlistEntry]
    total: int


def _ranked(services, *, district: str, required: list[Specialism], language: str, extra_reason, best) -> Ranking:
    def speaks(languages) -> bool:
        # A provider's languages come from its feed as names or ISO codes; the plan's is an ISO 639-3 code.
        return bool(language) and any(_language_code(lang) == language for lang in languages)

    def order(row):
        pk, specialisms, languages, capacity, name, rating = row
        offered = set(specialisms)
        matched = sum(1 for s in required if s in offered)
        return (
            matched < len(required),  # all the skills the plan needs first
            -matched,
            not speaks(languages),
            CQC_RANK.get(rating, len(CQC_RANK)),
            capacity is None,
            -(capacity or 0),
            name.casefold(),
            pk,
        )

    rows = sorted(services.values_list(*RANK_FIELDS), key=order)
    shown = [row[0] for row in rows[:best]]
    by_id = (
        ProviderService.objects.filter(pk__in=shown)
        .select_related("provider", "arrangement")
        .only(
            "id",
            "service_type",
            "specialisms",
            "languages",
            "weekly_hours_capacity",
            "provider__id",
            "provider__name",
            "provider__cqc_rating",
            "arrangement__id",
            "arrangement__name",
            "arrangement__starts_on",
            "arrangement__expires_on",
        )
        .in_bulk()
    )
    entries = []
    for rank, pk in enumerate(shown, start=1):
        service = by_id[pk]
        offered = set(service.specialisms)
        matched = [s for s in required if s in offered]
        missing = [s for s in required if s not in offered]
        spoken = speaks(service.languages)
        reasons = [f"Covers {district}"]
        reasons += [f"Has {s.label.lower()}" for s in matched]
        reasons += [f"Missing: {s.label.lower()}" for s in missing]
        if language:
            reasons.append(
                f"Speaks {language_name(language)}" if spoken else f"Does not list {language_name(language)}"
            )
        reasons.append(f"CQC: {service.provider.get_cqc_rating_display()}")
        capacity = service.weekly_hours_capacity
        reasons.append(f"Capacity {capacity} hours a week" if capacity is not None else "Capacity not known")
        reasons += extra_reason(service)
        entries.append(
            ShortlistEntry(service, service.provider, matched, missing, reasons, rank=rank, speaks_language=spoken)
        )
    return Ranking(entries, total=len(rows))


def shortlist_for(referral, *, best: int | None = None) -> Ranking:
    """Providers that could take the referral's package through a mini-competition: the `best` of them
    (all when None), best first, and how many there are.

    Each covers the person's postcode district for the referral's service type, is active, and is
    enrolled on an arrangement for that service type that is open today. Ranked by the plan's
    required specialisms they have (any missing: after all that have every one), then the plan's
    language, then CQC rating, then spare capacity, then name. Two queries, whatever the number:
    every provider's ranking values, then the shown providers.
    """
    district, required, language = _needs(referral)
    services = _covering(referral, district).filter(arrangement__in=open_arrangements_for(referral.service_type_id))
    return _ranked(
        services, district=district, required=required, language=language, extra_reason=lambda _: [], best=best
    )


def off_framework_for(referral, *, best: int | None = None) -> Ranking:
    """Providers covering the district for the service but on no open arrangement for it: spot contract only.

    Ranked as the shortlist is. Using one means recording why, and the DPS team is told (SPEC §4).
    """
    district, required, language = _needs(referral)
    today = timezone.localdate()
    services = _covering(referral, district).exclude(arrangement__in=open_arrangements_for(referral.service_type_id))

    def why(service: ProviderService) -> list[str]:
        arrangement = service.arrangement
        if arrangement is None:
            return ["Not on a purchasing arrangement"]
        if arrangement.expires_on and arrangement.expires_on < today:
            return [f"{arrangement.name} expired on {arrangement.expires_on:%-d %B %Y}"]
        if arrangement.starts_on > today:
            return [f"{arrangement.name} starts on {arrangement.starts_on:%-d %B %Y}"]
        return [f"{arrangement.name} is not for this service"]

    return _ranked(services, district=district, required=required, language=language, extra_reason=why, best=best)
