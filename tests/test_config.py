from pathlib import Path

import pytest

from pipeline.configfile import load_model
from pipeline.errors import ConfigError
from pipeline.grade import GradingRules
from pipeline.keywords import load_keywords, terms_for
from pipeline.paths import PROJECT_ROOT
from spiders.sites import load_site, load_sites

GOOD_SITE = """\
base_url: http://127.0.0.1:8801
languages: [en]
search:
  url: /search?q={keyword}&page={page}
listing:
  item: div.card
  detail_link: a::attr(href)
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def problems(exc: pytest.ExceptionInfo[ConfigError]) -> list[tuple[int | None, str, str]]:
    return [(p.line, p.field, p.message) for p in exc.value.problems]


def test_shipped_config_is_valid() -> None:
    config = PROJECT_ROOT / "config"
    sites = load_sites(config)
    assert {"tradeboard", "yellowpages"} <= {s.name for s in sites}
    kw = load_keywords(config / "keywords.yaml")
    assert terms_for(kw, ["en"]), "the English sites have terms to search"
    load_model(config / "grading.yaml", GradingRules)


def test_site_name_comes_from_the_file(tmp_path: Path) -> None:
    site = load_site(write(tmp_path, "sites/acme.yaml", GOOD_SITE))
    assert site.name == "acme"
    assert site.search_url("led bulb", 2) == "http://127.0.0.1:8801/search?q=led+bulb&page=2"
    assert site.politeness.delay >= 1, "real sites are polite by default"


def test_every_problem_is_reported_with_its_line(tmp_path: Path) -> None:
    text = GOOD_SITE.replace("url: /search?q={keyword}&page={page}", "url: /search?q=led&page={page}")
    text = text.replace("languages: [en]", "languages: english\nlanguage: [en]")
    text += "politeness:\n  delay: soon\n"
    path = write(tmp_path, "sites/bad.yaml", text)
    with pytest.raises(ConfigError) as exc:
        load_site(path)
    found = problems(exc)
    assert (2, "languages", "Input should be a valid list") in found
    assert (3, "language", "unknown key (check the spelling; see the README for the allowed keys)") in found
    assert any(line == 5 and field == "search.url" and "{keyword}" in msg for line, field, msg in found)
    assert any(line == 10 and field == "politeness.delay" for line, field, _ in found)
    assert all(str(path) in str(p) for p in exc.value.problems)


def test_bad_selector_and_unknown_field(tmp_path: Path) -> None:
    text = GOOD_SITE + "detail:\n  fields:\n    phone: p.tel\n    name: 'div[[['\n"
    with pytest.raises(ConfigError) as exc:
        load_site(write(tmp_path, "sites/x.yaml", text))
    fields = {field for _, field, _ in problems(exc)}
    assert "detail.fields.phone" in fields  # "phone" is not a field: "phones" is
    assert "detail.fields.name" in fields


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "sites/broken.yaml", "base_url: http://x\nlanguages: [en\nsearch: {}\n")
    with pytest.raises(ConfigError) as exc:
        load_site(path)
    [(line, field, _)] = problems(exc)
    assert field == "(syntax)" and line is not None and line >= 2


def test_all_files_are_checked_at_once(tmp_path: Path) -> None:
    write(tmp_path, "sites/one.yaml", "languages: [en]\n")
    write(tmp_path, "sites/two.yaml", GOOD_SITE + "enabled: maybe\n")
    write(tmp_path, "sites/ok.yaml", GOOD_SITE)
    with pytest.raises(ConfigError) as exc:
        load_sites(tmp_path)
    files = {Path(p.file).name for p in exc.value.problems}
    assert files == {"one.yaml", "two.yaml"}


def test_environment_variables_fill_addresses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = GOOD_SITE.replace("http://127.0.0.1:8801", "${ACME_URL:-http://127.0.0.1:9}")
    path = write(tmp_path, "sites/acme.yaml", text)
    assert str(load_site(path).base_url) == "http://127.0.0.1:9/"
    monkeypatch.setenv("ACME_URL", "http://127.0.0.1:4321")
    assert str(load_site(path).base_url) == "http://127.0.0.1:4321/"
    write(tmp_path, "sites/nodefault.yaml", GOOD_SITE.replace("http://127.0.0.1:8801", "${NOPE_NOT_SET}"))
    with pytest.raises(ConfigError) as exc:
        load_site(tmp_path / "sites/nodefault.yaml")
    assert any(f == "base_url" and "NOPE_NOT_SET" in m and line == 1 for line, f, m in problems(exc))


def test_keyword_set_without_terms(tmp_path: Path) -> None:
    text = "sets:\n  valves:\n    terms: {}\n  solar:\n    terms:\n      english: [x]\n"
    path = write(tmp_path, "keywords.yaml", text)
    with pytest.raises(ConfigError) as exc:
        load_keywords(path)
    found = problems(exc)
    assert any(f == "sets.valves.terms" and "at least one term" in m and line == 3 for line, f, m in found)
    assert any(f == "sets.solar.terms" and "language tag" in m for _, f, m in found)


def test_terms_follow_language_and_review(tmp_path: Path) -> None:
    path = write(tmp_path, "keywords.yaml", """\
sets:
  phones:
    terms:
      en: [mobile accessories]
      en-US: [cell phone]
      en-GB: [mobile phone]
      de:
        - Handyzubehör
        - {term: Mobiltelefon, origin: machine, review: pending}
        - {term: Handy Hülle, origin: machine, review: accepted}
""")
    kw = load_keywords(path)
    assert [t.term for t in terms_for(kw, ["en-US"])] == ["mobile accessories", "cell phone"]
    assert [t.term for t in terms_for(kw, ["en"])] == ["mobile accessories", "cell phone", "mobile phone"]
    assert [t.term for t in terms_for(kw, ["de"])] == ["Handyzubehör", "Handy Hülle"]
