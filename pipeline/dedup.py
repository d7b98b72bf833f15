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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz

from pipeline.configfile import load_model
from pipeline.models import Company, Lead, MatchEvidence
from pipeline.normalize import city_key, is_role_email, street_key

# Words too common in company names to make a useful block on their own.
GENERIC_NAME_TOKENS = frozenset({
    "and", "of", "the", "company", "group", "international", "industrial", "industries",
    "industry", "trading", "trade", "manufacturing", "manufacturer", "technology", "supply",
    "supplies", "products", "product", "import", "export", "enterprise", "enterprises",
    "global", "china", "usa", "america", "american", "new", "co", "services", "service",
    "systems", "solutions", "equipment", "imp", "exp", "factory", "works", "limited",
})


class DedupRules(BaseModel):
    """Thresholds of the match rules; the defaults work without labelled data."""

    model_config = ConfigDict(extra="forbid")

    name_with_domain: float = Field(50, ge=0, le=100, description="name score needed beside a shared website domain")
    name_with_email: float = Field(50, ge=0, le=100, description="name score needed beside a shared e-mail")
    name_with_phone: float = Field(60, ge=0, le=100, description="name score needed beside a shared phone")
    name_with_place: float = Field(90, ge=0, le=100, description="name score needed when only city or postcode agree")
    street_match: float = Field(90, ge=0, le=100, description="street score that counts as the same place")
    street_conflict: float = Field(50, ge=0, le=100, description="street score below which places differ")
    max_block_size: int = Field(200, ge=2, description="blocks larger than this are skipped as uninformative")
    max_names_per_key: int = Field(
        4, ge=1, description="a phone or e-mail shared by more distinct names is a switchboard or agency, not evidence"
    )
    site_trust: dict[str, float] = Field(default_factory=dict, description="site -> trust 0..1 for survivorship")
    default_trust: float = Field(0.5, ge=0, le=1)


def load_rules(path: Path) -> DedupRules:
    return load_model(path, DedupRules) if path.exists() else DedupRules()


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
    street: str | None = None


def lead_keys(lead: Lead) -> set[str]:
    """Exact identifying keys of a normalised lead."""
    keys = {f"src:{lead.site}|{lead.listing}"}
    if lead.domain:
        keys.add(f"domain:{lead.domain}")
    for phone in lead.phones + lead.mobiles:
        keys.add(f"phone:{phone}")
    for email in lead.emails:
        keys.add(f"email:{email}")
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
                  city=city_key(city), postcode=postcode, country=country, domain=domain,
                  name_tokens=toks, street=street_key(street), **extra)


def record_of_lead(index: int, lead: Lead) -> Record:
    return _record(f"lead:{index}", f"{lead.site} {lead.listing}", lead.name_key or "", lead_keys(lead),
                   lead.city, lead.postcode, lead.country, lead.domain, lead.street, lead_index=index)


def record_of_company(company: Company) -> Record:
    assert company.id is not None
    return _record(f"company:{company.id}", f"company {company.id}", company.name_key, company_keys(company),
                   company.city, company.postcode, company.country, company.domain, company.street,
                   company_id=company.id)


@dataclass(frozen=True)
class Context:
    """What a comparison needs beyond the pair: keys to ignore, words too common to count."""

    ignored_keys: frozenset[str] = frozenset()
    common_tokens: frozenset[str] = frozenset()


def distinctive(record: Record, common: frozenset[str]) -> list[str]:
    """The words of a name that tell companies apart.

    "Hangzhou Lianfa Knitting & Weaving" and "Hangzhou Meiling Knitting &
    Weaving" look 90% alike letter by letter; without the city and the trade
    words only "lianfa" and "meiling" remain, and those differ.
    """
    place = set((record.city or "").split())
    return [t for t in record.name_tokens
            if t not in GENERIC_NAME_TOKENS and t not in common and t not in place]


def name_score(a: Record, b: Record, common: frozenset[str]) -> float:
    """Token-sorted similarity of the whole names, capped by that of their distinctive words.

    Both must agree: the whole name tells "Qiangsheng Solar" from "Qiangsheng
    Lighting" (same distinctive word, different trade), the distinctive words
    tell "Lianfa Knitting" from "Meiling Knitting" (same trade, different name).
    """
    whole = float(fuzz.ratio(a.sorted_name, b.sorted_name))
    da, db = distinctive(a, common), distinctive(b, common)
    if da and db:
        return min(whole, float(fuzz.ratio(" ".join(sorted(da)), " ".join(sorted(db)))))
    return whole


def common_tokens(records: Sequence[Record], share: float = 0.01, floor: int = 5) -> frozenset[str]:
    """Name words used by more than ``share`` of the records (and more than ``floor``)."""
    df: Counter[str] = Counter()
    for r in records:
        df.update(set(r.name_tokens))
    limit = max(floor, share * len(records))
    return frozenset(t for t, n in df.items() if n > limit)


def _phones(record: Record) -> set[str]:
    return {k for k in record.keys if k.startswith("phone:")}


def compare(a: Record, b: Record, rules: DedupRules, ctx: Context = Context()) -> MatchEvidence | None:
    """Decide one pair. Returns the evidence when the rules say "same company"."""
    shared = sorted((a.keys & b.keys) - ctx.ignored_keys)
    score = name_score(a, b, ctx.common_tokens)
    same_city = bool(a.city and a.city == b.city)
    same_post = bool(a.postcode and a.postcode == b.postcode)
    street = float(fuzz.ratio(a.street, b.street)) if a.street and b.street else None

    def evidence(rule: str) -> MatchEvidence:
        left, right = sorted((a.label, b.label))
        return MatchEvidence(left=left, right=right, rule=rule, shared_keys=shared,
                             name_score=round(score, 1), city_match=same_city, postcode_match=same_post,
                             street_score=round(street, 1) if street is not None else None)

    if any(k.startswith("src:") for k in shared):
        return evidence("same_listing")
    if a.country and b.country and a.country != b.country:
        return None
    kinds = {k.split(":", 1)[0] for k in shared}
    domain_conflict = bool(a.domain and b.domain and a.domain != b.domain)
    if "domain" in kinds and score >= rules.name_with_domain:
        return evidence("same_domain")
    if domain_conflict:
        return None
    if "email" in kinds and score >= rules.name_with_email:
        return evidence("same_email")
    if "phone" in kinds and score >= rules.name_with_phone:
        return evidence("same_phone")
    phone_conflict = bool(_phones(a) and _phones(b) and not (_phones(a) & _phones(b)))
    same_street = street is not None and street >= rules.street_match
    street_conflict = street is not None and street < rules.street_conflict
    if (score >= rules.name_with_place and (same_city or same_post or same_street)
            and not phone_conflict and not street_conflict):
        return evidence("similar_name_same_place")
    return None


class _UnionFind:
    """Union-find with a guard against chaining unrelated companies.

    Links are applied strongest first. A link is refused when the two
    clusters it would join already contradict each other: each holds a
    stored company, or they have different website domains (unless the link
    itself is that domain), or different countries. So a switchboard number
    or an agency's e-mail shared by two firms cannot pull their clusters
    together once each cluster knows its own domain.
    """

    def __init__(self, records: Sequence[Record]):
        self.parent = list(range(len(records)))
        self.company = [r.company_id for r in records]
        self.domains: list[frozenset[str]] = [frozenset([r.domain]) if r.domain else frozenset() for r in records]
        self.countries: list[frozenset[str]] = [frozenset([r.country]) if r.country else frozenset()
                                                for r in records]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def conflict(self, ri: int, rj: int, rule: str) -> str | None:
        if self.company[ri] is not None and self.company[rj] is not None:
            return "two stored companies"
        if rule == "same_listing":
            return None
        if self.domains[ri] and self.domains[rj] and not self.domains[ri] & self.domains[rj]:
            return "different website domains"
        if self.countries[ri] and self.countries[rj] and not self.countries[ri] & self.countries[rj]:
            return "different countries"
        return None

    def union(self, i: int, j: int, rule: str = "same_listing") -> str | None:
        """Join the clusters of i and j; return why not when they must stay apart."""
        ri, rj = self.find(i), self.find(j)
        if ri == rj:
            return None
        reason = self.conflict(ri, rj, rule)
        if reason:
            return reason
        self.parent[rj] = ri
        self.company[ri] = self.company[ri] if self.company[ri] is not None else self.company[rj]
        self.domains[ri] |= self.domains[rj]
        self.countries[ri] |= self.countries[rj]
        return None


# Links are applied in this order, and within a tier by name similarity, so
# when a guard must refuse one of two links it refuses the weaker.
_RULE_STRENGTH = {"same_listing": 0, "same_domain": 1, "same_email": 2, "same_phone": 2,
                  "similar_name_same_place": 3}


def overshared_keys(records: Sequence[Record], rules: DedupRules) -> set[str]:
    """Phones and e-mails used by too many different names to identify one company."""
    names: dict[str, set[str]] = defaultdict(set)
    for r in records:
        for k in r.keys:
            if k.startswith(("phone:", "email:")):
                names[k].add(r.name_key)
    return {k for k, n in names.items() if len(n) > rules.max_names_per_key}


def candidate_pairs(records: Sequence[Record], rules: DedupRules) -> Iterable[tuple[int, int]]:
    """Pairs that share at least one block, each once, never two stored companies."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        for k in r.keys | name_blocks(r.name_key, r.country):
            blocks[k].append(i)
    seen: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) < 2 or len(members) > rules.max_block_size:
            continue
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                i, j = members[x], members[y]
                if records[i].company_id is not None and records[j].company_id is not None:
                    continue
                pair = (i, j) if i < j else (j, i)
                if pair not in seen:
                    seen.add(pair)
                    yield pair


@dataclass
class DedupResult:
    companies: list[Company]
    new_companies: int
    matched_existing: int
    pairs_compared: int
    refused_links: list[MatchEvidence]


def resolve(leads: Sequence[Lead], existing: Sequence[Company], rules: DedupRules) -> DedupResult:
    """Cluster a batch of normalised leads with the stored companies they may belong to.

    Only clusters that contain at least one of ``leads`` are returned; their
    golden records are rebuilt from all their leads, old and new.
    """
    records = [record_of_lead(i, lead) for i, lead in enumerate(leads)]
    records += [record_of_company(c) for c in existing]
    ctx = Context(ignored_keys=frozenset(overshared_keys(records, rules)),
                  common_tokens=common_tokens(records))
    accepted: list[tuple[int, int, MatchEvidence]] = []
    compared = 0
    for i, j in candidate_pairs(records, rules):
        compared += 1
        ev = compare(records[i], records[j], rules, ctx)
        if ev is not None:
            accepted.append((i, j, ev))
    accepted.sort(key=lambda t: (_RULE_STRENGTH[t[2].rule], -(t[2].name_score or 0), t[0], t[1]))
    uf = _UnionFind(records)
    evidence_by_root: dict[int, list[MatchEvidence]] = defaultdict(list)
    kept: list[tuple[int, MatchEvidence]] = []
    refused: list[MatchEvidence] = []
    for i, j, ev in accepted:
        reason = uf.union(i, j, ev.rule)
        if reason is None:
            kept.append((i, ev))
        else:
            refused.append(ev.model_copy(update={"refused": reason}))
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(records)):
        clusters[uf.find(i)].append(i)
    for i, ev in kept:
        evidence_by_root[uf.find(i)].append(ev)

    by_id = {c.id: c for c in existing}
    companies: list[Company] = []
    new = matched = 0
    for root, members in sorted(clusters.items()):
        batch = [leads[records[m].lead_index] for m in members if records[m].lead_index is not None]  # type: ignore[index]
        if not batch:
            continue
        stored = next((by_id[records[m].company_id] for m in members if records[m].company_id is not None), None)
        if stored is None:
            new += 1
        else:
            matched += 1
        company = build_company(batch, stored, rules)
        company.evidence = evidence_by_root.get(root, [])
        companies.append(company)
    return DedupResult(companies=companies, new_companies=new, matched_existing=matched,
                       pairs_compared=compared, refused_links=refused)


def _as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _pick(values: list[tuple[object, float, datetime]]) -> object | None:
    """Survivorship for one field: most sources agreeing, then most trusted, most complete, newest."""
    present = [(v, t, s) for v, t, s in values if v not in (None, "", [])]
    if not present:
        return None
    counts = Counter(str(v).casefold() for v, _, _ in present)
    best = max(present, key=lambda item: (counts[str(item[0]).casefold()], item[1],
                                          len(str(item[0])), _as_utc(item[2])))
    return best[0]


def build_company(new_leads: Sequence[Lead], stored: Company | None, rules: DedupRules) -> Company:
    """The golden record of one cluster: field-level survivorship over every lead."""
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

    # Names in capitals are how listings shout, not how the company writes itself.
    name = _pick([(le.name, trust(le) - (0.3 if le.name.isupper() else 0), le.seen_at) for le in sources])
    name_keys = Counter(le.name_key for le in sources if le.name_key)
    phones = Counter(p for le in sources for p in le.phones)
    mobiles = Counter(p for le in sources for p in le.mobiles)
    faxes = Counter(p for le in sources for p in le.faxes)
    emails = list(dict.fromkeys(e for le in sources for e in le.emails))
    domain = pick("domain")
    email = _best_email(emails, domain if isinstance(domain, str) else None)
    seen = [_as_utc(le.seen_at) for le in sources]
    company = Company(
        id=stored.id if stored else None,
        name=str(name),
        name_key=name_keys.most_common(1)[0][0] if name_keys else str(name).casefold(),
        legal_form=pick("legal_form"),  # type: ignore[arg-type]
        contact_name=pick("contact_name"),  # type: ignore[arg-type]
        contact_title=pick("contact_title"),  # type: ignore[arg-type]
        phone=phones.most_common(1)[0][0] if phones else None,
        mobile=mobiles.most_common(1)[0][0] if mobiles else None,
        fax=faxes.most_common(1)[0][0] if faxes else None,
        email=email,
        website=pick("website"),  # type: ignore[arg-type]
        domain=domain,  # type: ignore[arg-type]
        street=pick("street"),  # type: ignore[arg-type]
        city=pick("city"),  # type: ignore[arg-type]
        region=pick("region"),  # type: ignore[arg-type]
        postcode=pick("postcode"),  # type: ignore[arg-type]
        country=pick("country"),  # type: ignore[arg-type]
        business_type=pick("business_type"),  # type: ignore[arg-type]
        main_products=list(dict.fromkeys(p for le in sources for p in le.main_products)),
        year_founded=pick("year_founded"),  # type: ignore[arg-type]
        employees=pick("employees"),  # type: ignore[arg-type]
        phones=[p for p, _ in phones.most_common()] + [p for p, _ in mobiles.most_common()],
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

