from django.db.models import QuerySet

from .codes import NOT_BROKERED, REFERRAL_ONLY_SERVICES
from .models import ServiceType, Team


def offered_service_types(*, referral_only: bool = True, not_brokered: bool = False) -> QuerySet[ServiceType]:
    """What a plan or referral may ask for: the services offered now, those Brokerage arranges and, if asked,
    those it only records (referral only) and those it turns away, saying where to go instead."""
    services = ServiceType.objects.filter(offered=True)
    if not referral_only:
        services = services.exclude(code__in=REFERRAL_ONLY_SERVICES)
    return services if not_brokered else services.exclude(code__in=NOT_BROKERED)


def brokered_service_types() -> QuerySet[ServiceType]:
    """Every service Brokerage arranges, offered now or not: for filters over work already done."""
    return ServiceType.objects.exclude(code__in=NOT_BROKERED)


def teams() -> QuerySet[Team]:
    return Team.objects.all()


def service_type_choices(blank: str) -> list[tuple[str, str]]:
    """Every service Brokerage arranges, by the name admin staff give it, after a first choice meaning none: for
    filters over work already done and for arrangements, which may outlive a service's being offered."""
    return [("", blank), *brokered_service_types().values_list("code", "name")]
