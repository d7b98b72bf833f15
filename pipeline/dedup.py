"""Entity resolution: which leads are the same company, and what we know of it.

Declarative in the splink manner: records are compared only inside blocks
(shared domain, phone, e-mail, listing URL, or a name token in the same
country); a small set of named rules with thresholds from ``config/dedup.yaml``
decides each pair; accepted pairs are joined by union-find, strongest evidence
first; each cluster becomes one golden :class:`Company` that keeps every lead.

Existing companies from the store take part as records of their own, so a
night's leads join the companies they belong to, and two stored companies are
never merged here (that would rewrite history sales have already seen).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

from pipeline.matching import (
    GENERIC_NAME_TOKENS,
    KIND_PREFIXES,
    RULES,
    ClusterGuard,
    DedupRules,
    MatchInput,
    find_links,
    load_rules,
    name_words,
    phone_line,
    place_words,
    places_of,
)
from pipeline.models import Company, Lead, MatchEvidence
from pipeline.normalize import city_fold, city_key, is_role_email, postcode_key, street_key

__all__ = ["GENERIC_NAME_TOKENS", "Candidates", "DedupResult", "DedupRules", "Record", "build_company",
           "company_keys", "contact_keys", "golden_fields", "golden_of_one", "lead_keys", "load_rules", "main_email",
           "main_phone", "name_blocks", "pick_name", "pick_value", "present_value", "ranked", "record_of_stored",
           "resolve"]


@dataclass
class Record:
    """What matching needs to know of a lead or a stored company."""

    rid: str
    label: str
    name_key: str
    sorted_name: str
    keys: set[str]
    city: str | None
    postcode: str | None
    country: str | None
    domain: str | None
    company_id: int | None = None
    lead_index: int | None = None
    name_tokens: list[str] = field(default_factory=list)
    street: str | None = None  # as written: matching keys it (street_key) only for the pairs that need it
    city_written: str | None = None  # the city folded as written ("munchen"; ``city`` is "munich")


def lead_keys(lead: Lead) -> set[str]:
    """Exact identifying keys of a normalised lead: its listing and :func:`contact_keys`."""
    keys = contact_keys(lead)
    keys.add(f"src:{lead.site}|{lead.listing}")
    return keys


def contact_keys(lead: Lead) -> set[str]:
    """The website domain, phones and e-mails of a lead as keys ("domain:x", "phone:+x", "email:x")."""
    keys = {f"phone:{phone}" for phone in lead.phones}
    keys.update(f"phone:{phone}" for phone in lead.mobiles)
    keys.update(f"email:{email}" for email in lead.emails)
    if lead.domain:
        keys.add(f"domain:{lead.domain}")
    return keys


def company_keys(company: Company) -> set[str]:
    keys: set[str] = set()
    for lead in company.sources:
        keys |= lead_keys(lead)
    if company.domain:
        keys.add(f"domain:{company.domain}")
    keys |= {f"phone:{p}" for p in company.phones}
    keys |= {f"email:{e}" for e in company.emails}
    return keys


def name_blocks(name_key: str, country: str | None) -> set[str]:
    """Name-token blocking keys: each distinctive token, within a country."""
    toks = [t for t in name_key.split() if len(t) > 1 and t not in GENERIC_NAME_TOKENS]
    return {f"nt:{t}|{country or '?'}" for t in toks}


def _record(rid: str, label: str, name_key: str, keys: set[str], city: str | None, postcode: str | None,
            country: str | None, domain: str | None, street: str | None, **extra: int | None) -> Record:
    toks = name_key.split()
    return Record(rid=rid, label=label, name_key=name_key, sorted_name=" ".join(sorted(toks)), keys=keys,
                  city=city_key(city, country), postcode=postcode, country=country, domain=domain,
                  name_tokens=toks, street=street, city_written=city_fold(city), **extra)


def record_of_lead(index: int, lead: Lead) -> Record:
    return _record(f"lead:{index}", f"{lead.site} {lead.listing}", lead.name_key or "", lead_keys(lead),
                   lead.city, lead.postcode, lead.country, lead.domain, lead.street, lead_index=index)


def record_of_company(company: Company) -> Record:
    assert company.id is not None
    return record_of_stored(company.id, company.name_key, company_keys(company), company.city, company.postcode,
                            company.country, company.domain, company.street)


def record_of_stored(company_id: int, name_key: str, keys: set[str], city: str | None, postcode: str | None,
                     country: str | None, domain: str | None, street: str | None) -> Record:
    """A stored company as matching sees it, built from its row and its keys without reading its sources.

    Its postcode is compared by :func:`postcode_key`, so one stored before a
    postcode format was learnt ("1040GL", now "1040 GL") is not elsewhere.
    """
    return _record(f"company:{company_id}", f"company {company_id}", name_key, keys, city, postcode, country,
                   domain, street, company_id=company_id)


@dataclass
class Candidates:
    """Stored companies a batch may belong to: what matching reads of them, and how to get them whole.

    A night's batch of 100,000 leads brings hundreds of thousands of
    candidates, and only the few that a lead joins need their sources (to
    rebuild the golden record); reading every candidate whole would be most
    of the night's time and memory. ``fetch`` returns full companies by id.
    """

    records: list[Record]
    fetch: Callable[[Sequence[int]], list[Company]]
    seconds: dict[str, float] = field(default_factory=dict)  # wall time of each lookup, for benchmarks

    @classmethod
    def of(cls, companies: Sequence[Company]) -> Candidates:
        """Candidates already read whole (tests, small stores)."""
        by_id = {c.id: c for c in companies}
        return cls([record_of_company(c) for c in companies], lambda ids: [by_id[i] for i in ids])

    def __len__(self) -> int:
        return len(self.records)


def match_input(records: Sequence[Record]) -> MatchInput:
    """The columns the match rules read, from records of leads and stored companies."""
    cities, city_names = pd.factorize(pd.Series([r.city or None for r in records], dtype=object))
    key_record: list[int] = []
    key_text: list[str] = []
    for index, r in enumerate(records):
        lines = set()
        for key in r.keys:
            key_record.append(index)
            key_text.append(key)
            if key.startswith("phone:"):
                lines.add("line:" + phone_line(key[6:]))
        for line in lines:
            key_record.append(index)
            key_text.append(line)
    key_code, key_names = pd.factorize(pd.Series(key_text, dtype=object))
    name_key = np.array([r.name_key for r in records] + [None], dtype=object)[:-1]
    word_record, word_code, words = name_words(name_key.tolist())
    return MatchInput(
        name_key=name_key,
        name_code=pd.factorize(name_key)[0].astype(np.int64),
        sorted_name=np.array([r.sorted_name for r in records] + [None], dtype=object)[:-1],
        word_record=word_record, word_code=word_code, words=words,
        city=cities.astype(np.int32),
        city_words=place_words(city_names, cities, [r.city_written for r in records]),
        postcode=_factorized([postcode_key(r.postcode) for r in records]),
        country=_factorized([r.country for r in records]),
        domain=_factorized([r.domain for r in records]),
        street=np.array([r.street or None for r in records] + [None], dtype=object)[:-1],
        street_key=street_key,  # most pairs are decided without their streets: keyed when needed
        stored=np.array([r.company_id is not None for r in records], dtype=bool),
        key_record=np.array(key_record, dtype=np.int64),
        key_code=key_code.astype(np.int64),
        key_kind=np.array([KIND_PREFIXES[k.split(":", 1)[0]] for k in key_names], dtype=np.int8),
        key_names=list(key_names),
    )


def _factorized(values: list[str | None]) -> np.ndarray:
    """Codes of the values, -1 where missing (None or empty)."""
    codes, _ = pd.factorize(pd.Series([v or None for v in values], dtype=object))
    return codes.astype(np.int32)


@dataclass
class DedupResult:
    companies: list[Company]
    new_companies: int
    matched_existing: int
    pairs_compared: int  # candidate pairs scored (one sharing two name words counts twice)
    refused_links: list[MatchEvidence]


def resolve(leads: Sequence[Lead], existing: Sequence[Company] | Candidates, rules: DedupRules) -> DedupResult:
    """Cluster a batch of normalised leads with the stored companies they may belong to.

    Only clusters that contain at least one of ``leads`` are returned; their
    golden records are rebuilt from all their leads, old and new. Stored
    companies are read whole only when a lead joins them.
    """
    candidates = existing if isinstance(existing, Candidates) else Candidates.of(existing)
    records = [record_of_lead(i, lead) for i, lead in enumerate(leads)]
    records += candidates.records
    inp = match_input(records)
    links = find_links(inp, rules)  # counting distinct pairs costs a sort of millions of them
    assert inp.key_names is not None
    ignored = {inp.key_names[k] for k in links.ignored_keys.tolist()}
    guard = ClusterGuard([r.domain or None for r in records], [r.country or None for r in records],
                         [r.company_id for r in records], places_of(inp, rules, links))
    evidence_by_root: dict[int, list[MatchEvidence]] = defaultdict(list)
    kept: list[tuple[int, MatchEvidence]] = []
    refused: list[tuple[int, int, MatchEvidence]] = []
    for n in range(len(links.i)):
        i, j = int(links.i[n]), int(links.j[n])
        a, b = records[i], records[j]
        left, right = sorted((a.label, b.label))
        street = float(links.street[n])
        ev = MatchEvidence(left=left, right=right, rule=RULES[links.rule[n]],
                           shared_keys=sorted((a.keys & b.keys) - ignored),
                           name_score=round(float(links.score[n]), 1), city_match=bool(links.same_city[n]),
                           postcode_match=bool(links.same_postcode[n]),
                           street_score=None if np.isnan(street) else round(street, 1))
        reason = guard.union(i, j, ev.rule)
        if reason is None:
            kept.append((i, ev))
        else:
            refused.append((i, j, ev.model_copy(update={"refused": reason})))
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(records)):
        clusters[guard.find(i)].append(i)
    for i, ev in kept:
        evidence_by_root[guard.find(i)].append(ev)
    # a refused link explains both companies it would have joined ("why are these two apart?")
    apart_by_root: dict[int, list[MatchEvidence]] = defaultdict(list)
    for i, j, ev in refused:
        ri, rj = guard.find(i), guard.find(j)
        if ri != rj:  # other links may have joined them after all: then it explains nothing
            apart_by_root[ri].append(ev)
            apart_by_root[rj].append(ev)
    compared = links.scored

    joined: list[tuple[int, list[Lead], int | None]] = []
    for root, members in sorted(clusters.items()):
        batch = [leads[records[m].lead_index] for m in members if records[m].lead_index is not None]  # type: ignore[index]
        if batch:
            stored_id = next((records[m].company_id for m in members if records[m].company_id is not None), None)
            joined.append((root, batch, stored_id))
    by_id = {c.id: c for c in candidates.fetch(sorted({cid for _, _, cid in joined if cid is not None}))}
    companies: list[Company] = []
    new = matched = 0
    for root, batch, stored_id in joined:
        stored = by_id[stored_id] if stored_id is not None else None
        if stored is None:
            new += 1
        else:
            matched += 1
        company = build_company(batch, stored, rules)
        company.evidence = evidence_by_root.get(root, []) + apart_by_root.get(root, [])
        companies.append(company)
    return DedupResult(companies=companies, new_companies=new, matched_existing=matched,
                       pairs_compared=compared, refused_links=[ev for _, _, ev in refused])


def _as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _order(moment: datetime | int) -> datetime | int:
    """When a value was seen, comparable: a datetime (naive ones read as UTC), or a position."""
    return moment if isinstance(moment, int) else _as_utc(moment)


def _pick(values: Sequence[tuple[object, float, datetime | int]]) -> object | None:
    """Survivorship for one field: most sources agreeing, then most trusted, most complete, newest.

    Each value comes with its source's trust and when it was seen (a datetime,
    or any position that grows with time). Among equals the first listed wins.
    """
    present = [item for item in values if item[0] not in (None, "", [])]
    if not present:
        return None
    first = present[0][0]
    if all(item[0] == first for item in present):
        return first  # one value however many sources: whichever wins, it is this one
    folded = [str(item[0]).casefold() for item in present]
    counts: dict[str, int] = {}
    for f in folded:
        counts[f] = counts.get(f, 0) + 1
    best, best_key = present[0], (counts[folded[0]], present[0][1], len(str(first)), _order(present[0][2]))
    for item, f in zip(present[1:], folded[1:], strict=True):
        key = (counts[f], item[1], len(str(item[0])), _order(item[2]))
        if key > best_key:
            best, best_key = item, key
    return best[0]


def golden_fields(sources: Sequence[Any], trust: Callable[[Any], float]) -> dict[str, object]:
    """The identifying fields of a golden record, chosen from ``sources`` (oldest first).

    ``sources`` are leads, or anything with their attributes; ``trust`` gives
    a source's site trust. Each field is chosen by one of the functions below,
    which :mod:`pipeline.bulkdedup` also calls, field by field, for ``leads dedup``.
    """
    trusts = [trust(le) for le in sources]
    seen = [le.seen_at for le in sources]

    def pick(attr: str) -> object | None:
        return pick_value([getattr(le, attr) for le in sources], trusts, seen)

    domain = pick("domain")
    return {
        "name": pick_name([le.name for le in sources], trusts, seen),
        "legal_form": pick("legal_form"),
        "phone": main_phone(le.phones for le in sources),
        "email": main_email((le.emails for le in sources), domain),
        "website": pick("website"),
        "domain": domain,
        "street": pick("street"),
        "city": pick("city"),
        "postcode": pick("postcode"),
        "country": pick("country"),
    }


def present_value(value: object) -> object | None:
    """The value, or None where it is missing (None, empty text, empty list), as survivorship reads it."""
    return None if value in (None, "", []) else value


def golden_of_one(lead: Any) -> dict[str, object]:
    """:func:`golden_fields` of a single source, without the survivorship machinery."""
    domain = present_value(lead.domain)
    return {
        "name": str(present_value(lead.name)),
        "legal_form": present_value(lead.legal_form),
        "phone": main_phone([lead.phones]),
        "email": main_email([lead.emails], domain),
        "website": present_value(lead.website),
        "domain": domain,
        "street": present_value(lead.street),
        "city": present_value(lead.city),
        "postcode": present_value(lead.postcode),
        "country": present_value(lead.country),
    }


def pick_value(values: Sequence[object], trusts: Sequence[float], seen: Sequence[datetime | int]) -> object | None:
    """One field's value from its sources' values (oldest first): see :func:`_pick`."""
    return _pick(list(zip(values, trusts, seen, strict=True)))


def pick_name(names: Sequence[str], trusts: Sequence[float], seen: Sequence[datetime | int]) -> str:
    """The name, as :func:`pick_value` chooses it, except that capitals count as less trusted.

    Names in capitals are how listings shout, not how the company writes itself.
    """
    return str(_pick([(n, t - (0.3 if n.isupper() else 0), s) for n, t, s in zip(names, trusts, seen, strict=True)]))


def ranked(values: list[str]) -> list[str]:
    """The distinct values, most frequent first, the first seen first among equals."""
    if len(values) < 2 or len(set(values)) == len(values):
        return values
    return [value for value, _ in Counter(values).most_common()]


def main_phone(phone_lists: Iterable[Sequence[str]]) -> str | None:
    """The phone most sources list (the first listed among equals)."""
    phones = ranked([p for phones in phone_lists for p in phones])
    return phones[0] if phones else None


def main_email(email_lists: Iterable[Sequence[str]], domain: object) -> str | None:
    """The best of the sources' e-mails (see :func:`_best_email`) given the chosen website domain."""
    emails = list(dict.fromkeys(e for emails in email_lists for e in emails))
    return _best_email(emails, domain if isinstance(domain, str) else None)


def build_company(new_leads: Sequence[Lead], stored: Company | None, rules: DedupRules) -> Company:
    """The golden record of one cluster: field-level survivorship over every lead."""
    if stored is None and len(new_leads) == 1:
        sources = list(new_leads)
    else:
        by_source: dict[tuple[str, str], Lead] = {}
        for lead in list(stored.sources if stored else []) + list(new_leads):
            old = by_source.get(lead.source_key)
            if old is None or _as_utc(lead.seen_at) >= _as_utc(old.seen_at):
                by_source[lead.source_key] = lead
        sources = sorted(by_source.values(), key=lambda le: (_as_utc(le.seen_at), le.site, le.url))

    def trust(lead: Lead) -> float:
        return rules.site_trust.get(lead.site, rules.default_trust)

    def pick(attr: str) -> object | None:
        return _pick([(getattr(le, attr), trust(le), le.seen_at) for le in sources])

    if len(sources) == 1:  # most of a night's companies: nothing to choose between
        only = sources[0]

        def pick(attr: str) -> object | None:
            return present_value(getattr(only, attr))

        golden = golden_of_one(only)
    else:
        golden = golden_fields(sources, trust)
    name = golden["name"]
    name_keys = ranked([le.name_key for le in sources if le.name_key])
    phones = ranked([p for le in sources for p in le.phones])
    mobiles = ranked([p for le in sources for p in le.mobiles])
    faxes = ranked([p for le in sources for p in le.faxes])
    emails = list(dict.fromkeys(e for le in sources for e in le.emails))
    seen = [_as_utc(le.seen_at) for le in sources]
    company = Company(
        id=stored.id if stored else None,
        name=str(name),
        name_key=name_keys[0] if name_keys else str(name).casefold(),
        legal_form=golden["legal_form"],  # type: ignore[arg-type]
        contact_name=pick("contact_name"),  # type: ignore[arg-type]
        contact_title=pick("contact_title"),  # type: ignore[arg-type]
        phone=golden["phone"],  # type: ignore[arg-type]
        mobile=mobiles[0] if mobiles else None,
        fax=faxes[0] if faxes else None,
        email=golden["email"],  # type: ignore[arg-type]
        website=golden["website"],  # type: ignore[arg-type]
        domain=golden["domain"],  # type: ignore[arg-type]
        street=golden["street"],  # type: ignore[arg-type]
        city=golden["city"],  # type: ignore[arg-type]
        region=pick("region"),  # type: ignore[arg-type]
        postcode=golden["postcode"],  # type: ignore[arg-type]
        country=golden["country"],  # type: ignore[arg-type]
        business_type=pick("business_type"),  # type: ignore[arg-type]
        main_products=list(dict.fromkeys(p for le in sources for p in le.main_products)),
        year_founded=pick("year_founded"),  # type: ignore[arg-type]
        employees=pick("employees"),  # type: ignore[arg-type]
        phones=phones + mobiles,
        emails=emails,
        keyword_sets=sorted({le.keyword_set for le in sources if le.keyword_set}),
        badges=list(dict.fromkeys(b for le in sources for b in le.badges)),
        certifications=list(dict.fromkeys(c for le in sources for c in le.certifications)),
        last_contact_at=stored.last_contact_at if stored else None,
        last_visit_at=stored.last_visit_at if stored else None,
        sites=sorted({le.site for le in sources}),
        first_seen=min(seen + ([_as_utc(stored.first_seen)] if stored and stored.first_seen else [])),
        last_seen=max(seen),
        status=stored.status if stored else Company.model_fields["status"].default,
        grade=stored.grade if stored else None,
        score=stored.score if stored else None,
        sources=sources,
        evidence=[],
    )
    return company


def _best_email(emails: list[str], domain: str | None) -> str | None:
    """A person at the company's own domain beats a role box, which beats anything else."""
    if not emails:
        return None

    def rank(email: str) -> tuple[int, int]:
        at_domain = bool(domain) and email.endswith("@" + domain)  # type: ignore[operator]
        return (0 if at_domain else 1, 1 if is_role_email(email) else 0)

    return min(emails, key=rank)

