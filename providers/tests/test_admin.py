"""Providers are reference data: a superuser edits them in the admin, and every change is audited."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from providers.models import Provider, ProviderService

from .factories import ProviderFactory, ProviderServiceFactory


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@riverside.example.gov.uk", "a-long-password-1")


def inline(total=0, initial=0, **rows):
    return {
        "services-TOTAL_FORMS": str(total),
        "services-INITIAL_FORMS": str(initial),
        "services-MIN_NUM_FORMS": "0",
        "services-MAX_NUM_FORMS": "1000",
        **rows,
    }


PROVIDER = {
    "name": "Docklands Care",
    "cqc_rating": "good",
    "description": "",
    "cqc_registration_number": "",
    "contact_name": "",
    "email": "",
    "phone": "",
    "website": "",
    "address": "",
    "postcode": "",
    "open_referral_id": "",
    "active": "on",
}


def test_adding_a_provider_with_a_service_is_audited(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:providers_provider_add"),
        PROVIDER
        | inline(
            1,
            **{
                "services-0-service_type": "home_care",
                "services-0-districts": "E1,E3",
                "services-0-specialisms": "",
                "services-0-languages": "",
                "services-0-weekly_hours_capacity": "30",
            },
        ),
    )
    assert response.status_code == 302
    service = ProviderService.objects.get()
    assert service.districts == ["E1", "E3"]
    assert AuditEvent.objects.filter(actor=admin_user, action="created", object_id=str(service.provider_id)).exists()
    assert AuditEvent.objects.filter(
        actor=admin_user, summary="Admin: added provider service", object_id=str(service.pk)
    ).exists()


def test_changing_and_deleting_a_service_is_audited(client, admin_user):
    service = ProviderServiceFactory(weekly_hours_capacity=10)
    provider = service.provider
    client.force_login(admin_user)
    row = {
        "services-0-id": str(service.pk),
        "services-0-provider": str(provider.pk),
        "services-0-service_type": "home_care",
        "services-0-districts": "E1",
        "services-0-specialisms": "",
        "services-0-languages": "",
        "services-0-weekly_hours_capacity": "25",
    }
    data = PROVIDER | {"name": provider.name, "email": provider.email}
    assert (
        client.post(
            reverse("admin:providers_provider_change", args=[provider.pk]), data | inline(1, 1, **row)
        ).status_code
        == 302
    )
    changed = AuditEvent.objects.get(object_id=str(service.pk), summary="Admin: saved provider service")
    assert changed.changes["weekly_hours_capacity"] == [10, 25]

    assert (
        client.post(
            reverse("admin:providers_provider_change", args=[provider.pk]),
            data | inline(1, 1, **row, **{"services-0-DELETE": "on"}),
        ).status_code
        == 302
    )
    assert not ProviderService.objects.exists()
    assert AuditEvent.objects.filter(object_id=str(service.pk), summary="Admin: deleted provider service").exists()


def test_finance_officer_has_no_permission_on_providers(client, finance_officer):
    provider = ProviderFactory()
    client.force_login(finance_officer)
    assert client.get(reverse("admin:providers_provider_change", args=[provider.pk])).status_code == 403
    assert Provider.objects.count() == 1


# Taxonomy mappings: what a directory's terms mean to us ------------------------------------------
MAPPING = {"taxonomy": "Client group", "term": "People living with dementia", "service_type": "", "specialism": ""}


def test_admin_staff_map_a_term_to_a_specialism_and_it_is_audited(client, admin_user):
    from providers.models import TaxonomyMapping

    client.force_login(admin_user)
    response = client.post(reverse("admin:providers_taxonomymapping_add"), {**MAPPING, "specialism": "dementia"})
    assert response.status_code == 302
    mapping = TaxonomyMapping.objects.get()
    assert (mapping.specialism, mapping.meaning) == ("dementia", "specialism: Dementia")
    assert AuditEvent.objects.filter(object_id=str(mapping.pk), summary="Admin: saved taxonomy mapping").exists()


@pytest.mark.parametrize(
    "meaning",
    [
        {},  # nothing
        {"service_type": "home_care", "specialism": "dementia"},  # two things
        {"specialism": "dementia", "ignored": "on"},  # a meaning, and not used
    ],
)
def test_a_mapping_means_exactly_one_thing(client, admin_user, meaning):
    from providers.models import TaxonomyMapping

    client.force_login(admin_user)
    response = client.post(reverse("admin:providers_taxonomymapping_add"), {**MAPPING, **meaning})
    assert response.status_code == 200
    assert "Choose one: a service type, a specialism, or not used by Brokerage." in response.content.decode()
    assert not TaxonomyMapping.objects.exists()


def test_a_term_is_mapped_once_whatever_its_case(client, admin_user):
    from providers.models import TaxonomyMapping

    TaxonomyMapping.objects.create(taxonomy="Client group", term="people living with dementia", ignored=True)
    client.force_login(admin_user)
    response = client.post(reverse("admin:providers_taxonomymapping_add"), {**MAPPING, "specialism": "dementia"})
    assert response.status_code == 200 and TaxonomyMapping.objects.count() == 1
