"""Keyword sets: translation backends and their fallbacks, review, round-trip editing, the crawl plan."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from pipeline.keyword_edit import (
    apply_proposals,
    dump_document,
    load_document,
    pending_terms,
    propose,
    set_review,
    write_document,
)
from pipeline.keywords import Origin, Review, excluded_by, load_keywords, terms_for
from pipeline.translate import (
    GLOSSARY,
    GlossaryTranslator,
    HttpTranslator,
    TranslationCache,
    TranslatorChain,
)

KEYWORDS = """\
# Keyword sets of the marketing team. Do not remove this comment.
sets:
  valves:  # industrial valves, our best line
    description: valves
    terms:
      en: [ball valve, gate valve]
      de: [Kugelhahn]
    negative: [toy, plastic toy]
  phones:
    terms:
      en-US: [cell phone]
      en-GB: [mobile phone]
"""

GLOSSARY_CSV = """\
category,en,zh,fr,de,it,pt,es,en-US,en-GB,pt-BR,pt-PT,es-ES,es-MX
valves,ball valve,球阀,vanne à boule,Kugelhahn,valvola a sfera,válvula de esfera,válvula de bola,,,,,,
valves,gate valve,闸阀,robinet-vanne,Absperrschieber,saracinesca,válvula de gaveta,válvula de compuerta,,,,,,
phones,mobile phone,手机,téléphone portable,Handy,cellulare,telemóvel,teléfono móvil,cell phone,mobile phone,celular,telemóvel,móvil,celular
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    keywords = tmp_path / "keywords.yaml"
    keywords.write_text(KEYWORDS, encoding="utf-8")
    glossary = tmp_path / "glossary.csv"
    glossary.write_text(GLOSSARY_CSV, encoding="utf-8")
    return keywords, glossary


class FakeLibreTranslate(BaseHTTPRequestHandler):
    """A LibreTranslate stand-in on 127.0.0.1: upper-cases, counts calls."""

    calls: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server API
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeLibreTranslate.calls.append(body)
        answer = {"translatedText": f"{body['q'].upper()} ({body['target']})"}
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def translate_server():
    FakeLibreTranslate.calls = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLibreTranslate)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join()


def test_glossary_first_with_regional_variants(files: tuple[Path, Path]) -> None:
    _, glossary = files
    g = GlossaryTranslator(glossary)
    assert g.translate("ball valve", "en", "zh") == "球阀"
    assert g.translate("Kugelhahn", "de", "fr") == "vanne à boule"
    assert g.translate("mobile phone", "en", "pt-BR") == "celular"
    assert g.translate("mobile phone", "en", "pt-PT") == "telemóvel"
    assert g.translate("mobile phone", "en", "pt") == "telemóvel"
    assert g.translate("cell phone", "en-US", "es-MX") == "celular"
    assert g.translate("unknown thing", "en", "de") is None


def test_machine_fallback_is_cached_and_never_overwrites_human_terms(files, translate_server, tmp_path) -> None:
    keywords_path, glossary = files
    cache = TranslationCache(tmp_path / "cache.json")
    chain = TranslatorChain([GlossaryTranslator(glossary), HttpTranslator(translate_server)], cache)
    keywords = load_keywords(keywords_path)
    proposals = propose(keywords, chain, sets=["valves"], languages=["de", "zh", "ja"])
    by_lang = {(p.language, p.term): p for p in proposals}
    assert ("de", "Kugelhahn") not in by_lang, "de has a human term: nothing is proposed for it"
    assert by_lang[("zh", "球阀")].origin == Origin.GLOSSARY
    assert by_lang[("ja", "BALL VALVE (ja)")].origin == Origin.MACHINE
    assert len(FakeLibreTranslate.calls) == 2, "only what the glossary lacks goes to the service"
    cache.save()
    again = TranslatorChain([GlossaryTranslator(glossary),
                             HttpTranslator(translate_server)], TranslationCache(tmp_path / "cache.json"))
    propose(keywords, again, sets=["valves"], languages=["ja"])
    assert len(FakeLibreTranslate.calls) == 2, "answers are cached: nothing is asked twice"


def test_unreachable_service_gives_nothing_not_an_error(files) -> None:
    _, glossary = files
    chain = TranslatorChain([GlossaryTranslator(glossary), HttpTranslator("http://127.0.0.1:9", timeout=2)])
    assert chain.translate("widget", "en", "ja") is None


def test_argos_backend_when_installed() -> None:
    pytest.importorskip("argostranslate.translate", reason="Argos Translate is an optional extra: "
                        "pip install argostranslate and its language models to enable it")
    from pipeline.translate import ArgosTranslator

    assert ArgosTranslator().translate("hello", "en", "xx") is None, "no model for that pair: no answer"


def test_round_trip_keeps_comments_and_order(files, translate_server, tmp_path) -> None:
    keywords_path, glossary = files
    chain = TranslatorChain([GlossaryTranslator(glossary), HttpTranslator(translate_server)])
    document = load_document(keywords_path)
    apply_proposals(document, propose(load_keywords(keywords_path), chain, languages=["zh", "ja"]))
    write_document(keywords_path, document)
    text = keywords_path.read_text(encoding="utf-8")
    assert text.startswith("# Keyword sets of the marketing team. Do not remove this comment.")
    assert "valves:  # industrial valves, our best line" in text
    assert text.index("valves:") < text.index("phones:")
    assert "{term: 球阀, origin: glossary, review: accepted}" in text
    assert "origin: machine, review: pending" in text
    reloaded = load_keywords(keywords_path)  # still valid config
    zh = [t.term for t in reloaded.sets["valves"].terms["zh"]]
    assert zh == ["球阀", "闸阀"]
    assert [t.term for t in terms_for(reloaded, ["ja"])] == [], "pending machine terms are not crawled"


def test_review_accept_reject_edit(files, translate_server) -> None:
    keywords_path, glossary = files
    chain = TranslatorChain([HttpTranslator(translate_server)])
    document = load_document(keywords_path)
    apply_proposals(document, propose(load_keywords(keywords_path), chain, sets=["valves"], languages=["ja"]))
    first, second = pending_terms(document)
    set_review(document, first, Review.ACCEPTED)
    set_review(document, second, Review.ACCEPTED, new_text="仕切弁")
    write_document(keywords_path, document)
    kw = load_keywords(keywords_path)
    ja = {t.term: (t.origin, t.review) for t in kw.sets["valves"].terms["ja"]}
    assert ja == {"BALL VALVE (ja)": (Origin.MACHINE, Review.ACCEPTED), "仕切弁": (Origin.HUMAN, Review.ACCEPTED)}
    assert pending_terms(load_document(keywords_path)) == []
    assert dump_document(load_document(keywords_path)) == keywords_path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "hit"),
    [("Plastic Toy Valve Co", "plastic toy"), ("Toys R Valves", None), ("Ball Valve Toy Store", "toy"),
     ("Brass Ball Valves", None)],
)
def test_negative_keywords_match_whole_words(text: str, hit: str | None) -> None:
    assert excluded_by(text, ["plastic toy", "toy"]) == hit


def test_the_plan_gives_each_site_only_its_languages(files, project_config: Path) -> None:
    from spiders.plan import crawl_plan
    from spiders.sites import load_sites

    keywords_path, _ = files
    sites = load_sites(project_config, ["yellowpages", "tradeboard"])
    plans = {p.site: p for p in crawl_plan(sites, load_keywords(keywords_path))}
    yp = plans["yellowpages"]
    assert [s.term.term for s in yp.searches] == ["ball valve", "gate valve", "cell phone", "mobile phone"]
    assert yp.searches[0].url.endswith("/search?search_terms=ball+valve&page=1")
    per_term = sites[1].search.max_pages * (1 + sites[1].search.results_per_page)
    assert yp.max_requests == 4 * per_term + 1


def test_shipped_glossary_is_big_enough() -> None:
    g = GlossaryTranslator(GLOSSARY)
    if not g.rows:
        pytest.fail(f"{GLOSSARY} is missing")
    assert len(g.rows) >= 300
    for term in ("led lighting", "industrial valves", "office furniture"):
        assert all(g.translate(term, "en", lang) for lang in ("zh", "fr", "de", "it", "pt", "es")), term


def test_translate_and_review_commands(project_config: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                       translate_server: str) -> None:
    from typer.testing import CliRunner

    from flows.cli import app

    runner = CliRunner()
    monkeypatch.setenv("LEADS_CONFIG_DIR", str(project_config))
    monkeypatch.setenv("LEADS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LEADS_TRANSLATE_URL", translate_server)
    path = project_config / "keywords.yaml"
    before = path.read_text(encoding="utf-8")
    declined = runner.invoke(app, ["keywords", "translate", "--set", "valves", "--lang", "ja,ru"], input="n\n")
    assert declined.exit_code == 1
    assert "+      ja:" in declined.output, "the diff shows what would be added"
    assert path.read_text(encoding="utf-8") == before, "nothing written without a yes"
    done = runner.invoke(app, ["keywords", "translate", "--set", "valves", "--lang", "ja,ru", "--yes"])
    assert done.exit_code == 0, done.output
    assert "2 machine translations (pending review)" in done.output
    reviewed = runner.invoke(app, ["keywords", "review"], input="a\ne\nпромышленная арматура\n")
    assert reviewed.exit_code == 0, reviewed.output
    kw = load_keywords(path)
    assert [(t.term, t.review) for t in kw.sets["valves"].terms["ja"]] == [("INDUSTRIAL VALVES (ja)", Review.ACCEPTED)]
    assert [(t.term, t.origin) for t in kw.sets["valves"].terms["ru"]] == [("промышленная арматура", Origin.HUMAN)]
    plan = runner.invoke(app, ["plan", "--site", "yellowpages", "--set", "valves"])
    assert plan.exit_code == 0 and "industrial valves" in plan.output and "at most" in plan.output
