from .codes import NOT_BROKERED, ServiceCode


def ensure_service_types(*, using="default", **kwargs) -> None:
    """Make a row for each service type the code knows, leaving alone rows admin staff have edited.

    Runs after every migrate and after each flush a transactional test makes (both send post_migrate),
    so a database never lacks a service type the code can refer to.
    """
    from .models import ServiceType

    existing = set(ServiceType.objects.using(using).values_list("code", flat=True))
    ServiceType.objects.using(using).bulk_create(
        ServiceType(code=code, name=label, refusal=NOT_BROKERED.get(code, ""), position=position)
        for position, (code, label) in enumerate(ServiceCode.choices, start=1)
        if code not in existing
    )
