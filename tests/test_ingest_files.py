"""Tests for sitroom.ingest.files: files, folders, JSONL, stdin, limits and the corpus end to end."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from datetime import date
from pathlib import Path

import httpx
import pytest

from sitroom.errors import ConfigError
from sitroom.ingest import IngestLimits
from sitroom.ingest.files import read_sources
from sitroom.ingest.sources import url_article_id
from sitroom.model import Article, Rejection

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = (Path(__file__).parents[1] / "../shared/corpus/seeds").resolve()


def read(*sources: str, **kwargs) -> list[Article | Rejection]:
    kwargs.setdefault("config", IngestLimits())
    return list(read_sources(list(sources), **kwargs))


def only(results: list) -> Article | Rejection:
    assert len(results) == 1, results
    return results[0]


def test_read_txt_file_gives_article_with_contract_id_title_date_and_hash():
    article = only(read(str(FIXTURES / "karvel_report.txt")))
    assert isinstance(article, Article)
    assert article.id == "karvel_report"
    assert article.title == "Ostrin and Karvel trade blame as truce frays; talks set for Monday"
    assert article.published == date(2031, 3, 4)
    assert article.origin == str(FIXTURES / "karvel_report.txt")
    assert article.content_hash == hashlib.sha256(article.text.encode("utf-8")).hexdigest()


def test_rereading_gives_equal_articles():
    sources = [str(FIXTURES / "karvel_report.txt"), str(FIXTURES / "articles.jsonl"), str(FIXTURES / "page.html")]
    assert read(*sources) == read(*sources)


def test_read_html_file():
    article = only(read(str(FIXTURES / "page.html")))
    assert isinstance(article, Article)
    assert article.id == "page"
    assert article.title == "Karvel residents flee as shelling intensifies"
    assert "SCRIPT-LEAK" not in article.text


def test_jsonl_broken_line_in_the_middle_does_not_stop_the_rest():
    results = read(str(FIXTURES / "articles.jsonl"))
    path = str(FIXTURES / "articles.jsonl")
    assert [r.id if isinstance(r, Article) else r.origin for r in results] == [
        "karvel-001", "karvel-002", f"{path}:3", f"{path}:4", "karvel-004", f"{path}:6", "karvel-006",
    ]  # fmt: skip
    first, second, broken, no_id, html_article, empty, bad_date = results
    assert first.title == "Mortar fire hits Karvel market"
    assert first.published == date(2031, 3, 1)
    assert first.source == "Example News"
    assert first.url == "https://news.example.org/karvel-market?utm_source=rss"
    assert first.text.startswith("Mortar fire hit the central market")
    assert second.published == date(2031, 3, 2) and second.title is None and second.source is None
    assert broken.reason.startswith("line 3 is not valid JSON:")
    assert "fix or remove that line" in broken.reason
    assert '"id"' in no_id.reason
    assert html_article.title == "Ostrin talks"
    assert "prisoners" in html_article.text and "SCRIPT-LEAK" not in html_article.text
    assert empty.reason.startswith("empty")
    assert bad_date.published is None  # an unreadable date stays unknown; the article is kept


def test_stdin_is_jsonl():
    lines = [
        {"id": "s1", "text": "Shelling hit Karvel on Monday, officials said."},
        {"id": "s2", "html": "<p>Talks opened in Velmar on Tuesday.</p>"},
    ]
    stream = io.BytesIO(("\n".join(json.dumps(x) for x in lines) + "\n{oops\n").encode())
    results = read("-", stdin=stream)
    assert [r.id for r in results[:2]] == ["s1", "s2"]
    assert results[0].origin == "<stdin>:1"
    assert isinstance(results[2], Rejection) and results[2].origin == "<stdin>:3"


def test_binary_file_is_rejected(tmp_path):
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    rejection = only(read(str(path)))
    assert isinstance(rejection, Rejection)
    assert rejection.reason.startswith("binary file")
    assert rejection.origin == str(path)


def test_invalid_utf8_that_looks_like_text_is_read_as_cp1252(tmp_path):
    path = tmp_path / "legacy.txt"
    path.write_bytes("Karvel caf\xe9 hit\n\nThe \x93old\x94 market in Karvel was shelled on Monday.".encode("latin-1"))
    article = only(read(str(path)))
    assert isinstance(article, Article)
    assert article.title == "Karvel café hit"
    assert "“old”" in article.text


def test_undecodable_bytes_are_rejected(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(range(0x80, 0x100)) * 8 + b"Karvel")
    rejection = only(read(str(path)))
    assert isinstance(rejection, Rejection)
    assert "could not decode" in rejection.reason and "UTF-8" in rejection.reason


def test_utf16_with_bom_and_utf8_with_bom(tmp_path):
    (tmp_path / "a.txt").write_bytes("Ostrin talks\n\nTalks opened in Velmar.".encode("utf-16"))
    (tmp_path / "b.txt").write_bytes("\ufeffOstrin talks\n\nTalks opened in Velmar.".encode("utf-8"))
    a, b = read(str(tmp_path))
    assert a.title == b.title == "Ostrin talks"
    assert a.text == b.text == "Talks opened in Velmar."


@pytest.mark.parametrize("content", [b"", b"   \n\n  ", b"Share\n\nAdvertisement\n"])
def test_empty_file_is_rejected(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    rejection = only(read(str(path)))
    assert isinstance(rejection, Rejection)
    assert rejection.reason.startswith("empty")


def test_oversized_file_is_rejected(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("Shelling hit Karvel. " * 100)
    rejection = only(read(str(path), config=IngestLimits(max_bytes=100)))
    assert rejection.reason.startswith("too large")
    assert "max_bytes" in rejection.reason


def test_oversized_jsonl_line_is_rejected_and_the_next_line_read(tmp_path):
    path = tmp_path / "many.jsonl"
    big = json.dumps({"id": "big", "text": "Karvel. " * 200})
    small = json.dumps({"id": "small", "text": "Talks opened in Velmar."})
    path.write_text(big + "\n" + small + "\n")
    first, second = read(str(path), config=IngestLimits(max_jsonl_line=300))
    assert isinstance(first, Rejection) and first.reason.startswith("too large: line 1")
    assert first.origin == f"{path}:1"
    assert second.id == "small"


def test_folder_is_read_recursively_in_stable_order_skipping_hidden_files(tmp_path):
    for rel in ["b/z.txt", "b/a.txt", "a.txt", "a/c/deep.md", ".hidden.txt", ".git/config.txt", "Z.txt"]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Report {path.stem}\n\nShelling hit Karvel on Monday, {rel} said.")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    results = read(str(tmp_path))
    names = [r.origin.replace(str(tmp_path) + "/", "") for r in results]
    assert names == ["Z.txt", "a.txt", "a/c/deep.md", "b/a.txt", "b/z.txt", "notes.pdf"]
    assert isinstance(results[-1], Rejection)
    assert results[-1].reason.startswith("unsupported file type '.pdf'")
    assert read(str(tmp_path)) == results


def test_file_removed_mid_run_is_a_rejection(tmp_path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text("Karvel report\n\nShelling hit Karvel on Monday.")
    results = read_sources([str(tmp_path)], config=IngestLimits())
    first = next(results)
    assert isinstance(first, Article)
    (tmp_path / "b.txt").unlink()
    second = next(results)
    assert isinstance(second, Rejection)
    assert "disappeared" in second.reason


def test_missing_path_and_unsupported_scheme_are_rejections(tmp_path):
    missing, ftp = read(str(tmp_path / "nope.txt"), "ftp://example.org/feed")
    assert missing.reason.startswith("no such file or folder")
    assert "unsupported URL scheme" in ftp.reason


def test_json_file_with_a_list_of_records(tmp_path):
    path = tmp_path / "batch.json"
    path.write_text(json.dumps([{"id": "j1", "text": "Karvel was shelled on Monday."}, {"text": "no id"}]))
    article, rejection = read(str(path))
    assert article.id == "j1"
    assert rejection.origin == f"{path}[1]"


def test_local_feed_file_is_read_without_fetching_links():
    results = read(str(FIXTURES / "feed_rss2.xml"))
    assert all(isinstance(r, Article) for r in results)
    first, second = results
    assert first.id == url_article_id("https://herald.example.org/karvel/shelling")
    assert "SCRIPT-LEAK" not in first.text
    assert second.text == "Ostrin says militias fired first."


def test_url_source_goes_through_web_and_feed_detection():
    page = (FIXTURES / "page.html").read_bytes()
    feed = (FIXTURES / "feed_atom.xml").read_bytes()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/feed":
            return httpx.Response(200, content=gzip.compress(feed), headers={"content-type": "application/xml", "content-encoding": "gzip"})
        return httpx.Response(200, content=page, headers={"content-type": "text/html; charset=utf-8"})

    results = read(
        "https://herald.example.org/story",
        "https://wire.example.net/feed",
        transport=httpx.MockTransport(handler),
        resolver=lambda host, port: ["93.184.216.34"],
    )
    assert [type(r) for r in results] == [Article, Article, Article]
    assert results[0].id == url_article_id("https://herald.example.org/story")
    assert results[1].title == "Velmar monitors count 31 violations"


def test_ingest_limits_are_validated():
    with pytest.raises(ConfigError):
        IngestLimits(max_bytes=0)
    with pytest.raises(ConfigError):
        IngestLimits(fetch_timeout=-1)


@pytest.mark.corpus
def test_corpus_seeds_are_read_cleanly():
    if not SEEDS.is_dir():
        pytest.skip(f"corpus seeds not found at {SEEDS}")
    articles = read(str(SEEDS))
    assert len(articles) == 5 and all(isinstance(a, Article) for a in articles)
    by_id = {a.id[:3]: a for a in articles}
    assert by_id["000"].title == "US, Russia say Syria's truce not dead; more meetings planned"
    assert by_id["001"].title == "US, Russia fail to revive Syrian truce"
    assert by_id["002"].title == "Russia rejects Kerry’s idea of grounding Russian, Syrian planes – RIA"
    assert by_id["003"].title == "United States to Russia: No joint Syrian operations if aid can’t get through"
    assert by_id["004"].title == "Russia Rejects Kerry Demand to Ground All Planes in Syria"
    assert by_id["000"].published == date(2016, 10, 1)
    for article in articles:
        lines = article.text.split("\n")
        assert "Share" not in lines and "Advertisement" not in lines
        assert not any(line.startswith("Video:") for line in lines)
        assert article.text.split("\n\n")[-1].rstrip().endswith((".", "”", '"'))
        assert "\n\n\n" not in article.text
    for headline in (
        "Fighting on several fronts puts Syria ceasefire in grave jeopardy",
        "Russia Says Coalition Drone Was in Area When Syria Aid Convoy",
        "A United States F16 plane",
        "John Kerry says negotiations for Syrian ceasefire at an impasse",
    ):
        assert all(headline not in a.text for a in articles)
    # Real sentences survive, including the short and the off-topic ones.
    assert "Rebels have held the city since 2012." in by_id["001"].text
    assert "Assad appears as uncompromising as ever." in by_id["003"].text
    assert by_id["000"].text.endswith("have already ratified the deal.")
    assert read(str(SEEDS)) == articles
