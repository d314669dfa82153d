"""Provider directory feeds as councils publish them, built from Open Referral UK's own example records
(data/openreferral-uk/): a `/services` page, each service with its organization nested, and organizations with
their services nested. Every other field of the examples (schedules, funding, cost options, contacts,
accessibility) is kept as ORUK wrote it, so the importer meets the whole record, not only what it reads.

The services use a council's own taxonomies, which mean nothing to us until admin staff map them
(providers.models.TaxonomyMapping): `COUNCIL_SERVICES` for what the service is, `COUNCIL_NEEDS` for the needs
it meets, and `ACCESSIBILITY`, which we never use.
"""

import copy
import json
import uuid
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent / "data" / "openreferral-uk"
NAMESPACE = uuid.UUID("6f1c1e3a-2d7b-4a57-9d1e-3f6c0c9b8a10")

COUNCIL_SERVICES = "Riverside adult social care services"
COUNCIL_NEEDS = "Client group"
ACCESSIBILITY = "Accessibility"
# (code, label) of the council's service terms, and the service type each is mapped to in the tests.
SERVICE_TERMS = {
    "home_care": ("ASC-HC", "Home care and domiciliary support"),
    "residential": ("ASC-RES", "Residential care home"),
    "supported_living": ("ASC-SL", "Supported living"),
    "reablement": ("ASC-REA", "Reablement at home"),
}
NEED_TERMS = {
    "dementia": ("CG-DEM", "People living with dementia"),
    "learning_disability": ("CG-LD", "Learning disabilities"),
    "autism": ("CG-AUT", "Autistic adults"),
    "end_of_life": ("CG-EOL", "End of life"),
}


def uid(*parts) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(map(str, parts))))


@cache
def _example(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def example(name: str) -> dict:
    return copy.deepcopy(_example(name))


@dataclass
class Offer:
    """One service of one provider, as the tests expect it imported."""

    organization: int
    service_type: str
    districts: list[str]
    needs: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    postcode: str = ""
    extra_terms: list[tuple[str, str, str]] = field(default_factory=list)  # (taxonomy, code, label)

    @property
    def organization_id(self) -> str:
        return uid("organization", self.organization)

    @property
    def organization_name(self) -> str:
        return f"Riverside Care Partnership {self.organization:02d}"

    @property
    def service_id(self) -> str:
        return uid("service", self.organization, self.service_type)


def _term(taxonomy: str, code: str, label: str, *ids) -> dict:
    return {
        "id": uid("attribute", *ids, taxonomy, code),
        "link_type": "service",
        "taxonomy_term": {
            "id": uid("term", taxonomy, code),
            "name": label,
            "description": f"{taxonomy}: {label}",
            "taxonomy": taxonomy,
            "term": code,
        },
    }


def organization_record(offer: Offer) -> dict:
    """The example organization, made this offer's provider: its own id, name and CQC registration."""
    organization = example("service_full.json")["organization"]
    organization.update(
        id=offer.organization_id,
        name=offer.organization_name,
        description=f"Care and support across Riverside from {offer.organization_name}.",
        email=f"office{offer.organization:02d}@riverside-care.example.org.uk",
        website=f"https://www.riverside-care-{offer.organization:02d}.example.org.uk",
    )
    organization.pop("parent_organization_id", None)
    organization["organization_identifiers"] = [
        {
            "id": uid("identifier", offer.organization),
            "identifier_scheme": "GB-CQC",
            "identifier_type": "CQC provider ID",
            "identifier": f"1-{1000000000 + offer.organization}",
        }
    ]
    return organization


def service_record(offer: Offer, *, nested_organization: bool = True) -> dict:
    """ORUK's example service, made this offer: its ids, areas, terms, languages and location."""
    service = example("service_full.json")
    code, label = SERVICE_TERMS[offer.service_type]
    service.update(
        id=offer.service_id,
        name=label,
        description=f"{label} from {offer.organization_name}.",
        email=f"{offer.service_type}@riverside-care-{offer.organization:02d}.example.org.uk",
        status="active",
    )
    service["service_areas"] = [
        {
            "id": uid("area", offer.service_id),
            "name": ", ".join(offer.districts),
            "extent_type": "postcode_district",
            "service_area": "Postcode districts covered",
        }
    ]
    terms = [(COUNCIL_SERVICES, code, label)] + [(COUNCIL_NEEDS, *NEED_TERMS[need]) for need in offer.needs]
    service["attributes"] = [_term(t, c, lab, offer.service_id) for t, c, lab in terms + offer.extra_terms]
    service["languages"] = [
        {"id": uid("language", offer.service_id, name), "name": name} for name in offer.languages
    ] or service["languages"]
    for at_location in service["service_at_locations"]:
        for address in at_location["location"]["addresses"]:
            address.update(postal_code=offer.postcode or "ABC 1234", country="GB", city="Riverside")
    if nested_organization:
        service["organization"] = organization_record(offer)
    else:
        service.pop("organization", None)
    return service


def services_page(offers: list[Offer]) -> dict:
    """A page of the `/services` API holding every offer, as ORUK's own example page is laid out."""
    page = example("service_list.json")
    page.update(
        total_items=len(offers),
        total_pages=1,
        page_number=1,
        size=len(offers),
        first_page=True,
        last_page=True,
        empty=not offers,
    )
    page["contents"] = [service_record(offer) for offer in offers]
    return page


def organizations(offers: list[Offer]) -> list[dict]:
    """The same offers as an array of organizations, each with its services nested."""
    by_id: dict[str, dict] = {}
    for offer in offers:
        if offer.organization_id not in by_id:
            organization = example("organization_full.json")
            organization.update(organization_record(offer))
            organization["services"] = []
            by_id[offer.organization_id] = organization
        by_id[offer.organization_id]["services"].append(service_record(offer, nested_organization=False))
    return list(by_id.values())


DISTRICTS = ["E1", "E2", "E3", "E14", "E15", "W2", "W9", "W10", "W11", "N1"]
LANGUAGES = ["English", "Bengali", "Polish", "Somali", "British Sign Language", "Urdu"]


def forty_offers() -> list[Offer]:
    """40 services from 16 providers: each provider one to three service types, areas, needs and languages."""
    kinds = list(SERVICE_TERMS)
    offers = []
    for n in range(40):
        organization = n % 16
        service_type = kinds[(n // 16 + organization) % len(kinds)]
        offers.append(
            Offer(
                organization=organization,
                service_type=service_type,
                districts=[DISTRICTS[n % 10], DISTRICTS[(n + 3) % 10]],
                needs=list(NEED_TERMS)[: n % 3],
                languages=["English", LANGUAGES[1 + n % (len(LANGUAGES) - 1)]] if n % 4 else [],
                postcode="E1 6AN" if n % 5 == 0 else "",
            )
        )
    return offers
