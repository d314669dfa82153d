"""Open Referral UK feeds as councils publish them (built from ORUK's own examples: feeds.py), in both shapes:
a `/services` page with each service's organization nested, and organizations with their services nested."""

import json

import pytest
from jsonschema import Draft202012Validator

from audit.models import AuditEvent
from providers.importers import record_validator
from providers.models import Provider, ProviderService, TaxonomyMapping
from providers.services import import_provider_directory

from .feeds import (
    ACCESSIBILITY,
    COUNCIL_NEEDS,
    COUNCIL_SERVICES,
    NEED_TERMS,
    SERVICE_TERMS,
    Offer,
    forty_offers,
    organizations,
    service_record,
    services_page,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mappings(db):
    """The council's service terms mapped by code in their own taxonomy; its client groups by label, in any."""
    for service_type, (code, _) in SERVICE_TERMS.items():
        TaxonomyMapping.objects.create(taxonomy=COUNCIL_SERVICES, term=code, service_type_id=service_type)
    for specialism, (_, label) in NEED_TERMS.items():
        TaxonomyMapping.objects.create(term=label.upper(), specialism=specialism)  # matched whatever the case


def feed(document) -> bytes:
    return json.dumps(document).encode()


def imported() -> dict[tuple[str, str], dict]:
    """What was saved, by (organization id, service type), field by field."""
    return {
        (s.provider.open_referral_id, s.service_type_id): {
            "provider": s.provider.name,
            "cqc": s.provider.cqc_registration_number,
            "districts": sorted(s.districts),
            "specialisms": sorted(s.specialisms),
            "languages": s.languages,
        }
        for s in ProviderService.objects.select_related("provider")
    }


def expected(offers: list[Offer]) -> dict[tuple[str, str], dict]:
    return {
        (o.organization_id, o.service_type): {
            "provider": o.organization_name,
            "cqc": f"1-{1000000000 + o.organization}",
            "districts": sorted(set(o.districts) | ({"E1"} if o.postcode.startswith("E1 ") else set())),
            "specialisms": sorted(o.needs),
            "languages": o.languages,
        }
        for o in offers
    }


def test_the_feeds_are_valid_open_referral_uk():
    """Both shapes pass the UK profile's own schemas: service_list.json with service.json, organization.json."""
    offers = forty_offers()
    page = services_page(offers)
    assert len(page["contents"]) == 40
    assert not list(record_validator("service", "page").iter_errors(page["contents"][0]))
    for service in page["contents"]:
        assert not list(record_validator("service", "page").iter_errors(service))
    for organization in organizations(offers):
        assert not list(record_validator("organization", "array").iter_errors(organization))
    assert not list(Draft202012Validator({"type": "object", "required": ["contents"]}).iter_errors(page))


def test_a_services_page_imports_every_provider_and_service(dps_team, mappings):
    offers = forty_offers()
    result = import_provider_directory(feed(services_page(offers)), acting_user=dps_team)
    assert result.imported, result.reading.report_lines()
    assert (result.reading.kind, result.reading.shape) == ("service", "page")
    assert (result.created, Provider.objects.count(), ProviderService.objects.count()) == (16, 16, 40)
    assert imported() == expected(offers)
    assert not result.reading.notes
    assert AuditEvent.objects.filter(summary__startswith="Imported from an Open Referral UK directory").exists()


def test_organizations_with_nested_services_import_the_same(dps_team, mappings):
    offers = forty_offers()
    result = import_provider_directory(feed(organizations(offers)), acting_user=dps_team)
    assert result.imported, result.reading.report_lines()
    assert (result.reading.kind, result.created) == ("organization", 16)
    assert imported() == expected(offers)


def test_importing_the_same_page_again_changes_nothing(dps_team, mappings):
    page = feed(services_page(forty_offers()))
    import_provider_directory(page, acting_user=dps_team)
    again = import_provider_directory(page, acting_user=dps_team)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 16)


def test_a_single_service_file_is_one_provider(dps_team, mappings):
    offer = Offer(organization=7, service_type="residential", districts=["W2"], needs=["dementia"])
    result = import_provider_directory(feed(service_record(offer)), acting_user=dps_team)
    assert result.imported, result.reading.report_lines()
    assert (result.reading.kind, result.reading.shape) == ("service", "one")
    assert imported() == expected([offer])


def test_terms_with_no_mapping_are_reported_by_record_and_the_rest_imported(dps_team, mappings):
    offers = forty_offers()
    offers[3].extra_terms = [(ACCESSIBILITY, "WHEELCHAIR", "Wheelchair accessible")]
    offers[12].extra_terms = [(COUNCIL_NEEDS, "CG-MH", "Mental health support")]
    result = import_provider_directory(feed(services_page(offers)), acting_user=dps_team)
    assert result.imported
    notes = {note.location: note.errors for note in result.reading.notes}
    assert set(notes) == {"contents[3]", "contents[12]"}
    at = len(offers[3].needs) + 1  # after the service's own term and its needs
    assert notes["contents[3]"] == [
        f"attributes[{at}].taxonomy_term.term: 'Wheelchair accessible' (WHEELCHAIR) in taxonomy 'Accessibility' "
        "has no mapping, so it was not used: add one in Django admin (Providers › Taxonomy mappings) to read it "
        "as a service type, a specialism, or nothing we use"
    ]
    assert "'Mental health support' (CG-MH) in taxonomy 'Client group' has no mapping" in notes["contents[12]"][0]
    assert imported() == expected(offers)  # the unmapped terms added nothing
    report = "\n".join(result.reading.report_lines())
    assert "2 records use taxonomy terms that have no mapping:" in report


def test_a_term_mapped_as_not_used_is_not_reported(dps_team, mappings):
    TaxonomyMapping.objects.create(taxonomy=ACCESSIBILITY, term="Wheelchair accessible", ignored=True)
    offers = forty_offers()
    offers[3].extra_terms = [(ACCESSIBILITY, "WHEELCHAIR", "Wheelchair accessible")]
    result = import_provider_directory(feed(services_page(offers)), acting_user=dps_team)
    assert result.imported and not result.reading.notes


def test_a_service_whose_only_service_term_is_unmapped_cannot_be_imported(dps_team, mappings):
    TaxonomyMapping.objects.filter(service_type="reablement").delete()
    offers = forty_offers()
    result = import_provider_directory(feed(services_page(offers)), acting_user=dps_team)
    assert not result.imported and not Provider.objects.exists()
    reablement = {f"contents[{i}]" for i, o in enumerate(offers) if o.service_type == "reablement"}
    assert {p.location for p in result.reading.problems} == reablement
    problem = result.reading.problems[0]
    assert problem.errors == [
        "no service type for 'Reablement at home': add an attribute in taxonomy "
        "'riverside-brokerage-service-type' whose term is one of ours, like 'home_care', or map one of its "
        "taxonomy terms to a service type in Django admin (Providers › Taxonomy mappings)"
    ]
    assert {p.location for p in result.reading.notes} == reablement  # and the term itself is named


def test_a_feed_with_faulty_records_imports_nothing_and_names_each_with_the_schemas_reason(dps_team, mappings):
    page = services_page(forty_offers())
    contents = page["contents"]
    contents[4]["status"] = "closed"
    contents[4]["email"] = "not an email"
    contents[17]["id"] = "service-17"
    del contents[17]["name"]
    contents[29]["service_areas"][0]["id"] = 29
    result = import_provider_directory(feed(page), acting_user=dps_team)
    assert not result.imported and not Provider.objects.exists()
    problems = {p.location: p.errors for p in result.reading.problems}
    assert set(problems) == {"contents[4]", "contents[17]", "contents[29]"}  # not all 40
    assert problems["contents[4]"] == [
        "email: 'not an email' is not a 'email'",
        "status: 'closed' is not one of ['active', 'inactive', 'defunct', 'temporarily closed']",
    ]
    assert problems["contents[17]"] == ["'name' is a required property", "id: 'service-17' is not a 'uuid'"]
    assert problems["contents[29]"] == ["service_areas[0].id: 29 is not of type 'string'"]
    report = "\n".join(result.reading.report_lines())
    assert "3 of 40 records cannot be imported:" in report
    assert "Record contents[17] (id service-17):" in report


def test_a_service_without_its_organization_is_refused(dps_team, mappings):
    offers = forty_offers()[:2]
    page = services_page(offers)
    del page["contents"][1]["organization"]
    result = import_provider_directory(feed(page), acting_user=dps_team)
    assert not result.imported
    assert [(p.location, p.errors) for p in result.reading.problems] == [
        (
            "contents[1]",
            [
                "organization: the service has no organization: give the organization that provides it, with its "
                "id, name and description"
            ],
        )
    ]


def test_two_records_of_one_organization_offering_the_same_service_type_are_refused(dps_team, mappings):
    offers = [Offer(organization=1, service_type="home_care", districts=["E1"])] * 2
    page = services_page(offers)
    page["contents"][1]["id"] = "11111111-2222-4333-8444-555555555555"
    result = import_provider_directory(feed(page), acting_user=dps_team)
    assert not result.imported
    assert [(p.location, p.errors) for p in result.reading.problems] == [
        (
            "contents[1]",
            ["a second domiciliary care (home care) service (contents[0] is one): list each service type once"],
        )
    ]


def test_an_organizations_bad_cqc_rating_is_reported_at_its_first_service(dps_team, mappings):
    offers = forty_offers()[:3]
    page = services_page(offers)
    page["contents"][0]["organization"]["attributes"] = [
        {
            "id": "7e1b2c64-6d1a-4f0f-9e55-0f3c7d6f1a11",
            "taxonomy_term": {
                "id": "0b7f3c52-9a61-4f7e-8d2a-6c1e5b4a3d21",
                "name": "Brilliant",
                "description": "A rating CQC does not give",
                "taxonomy": "cqc-rating",
                "term": "Brilliant",
            },
        }
    ]
    result = import_provider_directory(feed(page), acting_user=dps_team)
    assert not result.imported
    assert [(p.location, p.errors) for p in result.reading.problems] == [
        (
            "contents[0]",
            [
                "organization.attributes[0].taxonomy_term.term: 'Brilliant' is not a CQC rating (use Outstanding, "
                "Good, Requires improvement, Inadequate or Not yet rated)"
            ],
        )
    ]


def upload(client, user, document):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(user)
    file = SimpleUploadedFile("services.json", feed(document), "application/json")
    return client.post(reverse("providers:import"), {"directory": file})


def test_the_import_page_lists_the_terms_it_did_not_use(client, dps_team, mappings):
    offers = forty_offers()
    offers[5].extra_terms = [(ACCESSIBILITY, "HEARING-LOOP", "Hearing loop")]
    response = upload(client, dps_team, services_page(offers))
    page = response.content.decode()
    assert response.status_code == 200 and ProviderService.objects.count() == 40
    assert "Imported 16 providers: 16 new, 0 updated, 0 unchanged. From services.json." in page
    assert "Terms that were not used" in page and "<code>contents[5]</code>" in page
    assert "&#x27;Hearing loop&#x27; (HEARING-LOOP) in taxonomy &#x27;Accessibility&#x27; has no mapping" in page


def test_the_import_page_names_each_faulty_record(client, dps_team, mappings):
    page = services_page(forty_offers())
    page["contents"][9]["status"] = "paused"
    response = upload(client, dps_team, page)
    html = response.content.decode()
    assert response.status_code == 400 and not Provider.objects.exists()
    assert "1 of 40 records in the file has problems. Nothing has been imported" in html
    assert "<code>contents[9]</code>" in html
    assert "status: &#x27;paused&#x27; is not one of [&#x27;active&#x27;" in html
