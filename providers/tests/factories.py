import factory

from catalogue.codes import ServiceCode
from providers.models import Provider, ProviderService


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    name = factory.Sequence(lambda n: f"Care Provider {n} Ltd")
    cqc_rating = Provider.CQCRating.GOOD
    email = factory.Sequence(lambda n: f"office{n}@provider.example.com")


class ProviderServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderService

    provider = factory.SubFactory(ProviderFactory)
    service_type_id = ServiceCode.HOME_CARE
    districts = factory.LazyFunction(lambda: ["E1"])
    specialisms = factory.LazyFunction(list)
    weekly_hours_capacity = 40

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        if isinstance(kwargs.get("service_type"), str):  # a test may name the service by its code
            kwargs["service_type_id"] = kwargs.pop("service_type")
        return kwargs
