"""Directory and import pages: who may see them, and what bad input gets."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from people.models import Specialism
from providers.forms import MAX_UPLOAD_BYTES
from providers.models import Provider, ProviderService

from .conftest import data_file
from .factories import ProviderFactory, ProviderServiceFactory

DIRECTORY_STAFF = ["officer_east", "lead_east", "dps_team", "contract_monitoring", "finance_officer"]
NOT_DIRECTORY_STAFF = [
    "social_worker",
    "spa_worker",
    "provider_user",
    "cap_member",
    "head_of_service",
    "review_team",
    "first_response",
    "monitoring_officer",
]


@pytest.fixture
def provider(db, home_care_dps):
    provider = ProviderFactory(
        name="Eastside Homecare", cqc_registration_number="1-2345678901", contact_name="Rahima Begum"
    )
    ProviderServiceFactory(
        provider=provider,
        arrangement=home_care_dps,
        districts=["E1", "E3"],
        specialisms=[Specialism.DEMENTIA],
        languages=["Bengali"],
        weekly_hours_capacity=45,
    )
    ProviderServiceFactory(provider=provider, service_type="escort", districts=["E3"], weekly_hours_capacity=None)
    return provider


def get(client, user, url):
    client.force_login(user)
    return client.get(url)


def upload(client, user, content: bytes, name="directory.json"):
    client.force_login(user)
    return client.post(
        reverse("providers:import"), {"directory": SimpleUploadedFile(name, content, "application/json")}
    )


# Who sees what


@pytest.mark.parametrize("role", DIRECTORY_STAFF)
def test_council_staff_who_work_with_providers_see_the_directory(request, client, provider, role):
    user = request.getfixturevalue(role)
    assert get(client, user, reverse("providers:list")).status_code == 200
    assert get(client, user, reverse("providers:detail", args=[provider.pk])).status_code == 200


@pytest.mark.parametrize("role", NOT_DIRECTORY_STAFF)
def test_others_are_refused_the_directory_with_a_reason(request, client, provider, role):
    user = request.getfixturevalue(role)
    for url in [reverse("providers:list"), reverse("providers:detail", args=[provider.pk])]:
        response = get(client, user, url)
        assert response.status_code == 403
        assert (
            "Only Brokerage, the DPS team, contract monitoring and finance can see the provider directory"
            in response.content.decode()
        )


def test_a_provider_user_cannot_see_even_their_own_provider(client, provider_user):
    response = get(client, provider_user, reverse("providers:detail", args=[provider_user.provider_id]))
    assert response.status_code == 403


def test_an_unknown_provider_is_not_found(client, officer_east):
    assert get(client, officer_east, reverse("providers:detail", args=[999999])).status_code == 404


def test_signed_out_users_are_sent_to_sign_in(client, provider):
    response = client.get(reverse("providers:list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize("role", [r for r in DIRECTORY_STAFF + NOT_DIRECTORY_STAFF if r != "dps_team"])
def test_only_the_dps_team_may_open_the_import(request, client, role, home_care_dps):
    user = request.getfixturevalue(role)
    assert get(client, user, reverse("providers:import")).status_code == 403
    client.force_login(user)
    response = client.post(
        reverse("providers:import"), {"directory": SimpleUploadedFile("d.json", data_file("valid_directory.json"))}
    )
    assert response.status_code == 403
    assert not ProviderService.objects.exists()


# The directory pages


def test_directory_lists_and_searches(client, officer_east, provider):
    ProviderFactory(name="Westside Care")
    page = get(client, officer_east, reverse("providers:list")).content.decode()
    assert "Eastside Homecare" in page and "Westside Care" in page and "(off framework)" in page
    page = get(client, officer_east, reverse("providers:list") + "?district=e3").content.decode()
    assert "Eastside Homecare" in page and "Westside Care" not in page
    page = get(client, officer_east, reverse("providers:list") + "?q=westside").content.decode()
    assert "Eastside Homecare" not in page and "Westside Care" in page


def test_a_bad_district_is_explained(client, officer_east, provider):
    response = get(client, officer_east, reverse("providers:list") + "?district=nowhere")
    assert response.status_code == 400
    assert "Enter a postcode district, like E1 or W2" in response.content.decode()


def test_directory_is_paginated(client, officer_east, db):
    for n in range(30):
        ProviderFactory(name=f"Provider {n:02d}")
    first = get(client, officer_east, reverse("providers:list")).content.decode()
    second = get(client, officer_east, reverse("providers:list") + "?page=2").content.decode()
    assert "Provider 00" in first and "Provider 29" not in first
    assert "Provider 29" in second and "Page 2 of 2" in second


def test_detail_shows_registration_contacts_and_each_service(client, officer_east, provider, home_care_dps):
    page = get(client, officer_east, reverse("providers:detail", args=[provider.pk])).content.decode()
    for text in [
        "1-2345678901",
        "Good",
        "Rahima Begum",
        provider.email,
        "Home care DPS 2023 to 2027",
        "Off framework (spot contracts only)",
        "E1, E3",
        "Dementia",
        "Bengali",
        "45 hours a week",
    ]:
        assert text in page, text


def test_only_the_dps_team_is_offered_the_import(client, officer_east, dps_team, db):
    assert reverse("providers:import") not in get(client, officer_east, reverse("providers:list")).content.decode()
    assert reverse("providers:import") in get(client, dps_team, reverse("providers:list")).content.decode()


# Import


def test_a_good_file_is_imported_with_a_summary(client, dps_team, home_care_dps):
    response = upload(client, dps_team, data_file("valid_directory.json"), "east.json")
    assert response.status_code == 302 and response["Location"] == reverse("providers:list")
    page = client.get(response["Location"]).content.decode()
    assert "Imported 2 providers: 2 new, 0 updated, 0 unchanged. From east.json." in page
    assert Provider.objects.count() == 2
    assert AuditEvent.objects.filter(actor=dps_team).count() == 5


def test_a_file_with_bad_records_lists_every_one_and_imports_nothing(client, dps_team, home_care_dps):
    response = upload(client, dps_team, data_file("invalid_missing_required.json"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in page
    assert "2 of 2 records in the file have problems. Nothing has been imported" in page
    assert "Bow and Poplar Companions" in page
    assert "services[1]: &#x27;status&#x27; is a required property" in page
    assert "&#x27;name&#x27; is a required property" in page
    assert not Provider.objects.exists()


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("providers.csv", b"name,district\nEastside,E1\n", "The selected file must be a JSON file (.json)"),
        ("directory.json", b"", "The selected file is empty"),
        ("directory.json", b"{oops", "The file is not valid JSON"),
        ("directory.json", b"[]", "The file has no organizations or services in it."),
        ("directory.json", b"[" + b" " * MAX_UPLOAD_BYTES + b"]", "The selected file must be smaller than 5 MB"),
    ],
)
def test_bad_uploads_are_refused_with_a_clear_message(client, dps_team, home_care_dps, name, content, message):
    response = upload(client, dps_team, content, name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "govuk-file-upload--error" in response.content.decode()
    assert not Provider.objects.exists()


def test_no_file_is_refused(client, dps_team):
    client.force_login(dps_team)
    response = client.post(reverse("providers:import"), {})
    assert response.status_code == 400
    assert "Select an Open Referral UK JSON file to import" in response.content.decode()


def test_the_import_page_has_a_file_upload(client, dps_team):
    page = get(client, dps_team, reverse("providers:import")).content.decode()
    assert 'type="file"' in page and 'enctype="multipart/form-data"' in page and "govuk-file-upload" in page
