"""Reads of the provider directory."""

import re

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from .models import Provider, ProviderService


def providers_directory(*, search: str = "", district: str = "", service_type: str = "") -> QuerySet[Provider]:
    """Providers by name, with those offering a service type or covering a district when asked.

    `search` matches a name, a postcode district (like E1) or a service type's label.
    """
    services = ProviderService.objects.all()
    providers = Provider.objects.all()
    if search:
        term = search.strip()
        matching = Q(name__icontains=term)
        if re.fullmatch(r"[A-Za-z]{1,2}[0-9][0-9A-Za-z]?", term):
            matching |= Exists(services.filter(provider=OuterRef("pk"), districts__contains=[term.upper()]))
        matching |= Exists(services.filter(provider=OuterRef("pk"), service_type__name__icontains=term))
        providers = providers.filter(matching)
    if district:
        providers = providers.filter(
            Exists(services.filter(provider=OuterRef("pk"), districts__contains=[district.strip().upper()]))
        )
    if service_type:
        providers = providers.filter(Exists(services.filter(provider=OuterRef("pk"), service_type=service_type)))
    return providers.prefetch_related(
        Prefetch(
            "services",
            queryset=ProviderService.objects.select_related("arrangement", "service_type").order_by(
                "service_type__position"
            ),
        )
    ).order_by("name", "pk")


def provider_profile(provider_id: int) -> Provider | None:
    return (
        Provider.objects.filter(pk=provider_id)
        .prefetch_related(Prefetch("services", queryset=ProviderService.objects.select_related("arrangement")))
        .first()
    )


def in_house_providers(service_type: str) -> QuerySet[Provider]:
    """The council's own active services of this type (an in-house day centre, say), by name."""
    return Provider.objects.filter(
        active=True,
        in_house=True,
        pk__in=ProviderService.objects.filter(service_type=service_type).values("provider_id"),
    ).order_by("name", "pk")


def is_in_house(provider, service_type: str) -> bool:
    """Is this provider one of the council's own active services of this type?"""
    return in_house_providers(service_type).filter(pk=provider.pk).exists()
