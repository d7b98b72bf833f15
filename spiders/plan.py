"""The crawl plan: which terms each site is searched with, the URLs, and the most it can cost.

Marketers check it before the night (``leads plan``): a site only gets terms
in its own languages, and the request budget is the worst case (every
search fills every allowed page, every result is a new detail page).
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.keywords import KeywordsFile, SearchTerm, terms_for
from spiders.sites import SiteConfig


@dataclass(frozen=True)
class PlannedSearch:
    term: SearchTerm
    url: str


@dataclass(frozen=True)
class SitePlan:
    site: str
    languages: list[str]
    searches: list[PlannedSearch]
    max_requests: int

    @property
    def empty(self) -> bool:
        return not self.searches


def plan_site(site: SiteConfig, keywords: KeywordsFile, sets: list[str] | None = None) -> SitePlan:
    terms = terms_for(keywords, site.languages, sets)
    searches = [PlannedSearch(term, site.search_url(term.term, site.search.first_page)) for term in terms]
    per_term = site.search.max_pages * (1 + site.search.results_per_page)
    return SitePlan(site=site.name, languages=site.languages, searches=searches,
                    max_requests=len(searches) * per_term + (1 if site.politeness.obey_robots else 0))


def crawl_plan(sites: list[SiteConfig], keywords: KeywordsFile, sets: list[str] | None = None) -> list[SitePlan]:
    return [plan_site(site, keywords, sets) for site in sites if site.enabled]
