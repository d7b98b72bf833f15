"""Companies described with schema.org: JSON-LD, microdata and RDFa, read into Lead fields.

Sites that bother to mark themselves up say exactly what their name, phone
and address are, so this is read before any text heuristic. One extractor
per syntax turns the markup into plain dicts shaped like JSON-LD
(``{"@type": ..., "name": ..., "address": {...}}``); one mapping reads the
Organization / LocalBusiness entities (any subtype) out of those dicts,
including the nested PostalAddress, ContactPoint and the founder or employees
as contact person.

The syntaxes are only looked for when the page carries their markers
(``application/ld+json``, ``itemscope``, ``typeof=``), so a page without
them costs a substring search. Malformed JSON and odd markup give fewer
entities, never an exception.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pipeline.names import clean_text

# schema.org Organization and LocalBusiness types (and their subtypes) a company can be.
ORGANIZATION_TYPES = frozenset("""
Organization Corporation LocalBusiness OnlineBusiness OnlineStore NGO NewsMediaOrganization
Airline Consortium Cooperative EducationalOrganization FundingScheme GovernmentOrganization
LibrarySystem MedicalOrganization PerformingGroup PoliticalParty Project ResearchOrganization
SearchRescueOrganization SportsOrganization SportsTeam WorkersUnion
AnimalShelter ArchiveOrganization AutomotiveBusiness AutoBodyShop AutoDealer AutoPartsStore
AutoRental AutoRepair AutoWash GasStation MotorcycleDealer MotorcycleRepair ChildCare
Dentist DryCleaningOrLaundry EmergencyService FireStation Hospital PoliceStation
EmploymentAgency EntertainmentBusiness AdultEntertainment AmusementPark ArtGallery Casino
ComedyClub MovieTheater NightClub FinancialService AccountingService AutomatedTeller
BankOrCreditUnion InsuranceAgency FoodEstablishment Bakery BarOrPub Brewery CafeOrCoffeeShop
Distillery FastFoodRestaurant IceCreamShop Restaurant Winery GovernmentOffice PostOffice
HealthAndBeautyBusiness BeautySalon DaySpa HairSalon HealthClub NailSalon TattooParlor
HomeAndConstructionBusiness Electrician GeneralContractor HVACBusiness HousePainter Locksmith
MovingCompany Plumber RoofingContractor InternetCafe LegalService Attorney Notary Library
LodgingBusiness BedAndBreakfast Campground Hostel Hotel Motel Resort VacationRental
MedicalBusiness CommunityHealth DiagnosticLab MedicalClinic Optician Pharmacy Physician
IndividualPhysician PhysiciansOffice MedicalSpecialty ProfessionalService RadioStation
RealEstateAgent RecyclingCenter SelfStorage ShoppingCenter SportsActivityLocation
BowlingAlley ExerciseGym GolfCourse PublicSwimmingPool SkiResort SportsClub StadiumOrArena
TennisComplex Store BikeStore BookStore ClothingStore ComputerStore ConvenienceStore
DepartmentStore ElectronicsStore Florist FurnitureStore GardenStore GroceryStore
HardwareStore HobbyShop HomeGoodsStore JewelryStore LiquorStore MensClothingStore
MobilePhoneStore MovieRentalStore MusicStore OfficeEquipmentStore OutletStore PawnShop
PetStore ShoeStore SportingGoodsStore TireShop ToyStore WholesaleStore TelevisionStation
TouristInformationCenter TravelAgency TreeService Manufacturer
""".split())
_TYPE_SUFFIXES = ("Business", "Store", "Organization", "Organisation", "Corporation", "Company",
                  "Restaurant", "Shop", "Service", "Agency", "Contractor", "Dealer", "Office", "Clinic")
_PERSON_PROPS = ("founder", "founders", "employee", "employees", "member", "members", "contactPoint")

_LD_SCRIPT = re.compile(r"application/ld\+json", re.IGNORECASE)
_SCHEMA_PREFIX = re.compile(r"^(?:https?://)?(?:www\.)?schema\.org/|^schema:", re.IGNORECASE)


@dataclass
class Entity:
    """One Organization/LocalBusiness found in markup, as Lead fields."""

    type: str
    method: str  # "jsonld", "microdata" or "rdfa"
    fields: dict[str, Any] = field(default_factory=dict)
    urls: list[str] = field(default_factory=list)  # url, @id, sameAs: what the entity says it is


def type_name(value: Any) -> str:
    """"http://schema.org/LocalBusiness" or "schema:LocalBusiness" -> "LocalBusiness"."""
    text = str(value or "").strip()
    text = _SCHEMA_PREFIX.sub("", text)
    return text.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def is_organization_type(value: Any) -> bool:
    names = value if isinstance(value, list) else [value]
    for raw in names:
        name = type_name(raw)
        if name in ORGANIZATION_TYPES or (name and name.endswith(_TYPE_SUFFIXES) and name[0].isupper()):
            return True
    return False


def has_markup(html: str) -> bool:
    """Whether any of the three syntaxes could be on the page (a cheap substring test).

    HTML names and attribute values are case-insensitive, so the test is too
    (one lower-casing costs a third of a case-insensitive regex search).
    """
    low = html.lower()
    return "application/ld+json" in low or "itemscope" in low or "typeof=" in low or "vocab=" in low


def extract_entities(root: Any, html: str | None = None) -> list[Entity]:
    """Every Organization/LocalBusiness entity of the page, JSON-LD first, then microdata, then RDFa."""
    if root is None:
        return []
    markers = html.lower() if html is not None else ""
    check = html is not None
    entities: list[Entity] = []
    try:
        if not check or "application/ld+json" in markers:
            for item in jsonld_items(root):
                entities.extend(_entities(item, "jsonld"))
        if not check or "itemscope" in markers:
            for item in microdata_items(root):
                entities.extend(_entities(item, "microdata"))
        if not check or "typeof=" in markers or "vocab=" in markers:
            for item in rdfa_items(root):
                entities.extend(_entities(item, "rdfa"))
    except Exception:  # noqa: BLE001 - markup is the page's, errors are not ours to raise
        return entities
    return entities


# --- JSON-LD -------------------------------------------------------------------------------


def jsonld_items(root: Any) -> list[Any]:
    """The parsed JSON of every ld+json script; broken ones are repaired where that is safe."""
    items: list[Any] = []
    for script in root.xpath("//script[@type]"):
        if not _LD_SCRIPT.search(script.get("type") or ""):
            continue
        data = parse_json_lenient(script.text or "")
        if data is not None:
            items.append(data)
    return items


def parse_json_lenient(text: str) -> Any | None:
    """JSON as sites write it: with HTML comments or CDATA around it, trailing commas, raw newlines."""
    text = text.strip()
    text = re.sub(r"^\s*(?:<!--|//\s*<!\[CDATA\[|<!\[CDATA\[)", "", text)
    text = re.sub(r"(?:-->|//\s*\]\]>|\]\]>)\s*$", "", text).strip().rstrip(";")
    if not text:
        return None
    for attempt in (text, re.sub(r",\s*([}\]])", r"\1", text)):
        try:
            return json.loads(attempt, strict=False)
        except (ValueError, RecursionError):
            continue
    return None


# --- microdata and RDFa ----------------------------------------------------------------------


def microdata_items(root: Any) -> list[dict[str, Any]]:
    """Top-level microdata items as JSON-LD-shaped dicts."""
    tops = root.xpath("//*[@itemscope][not(@itemprop)]")
    return [_read_item(el, "itemtype", "itemprop", "itemscope") for el in tops]


def rdfa_items(root: Any) -> list[dict[str, Any]]:
    """Top-level RDFa (Lite) typed resources as JSON-LD-shaped dicts."""
    tops = root.xpath("//*[@typeof][not(@property)]")
    return [_read_item(el, "typeof", "property", "typeof") for el in tops]


def _read_item(element: Any, type_attr: str, prop_attr: str, scope_attr: str) -> dict[str, Any]:
    item: dict[str, Any] = {"@type": (element.get(type_attr) or "").split()}
    stack = list(reversed(list(element)))
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str):
            continue
        props = (el.get(prop_attr) or "").split()
        nested = el.get(scope_attr) is not None
        if props:
            value: Any = _read_item(el, type_attr, prop_attr, scope_attr) if nested else _value(el)
            for prop in props:
                name = type_name(prop)
                if name:
                    item.setdefault(name, []).append(value)
        if not nested:
            stack.extend(reversed(list(el)))
    return {k: (v[0] if isinstance(v, list) and len(v) == 1 and k != "@type" else v) for k, v in item.items()}


def _value(el: Any) -> str:
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    if el.get("content") is not None:
        return el.get("content") or ""
    if tag in ("a", "link", "area") and el.get("href"):
        return el.get("href") or ""
    if tag in ("img", "audio", "video", "source", "embed", "iframe") and el.get("src"):
        return el.get("src") or ""
    if tag == "time" and el.get("datetime"):
        return el.get("datetime") or ""
    if tag in ("data", "meter") and el.get("value"):
        return el.get("value") or ""
    return _element_text(el)


def _element_text(element: Any) -> str:
    """The text of an element with ``<br>`` read as a comma: an address in one itemprop."""
    out: list[str] = []
    stack: list[tuple[Any, bool]] = [(element, False)]
    while stack:
        node, closing = stack.pop()
        if closing:
            if node is not element:
                out.append(node.tail or "")
            continue
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if tag in ("", "script", "style"):
            out.append(node.tail or "")
            continue
        if tag == "br":
            out.append(", ")
        out.append(node.text or "")
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    return " ".join("".join(out).split()).strip(" ,")


# --- entities -> Lead fields -----------------------------------------------------------------


def _walk(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every dict in the data whose type is an organization, outermost first."""
    if depth > 12:
        return
    if isinstance(data, list):
        for value in data:
            yield from _walk(value, depth + 1)
    elif isinstance(data, dict):
        if is_organization_type(data.get("@type")):
            yield data
            # an organization's parentOrganization / brand are other companies, not this one
            for key in ("@graph", "mainEntity", "about"):
                if key in data:
                    yield from _walk(data[key], depth + 1)
            return
        for value in data.values():
            if isinstance(value, (dict, list)):
                yield from _walk(value, depth + 1)


def _entities(data: Any, method: str) -> list[Entity]:
    entities = []
    for node in _walk(data):
        fields = entity_fields(node)
        if fields:
            types = node.get("@type")
            kind = type_name(types[0] if isinstance(types, list) and types else types)
            entities.append(Entity(type=kind, method=method, fields=fields, urls=_urls(node)))
    return entities


def entity_fields(node: dict[str, Any]) -> dict[str, Any]:
    """Lead fields of one Organization/LocalBusiness dict (JSON-LD shaped)."""
    fields: dict[str, Any] = {}
    name = _text(node.get("name")) or _text(node.get("legalName")) or _text(node.get("alternateName"))
    if name:
        fields["name"] = name
    _add_list(fields, "phones", node.get("telephone"))
    _add_list(fields, "faxes", node.get("faxNumber"))
    _add_list(fields, "emails", [_strip_mailto(e) for e in _texts(node.get("email"))])
    url = _text(node.get("url"))
    if url and url.startswith(("http://", "https://", "//", "www.")):
        fields["website"] = url
    for address in _as_list(node.get("address")) or _place_addresses(node.get("location")):
        _address_fields(fields, address)
        if "city" in fields or "street" in fields:
            break
    for point in _as_list(node.get("contactPoint")):
        if isinstance(point, dict):
            _add_list(fields, "phones", point.get("telephone"))
            _add_list(fields, "faxes", point.get("faxNumber"))
            _add_list(fields, "emails", [_strip_mailto(e) for e in _texts(point.get("email"))])
    person = _person(node)
    if person:
        fields["contact_name"], title = person
        if title:
            fields["contact_title"] = title
    founded = _text(node.get("foundingDate"))
    year = re.search(r"\b(1[89]\d\d|20\d\d)\b", founded or "")
    if year:
        fields["year_founded"] = int(year.group(1))
    employees = node.get("numberOfEmployees")
    if isinstance(employees, dict):
        employees = employees.get("value") or "-".join(
            str(employees[k]) for k in ("minValue", "maxValue") if employees.get(k) is not None)
    if _text(employees):
        fields["employees"] = _text(employees)
    return fields


def _address_fields(fields: dict[str, Any], address: Any) -> None:
    if isinstance(address, str):
        text = clean_text(address)
        if text and "street" not in fields:
            fields["street"] = text
        return
    if not isinstance(address, dict):
        return
    for prop, key in (("streetAddress", "street"), ("addressLocality", "city"), ("addressRegion", "region"),
                      ("postalCode", "postcode"), ("addressCountry", "country")):
        value = address.get(prop)
        if isinstance(value, dict):
            value = value.get("name") or value.get("@id")
        text = _text(value)
        if text and key not in fields:
            fields[key] = text


def _place_addresses(location: Any) -> list[Any]:
    return [place.get("address") for place in _as_list(location)
            if isinstance(place, dict) and place.get("address")]


def _person(node: dict[str, Any]) -> tuple[str, str | None] | None:
    for prop in _PERSON_PROPS:
        for person in _as_list(node.get(prop)):
            if not isinstance(person, dict):
                continue
            types = [type_name(t) for t in _as_list(person.get("@type"))]
            if prop == "contactPoint" and "Person" not in types:
                continue
            name = _text(person.get("name")) or " ".join(
                filter(None, (_text(person.get("givenName")), _text(person.get("familyName")))))
            if name:
                return name, _text(person.get("jobTitle"))
    return None


def _urls(node: dict[str, Any]) -> list[str]:
    urls = [_text(node.get("url")), _text(node.get("@id"))] + _texts(node.get("sameAs"))
    return [u for u in urls if u]


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if _text(v)), None)
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name")
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    return clean_text(str(value))


def _texts(value: Any) -> list[str]:
    return [t for t in (_text(v) for v in _as_list(value)) if t]


def _strip_mailto(value: str) -> str:
    return value[7:] if value.lower().startswith("mailto:") else value


def _add_list(fields: dict[str, Any], key: str, value: Any) -> None:
    for text in _texts(value) if not isinstance(value, list) else [t for v in value for t in _texts(v)]:
        if text not in fields.setdefault(key, []):
            fields[key].append(text)
    if key in fields and not fields[key]:
        del fields[key]
