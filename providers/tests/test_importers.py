"""Importing an Open Referral UK directory: all of it or none, with every problem named."""

import copy
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from referencing.exceptions import Unresolvable

from accounts.models import User
from audit.models import AuditEvent
from core.exceptions import ActionRefused
from providers import services
from providers.importers import SCHEMA_DIR, districts_in, json_path, read_directory, schema_registry
from providers.models import Provider, ProviderService
from providers.services import import_provider_directory
from providers.tests.factories import ProviderFactory

from .conftest import DATA, data_file

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "demo_directory.json"


def records(name: str):
    return json.loads(data_file(name))


def ids(name: str) -> list[str]:
    document = records(name)
    return [o["id"] for o in (document if isinstance(document, list) else [document])]


def nothing_imported():
    return not Provider.objects.exists() and not ProviderService.objects.exists() and not AuditEvent.objects.exists()


# Mapping


def test_valid_file_creates_providers_and_their_services(dps_team, home_care_dps):
    result = import_provider_directory(data_file("valid_directory.json"), acting_user=dps_team)

    assert result.imported and (result.created, result.updated, result.unchanged) == (2, 0, 0)
    eastside_id, bow_id = ids("valid_directory.json")
    eastside = Provider.objects.get(open_referral_id=eastside_id)
    assert (eastside.name, eastside.email, eastside.website) == (
        "Eastside Homecare Partnership",
        "office@eastside-homecare.example.org.uk",
        "https://www.eastside-homecare.example.org.uk",
    )
    assert (eastside.cqc_registration_number, eastside.cqc_rating) == ("1-2345678901", Provider.CQCRating.GOOD)
    assert (eastside.contact_name, eastside.address, eastside.postcode) == (
        "Rahima Begum",
        "22 Commercial Road, London",
        "E1 6AN",
    )
    assert eastside.active and eastside.created_by == dps_team
    home_care = eastside.services.get()
    assert home_care.service_type_id == "home_care" and home_care.arrangement == home_care_dps
    assert home_care.districts == ["E1", "E2", "E3"]  # E1 from the areas and again from the office postcode
    assert home_care.specialisms == ["dementia", "end_of_life"]
    assert home_care.languages == ["English", "Bengali", "Sylheti"]
    assert home_care.weekly_hours_capacity == 45

    bow = Provider.objects.get(open_referral_id=bow_id)
    assert bow.cqc_rating == Provider.CQCRating.NOT_RATED
    escort = bow.services.get(service_type="escort")
    assert escort.arrangement is None and escort.districts == ["E3"]  # off the framework
    assert bow.services.get(service_type="home_care").districts == ["E1", "E3", "W2"]


def test_every_write_is_audited_with_the_importer_as_actor(dps_team, home_care_dps):
    import_provider_directory(data_file("valid_directory.json"), acting_user=dps_team, source="east.json")
    events = AuditEvent.objects.all()
    assert events.count() == 5  # two providers, three services
    assert {e.actor for e in events} == {dps_team}
    assert all(e.action == AuditEvent.Action.CREATED for e in events)
    assert all("Open Referral UK directory (east.json)" in e.summary for e in events)


@pytest.mark.parametrize(
    "name,shape,count",
    [
        ("valid_organization.json", "one", 1),
        ("valid_directory.json", "array", 2),
        ("valid_page.json", "page", 2),
    ],
)
def test_a_single_organization_an_array_or_a_page_is_accepted(dps_team, home_care_dps, name, shape, count):
    result = import_provider_directory(data_file(name), acting_user=dps_team)
    assert (result.reading.shape, result.reading.kind) == (shape, "organization")
    assert result.created == count == Provider.objects.count()


def test_the_demo_directory_imports(dps_team, home_care_dps):
    result = import_provider_directory(FIXTURE.read_bytes(), acting_user=dps_team)
    assert result.imported, result.reading.report_lines()
    assert result.created == 4
    assert ProviderService.objects.filter(arrangement=home_care_dps).count() == 4


def test_reimporting_the_same_file_changes_nothing(dps_team, home_care_dps):
    import_provider_directory(data_file("valid_directory.json"), acting_user=dps_team)
    events = AuditEvent.objects.count()

    result = import_provider_directory(data_file("valid_directory.json"), acting_user=dps_team)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert (Provider.objects.count(), ProviderService.objects.count()) == (2, 3)
    assert AuditEvent.objects.count() == events


def test_reimport_updates_by_open_referral_id_and_removes_services_no_longer_listed(dps_team, home_care_dps):
    import_provider_directory(data_file("valid_directory.json"), acting_user=dps_team)
    eastside_id, bow_id = ids("valid_directory.json")
    Provider.objects.filter(open_referral_id=eastside_id).update(phone="020 7946 0000")  # ours, not the file's

    result = import_provider_directory(data_file("valid_directory_updated.json"), acting_user=dps_team)

    assert (result.created, result.updated, result.unchanged) == (0, 2, 0)
    assert Provider.objects.count() == 2
    eastside = Provider.objects.get(open_referral_id=eastside_id)
    assert eastside.name == "Eastside Homecare Partnership CIC"
    assert eastside.phone == "020 7946 0000"
    bow = Provider.objects.get(open_referral_id=bow_id)
    assert list(bow.services.values_list("service_type", "districts")) == [("home_care", ["E1", "E3"])]
    renamed = AuditEvent.objects.get(object_id=str(eastside.pk), action=AuditEvent.Action.CHANGED)
    assert renamed.changes["name"] == ["Eastside Homecare Partnership", "Eastside Homecare Partnership CIC"]
    assert AuditEvent.objects.filter(summary__contains="no longer listed").count() == 1


def test_a_service_listed_as_defunct_is_left_out(dps_team, home_care_dps):
    document = records("valid_directory.json")
    document[1]["services"][1]["status"] = "defunct"
    import_provider_directory(json.dumps(document), acting_user=dps_team)
    assert list(
        Provider.objects.get(open_referral_id=document[1]["id"]).services.values_list("service_type", flat=True)
    ) == ["home_care"]


# Refusals: the whole file is reported and nothing is imported


def problems_of(content) -> list[tuple[str, str, str, list[str]]]:
    reading = read_directory(content)
    return [(p.location, p.id, p.name, p.errors) for p in reading.problems]


def test_schema_invalid_fields_are_reported_with_their_path(dps_team, home_care_dps):
    result = import_provider_directory(data_file("invalid_schema_field.json"), acting_user=dps_team)

    assert not result.imported
    [problem] = result.reading.problems
    assert (problem.index, problem.location, problem.id, problem.name) == (
        1,
        "[1]",
        ids("invalid_schema_field.json")[1],
        "Bow and Poplar Companions",
    )
    assert problem.errors == [
        "services[0].email: 'not-an-email' is not a 'email'",
        "website: 'not a web address' is not a 'uri'",
    ]
    assert nothing_imported()  # the good record [0] is not imported either


def test_missing_required_fields_are_reported_for_every_record(dps_team, home_care_dps):
    result = import_provider_directory(data_file("invalid_missing_required.json"), acting_user=dps_team)
    first, second = result.reading.problems
    assert (first.location, first.name, first.errors) == ("[0]", "", ["'name' is a required property"])
    assert (second.location, second.name, second.errors) == (
        "[1]",
        "Bow and Poplar Companions",
        ["services[1]: 'status' is a required property"],
    )
    assert nothing_imported()


@pytest.mark.parametrize(
    "name,location,message",
    [
        (
            "invalid_unknown_service_type.json",
            "[1]",
            "services[0].attributes[0].taxonomy_term.term: 'gardening' is not a service type we know",
        ),
        (
            "invalid_unknown_arrangement.json",
            "[0]",
            "services[0].attributes[1].taxonomy_term.term: there is no purchasing arrangement called "
            "'Home care DPS 2019 to 2023'",
        ),
        ("invalid_no_districts.json", "", "services[0]: no postcode districts"),
    ],
)
def test_records_that_are_valid_but_unusable_are_refused(dps_team, home_care_dps, name, location, message):
    result = import_provider_directory(data_file(name), acting_user=dps_team)
    [problem] = result.reading.problems
    assert problem.location == location
    assert any(error.startswith(message) for error in problem.errors), problem.errors
    assert nothing_imported()


def with_change(change) -> str:
    document = records("valid_directory.json")
    change(document)
    return json.dumps(document)


def set_term(service: dict, taxonomy: str, term: str) -> None:
    for attribute in service["attributes"]:
        if attribute["taxonomy_term"]["taxonomy"] == taxonomy:
            attribute["taxonomy_term"]["term"] = term


@pytest.mark.parametrize(
    "change,error",
    [
        (
            lambda d: set_term(d[0]["services"][0], "riverside-purchasing-arrangement", "Reablement Dynamic Market"),
            "services[0].attributes[1].taxonomy_term.term: 'Reablement Dynamic Market' is for reablement, "
            "not domiciliary care (home care)",
        ),
        (
            lambda d: set_term(d[0]["services"][0], "riverside-brokerage-specialism", "juggling"),
            "services[0].attributes[2].taxonomy_term.term: 'juggling' is not a specialism we know",
        ),
        (
            lambda d: set_term(d[0]["services"][0], "riverside-weekly-hours-capacity", "lots"),
            "services[0].attributes[4].taxonomy_term.term: 'lots' is not a whole number of hours a week",
        ),
        (
            lambda d: set_term(d[0], "cqc-rating", "Brilliant"),
            "attributes[0].taxonomy_term.term: 'Brilliant' is not a CQC rating",
        ),
        (lambda d: d[0].update(services=[]), "services: the organization has no services"),
        (lambda d: d[0].update(name="N" * 201), "name: Ensure this value has at most 200 characters"),
        (lambda d: d[0].update(email="two@at@example.com"), "email: Enter a valid email address."),
        (
            lambda d: d[0]["services"].append(copy.deepcopy(d[0]["services"][0]) | {"id": d[1]["id"]}),
            "services[1]: a second domiciliary care (home care) service (services[0] is one)",
        ),
    ],
)
def test_each_unusable_value_is_named(home_care_dps, reablement_market, change, error):
    [(location, _, _, errors)] = problems_of(with_change(change))
    assert location == "[0]"
    assert errors[0].startswith(error), errors
    assert not any("cannot be null" in e for e in errors)  # one reason, not a knock-on one as well


def test_a_service_named_as_a_service_type_needs_no_attribute(home_care_dps):
    def by_name(document):
        service = document[1]["services"][1]
        service["attributes"] = []
        service["name"] = "ESCORT SERVICE"

    reading = read_directory(with_change(by_name))
    assert reading.is_valid
    assert [s.service_type for s in reading.organizations[1].services] == ["home_care", "escort"]


def test_a_service_with_no_recognisable_type_is_refused(home_care_dps):
    def unnamed(document):
        document[1]["services"][1]["attributes"] = []
        document[1]["services"][1]["name"] = "Trips out"

    [(_, _, _, errors)] = problems_of(with_change(unnamed))
    assert errors[0].startswith("services[1]: no service type for 'Trips out'")


def test_a_duplicate_id_in_the_file_is_refused(home_care_dps):
    [(location, _, _, errors)] = problems_of(with_change(lambda d: d.append(copy.deepcopy(d[0]))))
    assert location == "[2]"
    assert errors == [f"id: '{ids('valid_directory.json')[0]}' is also the id of record [0]"]


@pytest.mark.parametrize(
    "content,message",
    [
        (b"{not json", "The file is not valid JSON: Expecting property name enclosed in double quotes at line 1"),
        (b"\xff\xfe\x00", "The file is not"),
        (b"42", "The file must hold organizations or services in the Open Referral UK format"),
        (b"[]", "The file has no organizations or services in it."),
        (b"[" * 100_000 + b"]" * 100_000, "The file is nested too deeply"),
        (b'{"contents": "everything", "total_items": -1}', "The page is not an Open Referral UK page: contents:"),
    ],
)
def test_a_file_that_is_not_a_directory_is_refused_whole(dps_team, content, message):
    result = import_provider_directory(content, acting_user=dps_team)
    assert not result.imported
    assert result.reading.file_errors[0].startswith(message), result.reading.file_errors
    assert nothing_imported()


def test_an_invalid_file_leaves_existing_providers_as_they_were(dps_team, home_care_dps):
    import_provider_directory(data_file("valid_directory.json"), acting_user=dps_team)
    before = list(Provider.objects.values_list("name", flat=True))
    document = records("valid_directory_updated.json")
    document[1]["email"] = "nope"
    result = import_provider_directory(json.dumps(document), acting_user=dps_team)
    assert not result.imported
    assert list(Provider.objects.values_list("name", flat=True)) == before


def test_a_failure_part_way_through_writing_rolls_back_everything(dps_team, home_care_dps, monkeypatch):
    calls = []

    def fail_on_third(**kwargs):
        calls.append(kwargs)
        if len(calls) == 3:
            raise RuntimeError("database went away")

    monkeypatch.setattr(services, "record_change", fail_on_third)
    with pytest.raises(RuntimeError):
        import_provider_directory(data_file("valid_directory.json"), acting_user=dps_team)
    assert not Provider.objects.exists() and not ProviderService.objects.exists()


def test_the_report_reads_as_plain_text(home_care_dps):
    lines = read_directory(data_file("invalid_schema_field.json")).report_lines()
    assert lines[0] == "1 of 2 records cannot be imported:"
    assert lines[1] == f"Record [1] (id {ids('invalid_schema_field.json')[1]}, Bow and Poplar Companions):"
    assert lines[2] == "  - services[0].email: 'not-an-email' is not a 'email'"


# Who may import


@pytest.mark.parametrize(
    "role_user",
    ["officer_east", "lead_east", "finance_officer", "contract_monitoring", "social_worker", "provider_user"],
)
def test_only_the_dps_team_may_import(request, home_care_dps, role_user):
    user = request.getfixturevalue(role_user)
    providers = Provider.objects.count()  # a provider user's own provider
    with pytest.raises(ActionRefused, match="Only the DPS team"):
        import_provider_directory(data_file("valid_directory.json"), acting_user=user)
    assert Provider.objects.count() == providers and not ProviderService.objects.exists()


def test_a_superuser_may_import(home_care_dps):
    admin = User.objects.create_superuser("admin", "admin@riverside.example.gov.uk", "a-long-test-password")
    assert import_provider_directory(data_file("valid_directory.json"), acting_user=admin).created == 2


# Schemas


def test_schemas_are_read_from_our_copy_never_the_network():
    assert {"organization.json", "organization_list.json", "organization_package.json", "LICENSE"} <= {
        p.name for p in SCHEMA_DIR.iterdir()
    }
    resolver = schema_registry().resolver()
    assert resolver.lookup("organization_package.json#/items").contents["required"] == ["id", "name", "description"]
    with pytest.raises(Unresolvable):
        resolver.lookup("https://raw.githubusercontent.com/openreferraluk/uk-profile/main/schema/organization.json")


@pytest.mark.parametrize(
    "text,districts",
    [
        ("E1", ["E1"]),
        ("e14 ", ["E14"]),
        ("E1, E3; W2", ["E1", "E3", "W2"]),
        ("EC1A", ["EC1A"]),
        ("All residents of the borough", []),
        ("E1 and W2", []),
        ("", []),
    ],
)
def test_districts_are_read_only_from_text_that_is_all_districts(text, districts):
    assert districts_in(text) == districts


def test_json_path():
    assert (
        json_path(["services", 0, "attributes", 2, "taxonomy_term", "term"])
        == "services[0].attributes[2].taxonomy_term.term"
    )


# The management command


def test_command_imports_and_says_what_it_did(home_care_dps):
    out = StringIO()
    call_command("import_providers", str(DATA / "valid_directory.json"), stdout=out)
    assert "Imported 2 providers: 2 new, 0 updated, 0 unchanged." in out.getvalue()
    assert Provider.objects.count() == 2
    assert {e.actor for e in AuditEvent.objects.all()} == {None}


def test_command_prints_the_report_and_fails_on_a_bad_file(home_care_dps):
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was imported") as failure:
        call_command("import_providers", str(DATA / "invalid_schema_field.json"), stderr=err)
    assert failure.value.returncode == 1
    assert "services[0].email: 'not-an-email' is not a 'email'" in err.getvalue()
    assert nothing_imported()


def test_command_fails_on_a_missing_file(db):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_providers", str(DATA / "no_such_file.json"))


def test_an_existing_provider_without_an_open_referral_id_is_not_touched(dps_team, home_care_dps):
    ours = ProviderFactory(name="Eastside Homecare Partnership")
    import_provider_directory(data_file("valid_directory.json"), acting_user=dps_team)
    ours.refresh_from_db()
    assert ours.open_referral_id is None and Provider.objects.count() == 3
