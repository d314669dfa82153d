"""Reading a provider directory published to the Open Referral UK standard (HSDS 3.0 UK profile).

Nothing here writes. `read_directory` checks every record of a file against the UK profile's JSON
Schemas, then against what we need to source care from it, and maps each good record to what we
keep; `providers.services.import_provider_directory` saves the result, all of it or none.

Councils publish two shapes, and a file may hold one record, an array of them, or a page of the API
(`{"total_items": …, "contents": [record, …]}`):
- organizations with their services nested (`/organizations`), each checked against organization.json;
- services with their organization nested (`/services`), each checked against service.json (and, on a page,
  service_list.json); the services of one organization, wherever they are in the file, make one provider.

Each organization is a Provider and each of its services a ProviderService. What a service is, and the needs
it meets, come from its attributes' taxonomy terms, read through the TaxonomyMappings admin staff keep (a term
by its code or its label, in its own taxonomy or in any); a term with no mapping is not used, and is reported
by record (`DirectoryReading.notes`) so that one can be added. Our own taxonomies need no mapping:

| taxonomy | term |
| --- | --- |
| `riverside-brokerage-service-type` | a ServiceCode value, like `home_care` (with no service type term at all, the service's name must be a ServiceCode label) |
| `riverside-brokerage-specialism` | a Specialism value or label, like `dementia` |
| `riverside-purchasing-arrangement` | the name of a PurchasingArrangement for the same service type |
| `riverside-weekly-hours-capacity` | whole hours a week the provider can take on now |
| `cqc-rating` | Outstanding, Good, Requires improvement, Inadequate or Not yet rated |

Purchasing arrangements are dps's, a floor above providers (../shared/DESIGN.md: arrows point down), so the
importer does not read them itself: dps registers them here from its ready() (`register_arrangements`), as
brokerage and referrals register their sections of a person's page.

The CQC registration number is the `organization_identifiers` entry with scheme `GB-CQC`.
Postcode districts come from `service_areas[].name` or `.extent` (like `E1`, or `E1, E2`) and from
the outward code of each `service_at_locations[].location.addresses[].postal_code`.
"""

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError as SchemaError
from referencing import Registry
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT202012

from catalogue.codes import ServiceCode
from people.models import Specialism
from people.validators import POSTCODE_RE, normalise_postcode, postcode_district

from .models import Provider, ProviderService, TaxonomyMapping

SCHEMA_DIR = Path(__file__).resolve().parent / "schemas" / "openreferral-uk"
SCHEMA_FILES = (
    "organization.json",
    "organization_list.json",
    "organization_package.json",
    "service.json",
    "service_list.json",
    "service_package.json",
)

SERVICE_TYPE_TAXONOMY = "riverside-brokerage-service-type"
SPECIALISM_TAXONOMY = "riverside-brokerage-specialism"
ARRANGEMENT_TAXONOMY = "riverside-purchasing-arrangement"
CAPACITY_TAXONOMY = "riverside-weekly-hours-capacity"
CQC_RATING_TAXONOMY = "cqc-rating"
CQC_SCHEME = "GB-CQC"

# Services a directory says are not running are left out: on re-import they are removed.
CLOSED_STATUSES = {"inactive", "defunct"}
MAX_ERRORS_PER_RECORD = 25
MAX_MESSAGE = 240

DISTRICT_RE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")

# The page envelope of the Open Referral UK API; each item of `contents` is checked on its own.
PAGE_SCHEMA = {
    "type": "object",
    "required": ["contents"],
    "properties": {
        "total_items": {"type": "integer", "minimum": 0},
        "total_pages": {"type": "integer", "minimum": 0},
        "page_number": {"type": "integer", "minimum": 0},
        "size": {"type": "integer", "minimum": 0},
        "first_page": {"type": "boolean"},
        "last_page": {"type": "boolean"},
        "empty": {"type": "boolean"},
        "contents": {"type": "array"},
    },
}

# Which schema a record is checked against: by what the records are (organizations with nested services, or
# services with their nested organization) and how the file holds them (one, an array, or an API page).
RECORD_SCHEMAS = {
    ("organization", "one"): {"$ref": "organization.json"},
    ("organization", "array"): {"$ref": "organization_package.json#/items"},
    # A page item is an organization_list entry; ours also carry services, so the full
    # organization schema applies as well (it repeats organization_list's fields unchanged).
    ("organization", "page"): {"allOf": [{"$ref": "organization_list.json"}, {"$ref": "organization.json"}]},
    ("service", "one"): {"$ref": "service.json"},
    ("service", "array"): {"$ref": "service_package.json#/items"},
    # The `/services` page: each item a service_list entry, and the full service with its nested records.
    ("service", "page"): {"allOf": [{"$ref": "service_list.json"}, {"$ref": "service.json"}]},
}
# Taxonomies whose terms we read for something other than a service type or a specialism.
OWN_TAXONOMIES = {ARRANGEMENT_TAXONOMY, CAPACITY_TAXONOMY, CQC_RATING_TAXONOMY}


# Formats the UK profile uses that jsonschema checks only with optional packages installed.
FORMAT_CHECKER = FormatChecker()
URI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")  # RFC 3986: scheme ":" then no spaces
DATE_TIME_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$"
)  # RFC 3339


@FORMAT_CHECKER.checks("uri")
def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or bool(URI_RE.match(value))


@FORMAT_CHECKER.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    match = DATE_TIME_RE.match(value)
    if not match:
        return False
    year, month, day, hour, minute, second = (int(match.group(n)) for n in range(1, 7))
    date(year, month, day)  # raises ValueError for 2023-02-30
    offset_ok = match.group(9) is None or (int(match.group(9)) < 24 and int(match.group(10)) < 60)
    return hour < 24 and minute < 60 and second < 61 and offset_ok


def _no_remote_schemas(uri: str):
    raise NoSuchResource(ref=uri)


@cache
def schema_registry() -> Registry:
    """The UK profile's schemas from our copy, so a `$ref` between them never goes to the network."""
    resources = [
        (name, DRAFT202012.create_resource(json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))))
        for name in SCHEMA_FILES
    ]
    return Registry(retrieve=_no_remote_schemas).with_resources(resources)


@cache
def record_validator(kind: str, container: str) -> Draft202012Validator:
    return Draft202012Validator(
        RECORD_SCHEMAS[kind, container], registry=schema_registry(), format_checker=FORMAT_CHECKER
    )


@dataclass
class ServiceEntry:
    """One service of an organization, as a ProviderService's fields."""

    service_type: str
    arrangement: Any  # dps.models.PurchasingArrangement | None: off the framework
    districts: list[str]
    specialisms: list[str]
    languages: list[str]
    weekly_hours_capacity: int | None
    path: str

    def fields(self) -> dict[str, Any]:
        values = {
            "service_type_id": self.service_type,
            "districts": self.districts,
            "specialisms": self.specialisms,
            "languages": self.languages,
        }
        # Membership of an arrangement is the DPS team's decision (dps.arrangements): a file that names one
        # enrols the service, and a file that names none leaves the membership as it is.
        if self.arrangement is not None:
            values["arrangement"] = self.arrangement
        if self.weekly_hours_capacity is not None:
            values["weekly_hours_capacity"] = self.weekly_hours_capacity
        return values


@dataclass
class OrganizationEntry:
    """One organization, as a Provider's fields and its services."""

    index: int
    location: str
    open_referral_id: str
    name: str
    description: str
    email: str
    website: str
    cqc_registration_number: str
    active: bool
    services: list[ServiceEntry]
    # Set only when the file gives them, so a re-import without them keeps what we had.
    optional: dict[str, Any] = field(default_factory=dict)

    def fields(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "email": self.email,
            "website": self.website,
            "cqc_registration_number": self.cqc_registration_number,
            "active": self.active,
        } | self.optional


@dataclass
class RecordProblem:
    """A record of the file, and what is wrong with it (or, as a note, what was left out of it)."""

    index: int
    location: str  # where the record is in the file: "" (the whole file), "[2]" or "contents[2]"
    id: str
    name: str
    errors: list[str]
    kind: str = "organization"

    @property
    def label(self) -> str:
        return f"Record {self.location}" if self.location else f"The {self.kind}"


@dataclass
class DirectoryReading:
    """What a directory file holds, or what is wrong with it."""

    shape: str = ""  # how the file holds its records: "one", "array" or "page"
    kind: str = ""  # what they are: "organization" (services nested) or "service" (organization nested)
    record_count: int = 0
    organizations: list[OrganizationEntry] = field(default_factory=list)
    problems: list[RecordProblem] = field(default_factory=list)
    # Taxonomy terms with no mapping, by record: imported without them, and reported so a mapping can be added.
    notes: list[RecordProblem] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.file_errors and not self.problems and bool(self.organizations)

    def report_lines(self) -> list[str]:
        """The problems, then the notes, as plain text lines, for the command line."""
        lines = list(self.file_errors)
        if self.problems:
            lines.append(f"{len(self.problems)} of {self.record_count} records cannot be imported:")
        lines += _report(self.problems)
        if self.notes:
            count = len(self.notes)
            lines.append(f"{count} record{' uses' if count == 1 else 's use'} taxonomy terms that have no mapping:")
        lines += _report(self.notes)
        return lines


def _report(records: list[RecordProblem]) -> list[str]:
    lines = []
    for record in records:
        who = ", ".join(x for x in [f"id {record.id}" if record.id else "", record.name] if x)
        lines.append(f"{record.label}" + (f" ({who})" if who else "") + ":")
        lines += [f"  - {error}" for error in record.errors]
    return lines


def json_path(parts: Iterable[str | int]) -> str:
    """`services[0].email` for ("services", 0, "email")."""
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _at(path: str, message: str) -> str:
    return f"{path}: {message}" if path else message


def _schema_messages(errors: Iterable[SchemaError]) -> list[str]:
    def key(error: SchemaError):
        return [(p if isinstance(p, int) else -1, p if isinstance(p, str) else "") for p in error.absolute_path]

    messages = []
    for error in sorted(errors, key=key):
        message = error.message if len(error.message) <= MAX_MESSAGE else error.message[: MAX_MESSAGE - 1] + "…"
        messages.append(_at(json_path(error.absolute_path), message))
    return list(dict.fromkeys(messages))  # the page schema's two halves report a shared field twice


def read_directory(content: bytes | str) -> DirectoryReading:
    """Every record of the file checked and mapped; `problems` lists each record that fails."""
    reading = DirectoryReading()
    try:
        document = json.loads(content)
    except UnicodeDecodeError:
        reading.file_errors.append("The file is not text in UTF-8: save it as JSON and upload it again.")
        return reading
    except json.JSONDecodeError as error:
        reading.file_errors.append(
            f"The file is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}."
        )
        return reading
    except RecursionError:
        reading.file_errors.append("The file is nested too deeply to be an Open Referral UK directory.")
        return reading

    if isinstance(document, list):
        reading.shape, records, where = "array", document, "[{}]"
    elif isinstance(document, dict) and "contents" in document:
        reading.shape, where = "page", "contents[{}]"
        envelope = sorted(Draft202012Validator(PAGE_SCHEMA).iter_errors(document), key=lambda e: e.json_path)
        if envelope:
            reading.file_errors += [
                f"The page is not an Open Referral UK page: {m}" for m in _schema_messages(envelope)
            ]
            return reading
        records = document["contents"]
    elif isinstance(document, dict):
        reading.shape, records, where = "one", [document], ""
    else:
        reading.file_errors.append(
            "The file must hold organizations or services in the Open Referral UK format: one, a list of them, "
            "or a page of the /organizations or /services API."
        )
        return reading
    reading.record_count = len(records)
    if not records:
        reading.file_errors.append("The file has no organizations or services in it.")
        return reading
    reading.kind = "service" if any(_is_service(record) for record in records) else "organization"
    validator = record_validator(reading.kind, reading.shape)

    errors: dict[int, list[str]] = {}
    notes: dict[int, list[str]] = {}
    seen_ids: dict[str, str] = {}
    schema_valid = []
    for index, record in enumerate(records):
        errors[index] = _schema_messages(validator.iter_errors(record))
        if isinstance(record, dict) and isinstance(record.get("id"), str):
            if record["id"] in seen_ids:
                errors[index].append(_at("id", f"'{record['id']}' is also the id of record {seen_ids[record['id']]}"))
            else:
                seen_ids[record["id"]] = where.format(index) or "[0]"
        if not errors[index]:
            schema_valid.append(index)

    mapper = _Mapper()
    # (the record whose location the organization's own fields are reported at, the organization,
    #  its services as (record index, JSON path in the file, service))
    groups: list[tuple[int, dict, list[tuple[int, str, dict]]]] = []
    if reading.kind == "organization":
        for index in schema_valid:
            services = [(index, json_path(["services", i]), s) for i, s in _items(records[index], "services")]
            groups.append((index, records[index], services))
    else:
        # Services of one organization, wherever they are in the file, make one provider.
        by_organization: dict[str, list[int]] = {}
        for index in schema_valid:
            organization = records[index].get("organization")
            if not isinstance(organization, dict):
                errors[index].append(
                    _at(
                        "organization",
                        "the service has no organization: give the organization that provides it, with its id, "
                        "name and description",
                    )
                )
            else:
                by_organization.setdefault(organization["id"], []).append(index)
        for indexes in by_organization.values():
            services = [(i, where.format(i), records[i]) for i in indexes]
            groups.append((indexes[0], records[indexes[0]]["organization"], services))

    for index, organization, services in groups:
        location = where.format(index)
        entry, found, left_out = mapper.organization(
            organization,
            index,
            location,
            services=[(path, service) for _, path, service in services],
            org_path="" if reading.kind == "organization" else json_path([location, "organization"]),
            needs_services=reading.kind == "organization",
        )
        if reading.kind == "organization":
            errors[index] += found
            notes.setdefault(index, []).extend(left_out)
        else:  # each finding goes to the service record it is about, its path made that record's own
            for message in found:
                i, relative = _record_of(message, services)
                errors[i].append(relative)
            for message in left_out:
                i, relative = _record_of(message, services)
                notes.setdefault(i, []).append(relative)
        if entry is not None:
            reading.organizations.append(entry)

    def summary(index: int, messages: list[str]) -> RecordProblem:
        record = records[index]
        if len(messages) > MAX_ERRORS_PER_RECORD:
            messages = messages[:MAX_ERRORS_PER_RECORD] + [
                f"… and {len(messages) - MAX_ERRORS_PER_RECORD} more problems"
            ]
        return RecordProblem(
            index=index,
            location=where.format(index),
            errors=messages,
            id=_text(record, "id") if isinstance(record, dict) else "",
            name=_text(record, "name") if isinstance(record, dict) else "",
            kind=reading.kind,
        )

    reading.problems = [summary(i, messages) for i, messages in sorted(errors.items()) if messages]
    reading.notes = [summary(i, messages) for i, messages in sorted(notes.items()) if messages]
    if reading.problems:
        reading.organizations = []
    return reading


def _is_service(record: object) -> bool:
    """A service carries its organization (and a status); an organization carries its services."""
    return (
        isinstance(record, dict)
        and "services" not in record
        and any(key in record for key in ("organization", "organization_id", "status"))
    )


def _record_of(message: str, services: list[tuple[int, str, dict]]) -> tuple[int, str]:
    """Which service record a finding is about (by its path), and the finding with the path made that
    record's own: "contents[3].attributes[0]: …" is record 3's "attributes[0]: …"."""
    for index, location, _ in services:
        if not location:  # a file of one service
            return index, message
        if message.startswith(location + ": "):
            return index, message[len(location) + 2 :]
        if message.startswith(location + "."):
            return index, message[len(location) + 1 :]
    return services[0][0], message


def _text(obj: dict, key: str) -> str:
    value = obj.get(key)
    return value.strip() if isinstance(value, str) else ""


def _items(obj: dict, key: str) -> Iterator[tuple[int, dict]]:
    for index, item in enumerate(obj.get(key) or []):
        if isinstance(item, dict):
            yield index, item


def _terms(obj: dict, taxonomy: str, path: str) -> list[tuple[str, str]]:
    """(path of the term, the term) of each of the object's attributes in the taxonomy."""
    found = []
    for index, attribute in _items(obj, "attributes"):
        term = attribute.get("taxonomy_term") or {}
        if _text(term, "taxonomy").casefold() == taxonomy:
            key = "term" if _text(term, "term") else "name"
            found.append(
                (
                    json_path([path, "attributes", index, "taxonomy_term", key])
                    if path
                    else json_path(["attributes", index, "taxonomy_term", key]),
                    _text(term, key),
                )
            )
    return found


def _attribute_terms(obj: dict, path: str) -> Iterator[tuple[str, str, str, str]]:
    """(path of the term, its taxonomy, its code, its label) for each of the object's attributes."""
    for index, attribute in _items(obj, "attributes"):
        term = attribute.get("taxonomy_term")
        if not isinstance(term, dict):
            continue
        code, label = _text(term, "term"), _text(term, "name")
        key = "term" if code else "name"
        yield json_path([path, "attributes", index, "taxonomy_term", key]), _text(term, "taxonomy"), code, label


def _choice(value: str, choices) -> str | None:
    """A TextChoices value from its value or its label, whatever the case."""
    wanted = value.casefold().replace("-", "_")
    for choice_value, label in choices.choices:
        if wanted == choice_value or value.casefold() == str(label).casefold():
            return choice_value
    return None


def districts_in(text: str) -> list[str]:
    """Postcode districts in a service area's name or extent: "E1", or a list like "E1, E2; W2"."""
    parts = [p.strip().upper() for p in re.split(r"[,;]", text or "")]
    parts = [p for p in parts if p]
    return parts if parts and all(DISTRICT_RE.match(p) for p in parts) else []


# Each source gives the purchasing arrangements a file may name, with their service type read.
ArrangementSource = Callable[[], Iterable[Any]]
_arrangement_sources: dict[str, ArrangementSource] = {}


def register_arrangements(name: str, source: ArrangementSource) -> None:
    """Called from an app's ready(): `name` says which arrangements `source` gives (kept unique)."""
    _arrangement_sources[name] = source


class _Mapper:
    """Maps schema-valid records to our fields, collecting every reason one is unusable, and every taxonomy
    term it could not give a meaning to."""

    def __init__(self):
        self.arrangements = {a.name.casefold(): a for source in _arrangement_sources.values() for a in source()}
        self.mappings = {(m.taxonomy.casefold(), m.term.casefold()): m for m in TaxonomyMapping.objects.all()}

    def mapping(self, taxonomy: str, *terms: str):
        """The TaxonomyMapping for a term given by code or label: one for its taxonomy first, then one for any."""
        for scope in (taxonomy.casefold(), ""):
            for term in terms:
                if term and (found := self.mappings.get((scope, term.casefold()))):
                    return found
        return None

    def organization(
        self,
        record: dict,
        index: int,
        location: str,
        *,
        services: list[tuple[str, dict]],
        org_path: str = "",
        needs_services: bool = True,
    ) -> tuple[OrganizationEntry | None, list[str], list[str]]:
        """The organization `record` with `services` (each with its JSON path): the provider to save, or None;
        the reasons it cannot be; and the terms left out. Paths of the organization's own fields start with
        `org_path`."""
        errors: list[str] = []
        notes: list[str] = []
        cqc_number, cqc_path = "", ""
        for i, identifier in _items(record, "organization_identifiers"):
            scheme, kind = _text(identifier, "identifier_scheme"), _text(identifier, "identifier_type")
            if scheme.upper() == CQC_SCHEME or "cqc" in kind.casefold() or "care quality commission" in kind.casefold():
                cqc_number = _text(identifier, "identifier")
                cqc_path = json_path([org_path, "organization_identifiers", i, "identifier"])
                break
        optional: dict[str, Any] = {}
        ratings = _terms(record, CQC_RATING_TAXONOMY, org_path)
        for path, service in services:
            ratings += _terms(service, CQC_RATING_TAXONOMY, path)
        for path, term in ratings[:1]:
            rating = _choice(term, Provider.CQCRating)
            if rating is None:
                errors.append(
                    _at(
                        path,
                        f"'{term}' is not a CQC rating (use Outstanding, Good, Requires improvement, "
                        "Inadequate or Not yet rated)",
                    )
                )
            else:
                optional["cqc_rating"] = rating
        first_contact = next((c for _, s in services for _, c in _items(s, "contacts") if _text(c, "name")), None)
        if first_contact:
            optional["contact_name"] = _text(first_contact, "name")
        address = next(
            (
                a
                for _, s in services
                for _, sal in _items(s, "service_at_locations")
                for _, a in _items(sal.get("location") or {}, "addresses")
            ),
            None,
        )
        if address:
            optional["address"] = ", ".join(
                x for x in [_text(address, "address_1"), _text(address, "address_2"), _text(address, "city")] if x
            )[:300]
            postcode = normalise_postcode(_text(address, "postal_code"))
            if POSTCODE_RE.match(postcode):
                optional["postcode"] = postcode

        entries: list[ServiceEntry] = []
        open_services = [(p, s) for p, s in services if _text(s, "status").casefold() not in CLOSED_STATUSES]
        if needs_services and not services:
            errors.append(
                _at(
                    json_path([org_path, "services"]),
                    "the organization has no services: give each service it offers, with its "
                    "service type and the postcode districts it covers",
                )
            )
        for path, service in open_services:
            entry, service_errors, service_notes = self.service(service, path)
            errors += service_errors
            notes += service_notes
            if entry is None:
                continue
            twin = next((s for s in entries if s.service_type == entry.service_type), None)
            if twin:
                errors.append(
                    _at(
                        entry.path,
                        f"a second {ServiceCode(entry.service_type).label.lower()} service "
                        f"({twin.path or 'the first'} is one): list each service type once",
                    )
                )
            else:
                entries.append(entry)

        entry = OrganizationEntry(
            index=index,
            location=location,
            open_referral_id=_text(record, "id"),
            name=_text(record, "name"),
            description=_text(record, "description"),
            email=_text(record, "email"),
            website=_text(record, "website"),
            cqc_registration_number=cqc_number,
            active=bool(open_services),
            services=entries,
            optional=optional,
        )
        errors += self._model_errors(Provider(**entry.fields()), {"cqc_registration_number": cqc_path}, org_path)
        for service in entries:
            errors += self._model_errors(
                ProviderService(**(service.fields() | {"arrangement": None})), {}, service.path
            )
        return (None if errors else entry), errors, notes

    def service(self, service: dict, path: str) -> tuple[ServiceEntry | None, list[str], list[str]]:
        errors: list[str] = []
        notes: list[str] = []
        service_types: list[tuple[str, str]] = []  # (where it was said, the service type)
        specialisms: list[str] = []
        for term_path, taxonomy, code, label in _attribute_terms(service, path):
            scheme = taxonomy.casefold()
            if scheme in OWN_TAXONOMIES:
                continue
            if scheme == SERVICE_TYPE_TAXONOMY:
                if (value := _choice(code or label, ServiceCode)) is None:
                    errors.append(
                        _at(
                            term_path,
                            f"'{code or label}' is not a service type we know "
                            f"(use one of: {', '.join(ServiceCode.values)})",
                        )
                    )
                else:
                    service_types.append((term_path, value))
            elif scheme == SPECIALISM_TAXONOMY:
                if (value := _choice(code or label, Specialism)) is None:
                    errors.append(
                        _at(
                            term_path,
                            f"'{code or label}' is not a specialism we know (use one of: {', '.join(Specialism.values)})",
                        )
                    )
                elif value not in specialisms:
                    specialisms.append(value)
            elif (mapped := self.mapping(taxonomy, code, label)) is None:
                shown = f"'{label}' ({code})" if label and code and label != code else f"'{label or code}'"
                notes.append(
                    _at(
                        term_path,
                        f"{shown} in taxonomy '{taxonomy or '(none)'}' has no mapping, so it was not used: "
                        "add one in Django admin (Providers › Taxonomy mappings) to read it as a service type, "
                        "a specialism, or nothing we use",
                    )
                )
            elif mapped.service_type_id:
                service_types.append((term_path, mapped.service_type_id))
            elif mapped.specialism and mapped.specialism not in specialisms:
                specialisms.append(mapped.specialism)

        service_type = None
        for term_path, value in service_types:
            if service_type and value != service_type:
                errors.append(
                    _at(
                        term_path,
                        f"the service has two service types ({ServiceCode(service_type).label.lower()} and "
                        f"{ServiceCode(value).label.lower()}): give one per service",
                    )
                )
            service_type = service_type or value
        if not service_types:
            service_type = _choice(_text(service, "name"), ServiceCode)
            if service_type is None:
                errors.append(
                    _at(
                        path,
                        f"no service type for '{_text(service, 'name')}': add an attribute in taxonomy "
                        f"'{SERVICE_TYPE_TAXONOMY}' whose term is one of ours, like 'home_care', or map one of "
                        "its taxonomy terms to a service type in Django admin (Providers › Taxonomy mappings)",
                    )
                )

        arrangement = None
        arrangement_terms = _terms(service, ARRANGEMENT_TAXONOMY, path)
        if len(arrangement_terms) > 1:
            errors.append(
                _at(arrangement_terms[1][0], "the service names more than one purchasing arrangement: give one")
            )
        for term_path, term in arrangement_terms[:1]:
            arrangement = self.arrangements.get(term.casefold())
            if arrangement is None:
                errors.append(_at(term_path, f"there is no purchasing arrangement called '{term}'"))
            elif service_type and arrangement.service_type_id != service_type:
                errors.append(
                    _at(
                        term_path,
                        f"'{arrangement.name}' is for {arrangement.service_type.name.lower()}, "
                        f"not {ServiceCode(service_type).label.lower()}",
                    )
                )

        districts: list[str] = []
        for _, area in _items(service, "service_areas"):
            districts += districts_in(_text(area, "name")) or districts_in(_text(area, "extent"))
        for _, at_location in _items(service, "service_at_locations"):
            for _, address in _items(at_location.get("location") or {}, "addresses"):
                postcode = normalise_postcode(_text(address, "postal_code"))
                if POSTCODE_RE.match(postcode):
                    districts.append(postcode_district(postcode))
                elif DISTRICT_RE.match(postcode):
                    districts.append(postcode)
        districts = list(dict.fromkeys(districts))
        if not districts:
            errors.append(
                _at(
                    path,
                    "no postcode districts: list them in service_areas (name or extent, like 'E1' or "
                    "'E1, E3') or give a location address with a UK postcode",
                )
            )

        capacity = None
        for term_path, term in _terms(service, CAPACITY_TAXONOMY, path)[:1]:
            if term.isdigit():
                capacity = int(term)
            else:
                errors.append(_at(term_path, f"'{term}' is not a whole number of hours a week"))

        languages = list(
            dict.fromkeys(
                name
                for _, language in _items(service, "languages")
                if (name := _text(language, "name") or _text(language, "code"))
            )
        )
        if errors:
            return None, errors, notes
        return (
            ServiceEntry(
                service_type=service_type,
                arrangement=arrangement,
                districts=districts,
                specialisms=specialisms,
                languages=languages,
                weekly_hours_capacity=capacity,
                path=path,
            ),
            [],
            notes,
        )

    @staticmethod
    def _model_errors(instance, paths: dict[str, str], prefix: str = "") -> list[str]:
        """What our own columns refuse (a name too long for us, an email Django rejects), at its JSON path."""
        try:
            instance.clean_fields(exclude=["provider", "arrangement", "open_referral_id"])
        except ValidationError as error:
            return [
                _at(paths.get(name) or json_path([p for p in [prefix, name] if p]), message)
                for name, messages in error.message_dict.items()
                for message in messages
            ]
        return []
