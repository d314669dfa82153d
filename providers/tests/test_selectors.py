"""Searching the provider directory."""

from catalogue.codes import ServiceCode
from providers.selectors import providers_directory

from .factories import ProviderFactory, ProviderServiceFactory


def offer(name, *, arrangement=None, **service):
    return ProviderServiceFactory(provider=ProviderFactory(name=name), arrangement=arrangement, **service)


def test_directory_finds_providers_by_name_district_or_service(db, home_care_dps):
    offer("Eastside Care", arrangement=home_care_dps, districts=["E1", "E3"])
    offer("Westside Care", arrangement=home_care_dps, districts=["W2"])
    offer("Riverside Reablement", service_type=ServiceCode.REABLEMENT, districts=["E3", "W2"])

    def found(**filters):
        return [p.name for p in providers_directory(**filters)]

    assert found() == ["Eastside Care", "Riverside Reablement", "Westside Care"]
    assert found(search="eastside") == ["Eastside Care"]
    assert found(search="w2") == ["Riverside Reablement", "Westside Care"]
    assert found(search="reablement") == ["Riverside Reablement"]
    assert found(search="home care") == ["Eastside Care", "Westside Care"]
    assert found(district="e3") == ["Eastside Care", "Riverside Reablement"]
    assert found(district="E3", service_type=ServiceCode.HOME_CARE) == ["Eastside Care"]


def test_directory_list_takes_two_queries_whatever_its_length(db, home_care_dps, django_assert_num_queries):
    for n in range(6):
        offer(f"Provider {n}", arrangement=home_care_dps)
    with django_assert_num_queries(2):
        rows = [
            (p.name, [(s.service_type.name, s.arrangement) for s in p.services.all()])
            for p in providers_directory(search="Provider")
        ]
    assert len(rows) == 6
