"""Every kind of bad input the reliability issue lists, mixed with good articles, in one ingest run.

The inputs are made here, at test time, in a temporary folder (the 50 MB text too): nothing
hostile is committed. Each bad input must come out as a stored rejection whose reason says
what was wrong; the good ones must be stored; a store that held articles before the run
must hold them all afterwards, unchanged; and nothing may hang (every fetch has a deadline,
the whole test a timeout).
"""

from __future__ import annotations

import gzip
import json
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import httpx
import pytest

from sitroom.config import Settings
from sitroom.ingest import IngestLimits
from sitroom.ingest.files import read_sources
from sitroom.model import Article, Rejection
from sitroom.runners.local import ingest_items, ingest_sources

from fake_web import Server

pytestmark = pytest.mark.timeout(300)

FIXTURES = Path(__file__).parent / "fixtures"
MB = 1024 * 1024
JSONL_LINES = 10_000
BROKEN_EVERY = 10  # one JSONL line in ten is broken

GOOD_TEXT = (
    "Shelling hits Velmar market\n\n"
    "At least {n} people were killed when shells struck the market in Velmar on Tuesday, local officials said.\n\n"
    "The Ostrin defence ministry denied that its forces had fired on the town and blamed Karvel militias."
)
NON_ENGLISH = {
    "arabic.txt": "قصف على سوق فيلمار\n\nقتل ما لا يقل عن سبعة أشخاص عندما سقطت قذائف على السوق يوم الثلاثاء، حسبما قال مسؤولون محليون.",
    "russian.txt": "Обстрел рынка в Велмаре\n\nПо меньшей мере семь человек погибли во вторник, когда снаряды попали в рынок, сообщили местные власти.",
    "chinese.txt": "韦尔马市场遭炮击\n\n地方官员说，周二炮弹击中市场，造成至少七人死亡。",
    "hindi-rtl-mix.txt": "Velmar market \u202eshelled\u202c — वेलमार बाज़ार पर गोलाबारी\n\nOfficials said seven people were killed; أكد المسؤولون ذلك.",
}
SCRIPT_PAGE = """<!doctype html><html><head><title>Ceasefire holds in Velmar</title>
<script>document.write('SCRIPT-LEAK'); fetch('http://169.254.169.254/')</script><style>p{color:red}</style></head>
<body onload="alert('ONLOAD-LEAK')"><nav>Home | World</nav><article>
<p>The ceasefire between Ostrin and Karvel forces held for a third day in Velmar on Wednesday, monitors said.</p>
<script>alert('INLINE-LEAK')</script><noscript>Enable JavaScript to see the map.</noscript>
<p>Residents returned to the market <img src=x onerror="alert('IMG-LEAK')"> for the first time in weeks.</p>
<p>Monitors said they had recorded no violations since the truce began on Sunday.</p></article></body></html>"""
BILLION_LAUGHS = (FIXTURES / "billion_laughs.xml").read_bytes()
XXE = (FIXTURES / "xxe.xml").read_bytes()

# ----------------------------------------------------------------------------- the network

PUBLIC = "93.184.216.34"


def resolver(host: str, port: int) -> list[str]:
    """A fake DNS: every test host is public except intranet.example.org (a private address)."""
    return ["10.0.0.7"] if host == "intranet.example.org" else [PUBLIC]


def _endless() -> Iterator[bytes]:
    while True:
        yield b"<p>more and more and more</p>" * 1000


def _trickle() -> Iterator[bytes]:
    for _ in range(1000):
        time.sleep(0.05)
        yield b"<p>slow</p>"


def _routes() -> dict[str, callable]:
    """Each route builds a fresh response: a streamed body can be read only once."""
    page = (
        "<html><head><title>Velmar talks</title></head><body><article><p>Negotiators from Ostrin and Karvel met in "
        "Velmar on Thursday to extend the ceasefire by a month, officials said.</p><p>No casualties were reported "
        "along the front line overnight, according to the monitors.</p></article></body></html>"
    ).encode()
    bomb = gzip.compress(b"\0" * 50 * MB)
    return {
        "https://herald.example.org/talks": lambda r: httpx.Response(200, content=page, headers={"content-type": "text/html"}),
        "https://herald.example.org/bomb": lambda r: httpx.Response(
            200, content=iter([bomb]), headers={"content-type": "text/html", "content-encoding": "gzip"}
        ),
        "https://herald.example.org/endless": lambda r: httpx.Response(200, content=_endless(), headers={"content-type": "text/html"}),
        "https://herald.example.org/trickle": lambda r: httpx.Response(200, content=_trickle(), headers={"content-type": "text/html"}),
        "https://herald.example.org/to-metadata": lambda r: httpx.Response(302, headers={"location": "http://169.254.169.254/latest/meta-data/"}),
        "https://herald.example.org/to-intranet": lambda r: httpx.Response(301, headers={"location": "http://intranet.example.org/admin"}),
        "https://herald.example.org/laughs.rss": lambda r: httpx.Response(200, content=BILLION_LAUGHS, headers={"content-type": "application/rss+xml"}),
        "https://herald.example.org/xxe.rss": lambda r: httpx.Response(200, content=XXE, headers={"content-type": "application/rss+xml"}),
        "https://herald.example.org/gone": lambda r: httpx.Response(410),
    }


URL_EXPECTED = {
    "https://herald.example.org/talks": None,  # stored
    "https://herald.example.org/bomb": "decompresses to more than",
    "https://herald.example.org/endless": "too large",
    "https://herald.example.org/trickle": "timed out",
    "https://herald.example.org/to-metadata": "non-public address 169.254.169.254",
    "https://herald.example.org/to-intranet": "non-public address 10.0.0.7",
    "http://169.254.169.254/latest/meta-data/": "non-public address 169.254.169.254",
    "https://herald.example.org/laughs.rss": "refused a feed that declares a DTD",
    "https://herald.example.org/xxe.rss": "refused a feed that declares a DTD",
    "https://herald.example.org/gone": "HTTP 410",
    "ftp://herald.example.org/file.txt": "unsupported URL scheme",
    "file:///etc/passwd": "unsupported URL scheme",
}

# ----------------------------------------------------------------------------- the files


def _broken_line(n: int) -> bytes:
    """A different kind of broken JSONL line for each n."""
    kinds = [
        b'{"id": "cut-' + str(n).encode() + b'", "text": "Shelling killed',  # truncated mid-record
        b"[1, 2, 3]",  # not an object
        b'{"title": "no id", "text": "Shelling killed 3 people."}',
        b'{"id": "no-text-' + str(n).encode() + b'", "title": "only a title"}',
        b'{"id": "empty-' + str(n).encode() + b'", "text": "   "}',
        b'{"id": "nul-' + str(n).encode() + b'", "text": "\x00\x00\x00\x00"}',  # binary bytes in the line
        b'{"id": "deep", "text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",  # nested past the recursion limit
        b"\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6\xf5\xf4\xf3",  # not UTF-8 and not text
        b'{"id": "html-empty-' + str(n).encode() + b'", "html": "<script>only(a, script)</script>"}',
        b"{,}",
    ]
    return kinds[(n // BROKEN_EVERY) % len(kinds)]


def _write_jsonl(path: Path) -> tuple[int, int]:
    """10,000 lines: one in ten broken (ten kinds), the rest three good records repeated; (good, broken)."""
    good = [
        json.dumps({"id": f"jsonl-good-{i}", "title": f"Report {i}", "text": GOOD_TEXT.format(n=20 + i),
                    "published": "2031-03-0" + str(i + 1), "source": "Wire"}).encode()
        for i in range(3)
    ]  # fmt: skip
    broken = 0
    with path.open("wb") as out:
        for n in range(JSONL_LINES):
            if n % BROKEN_EVERY == BROKEN_EVERY - 1:
                out.write(_broken_line(n) + b"\n")
                broken += 1
            else:
                out.write(good[n % 3] + b"\n")
    return JSONL_LINES - broken, broken


def _write_inbox(inbox: Path) -> dict[str, str | None]:
    """The bad (and some good) files; maps each file to the reason expected for it (None: stored)."""
    inbox.mkdir()
    expected: dict[str, str | None] = {}

    def put(name: str, data: bytes, reason: str | None) -> None:
        (inbox / name).write_bytes(data)
        expected[str(inbox / name)] = reason

    put("good-1.txt", GOOD_TEXT.format(n=7).encode(), None)
    put("empty.txt", b"", "empty")
    put("blank.md", b"  \n\n\t \r\n", "empty")
    put("binary.txt", bytes(range(256)) * 64, "binary file")
    put("photo.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(2000), "binary file")
    put("undecodable.txt", bytes(range(0x80, 0x100)) * 40, "could not decode")
    put("bad-bom.txt", b"\xff\xfe\x00\xd8" + b"A\x00", "byte-order mark")
    # Mixed encodings: a UTF-8 paragraph pasted above a cp1252 one; both must come out readable.
    put("mixed-encodings.txt", "Deir ez-Zor – «truce» collapses\n\n".encode()
        + "Le café du marché a été touché – “trois morts”, ont dit les secouristes.\n".encode("cp1252"), None)  # fmt: skip
    put("script.html", SCRIPT_PAGE.encode(), None)
    put("deep.html", ("<html><body><p>A first paragraph about the talks in Velmar on Monday.</p>" + "<div>" * 100_000
                      + "<p>DEEP-TEXT: four people were killed in Velmar on Monday, officials said.</p>"
                      + "</div>" * 100_000 + "</body></html>").encode(), None)  # fmt: skip
    put("laughs.rss", BILLION_LAUGHS, "refused a feed that declares a DTD")
    put("xxe.xml", XXE, "refused a feed that declares a DTD")
    put("not-a-feed.xml", b"<html><body>hello</body></html>", "not an RSS or Atom feed")
    put("broken.json", b'{"id": "x", "text": ', "not valid JSON")
    put("report.pdf", b"%PDF-1.4 ...", "unsupported file type")
    for name, text in NON_ENGLISH.items():
        put(name, text.encode(), None)
    # Removed after the run has listed the folder, before it reads this file (sorted last).
    put("zz-vanishing.txt", GOOD_TEXT.format(n=99).encode(), "disappeared while it was being read")
    # 50 MB of real-looking text: over the 20 MB per-file limit, refused before it is read into memory.
    line = (GOOD_TEXT.format(n=3).replace("\n\n", " ") + "\n").encode()
    with (inbox / "huge.txt").open("wb") as out:
        for _ in range(50 * MB // len(line) + 1):
            out.write(line)
    assert (inbox / "huge.txt").stat().st_size >= 50 * MB
    expected[str(inbox / "huge.txt")] = "too large"
    return expected


def _removing_mid_run(items: Iterable[Article | Rejection], victim: Path) -> Iterator[Article | Rejection]:
    """Pass the items through, deleting `victim` once the run has started reading."""
    for item in items:
        yield item
        victim.unlink(missing_ok=True)


def _snapshot(store) -> dict[str, str]:
    return {a["id"]: a["content_hash"] for a in store.list_articles(limit=10_000).items}


def test_every_kind_of_bad_input_is_skipped_with_its_reason_in_one_run(tmp_path, store):
    settings = Settings(paraphrase=False)
    # A store that already holds work: none of it may be lost.
    before_dir = tmp_path / "before"
    before_dir.mkdir()
    for i in range(2):
        (before_dir / f"earlier-{i}.txt").write_text(GOOD_TEXT.format(n=40 + i).replace("Tuesday", "Friday"), encoding="utf-8")
    ingest_sources([str(before_dir)], store, settings=settings)
    stored_before = _snapshot(store)
    events_before = store.counts()["events"]
    assert len(stored_before) == 2 and events_before >= 1

    expected = _write_inbox(tmp_path / "inbox")
    good_lines, broken_lines = _write_jsonl(tmp_path / "batch.jsonl")
    oversized = tmp_path / "oversized.jsonl"
    oversized.write_bytes(b'{"id": "big", "text": "' + b"x" * (6 * MB) + b'"}\n'
                          + json.dumps({"id": "after-big", "text": GOOD_TEXT.format(n=5)}).encode() + b"\n")  # fmt: skip
    missing = str(tmp_path / "no-such-folder")
    server = Server(_routes())
    sources = [str(tmp_path / "inbox"), str(tmp_path / "batch.jsonl"), str(oversized), missing, *URL_EXPECTED]
    limits = IngestLimits(fetch_timeout=1.0)

    started = time.monotonic()
    items = read_sources(sources, config=limits, transport=httpx.MockTransport(server), resolver=resolver)
    summary = ingest_items(_removing_mid_run(items, tmp_path / "inbox" / "zz-vanishing.txt"), store, settings=settings)
    elapsed = time.monotonic() - started

    reasons: dict[str, list[str]] = {}
    for r in summary.skipped:
        reasons.setdefault(r.origin, []).append(r.reason)

    # Files: each bad one skipped with its reason, each good one stored.
    stored = _snapshot(store)
    for origin, reason in expected.items():
        if reason is None:
            assert origin not in reasons, (origin, reasons.get(origin))
            assert Path(origin).stem in stored, origin
        else:
            assert origin in reasons and reason in reasons[origin][0], (origin, reasons.get(origin))
    assert "no such file or folder" in reasons[missing][0]

    # URLs: nothing fetched from a private address, every hostile response cut off.
    for url, reason in URL_EXPECTED.items():
        if reason is None:
            assert url not in reasons
        else:
            assert url in reasons and reason in reasons[url][0], (url, reasons.get(url))
    assert {httpx.URL(u).host for u in server.seen} == {"herald.example.org"}

    # JSONL: every broken line is one rejection naming its line; the good lines are three articles.
    jsonl_rejections = [o for o in reasons if o.startswith(str(tmp_path / "batch.jsonl") + ":")]
    assert len(jsonl_rejections) == broken_lines == JSONL_LINES // BROKEN_EVERY
    assert all(int(o.rsplit(":", 1)[1]) % BROKEN_EVERY == 0 for o in jsonl_rejections)  # lines 10, 20, ...
    assert {"jsonl-good-0", "jsonl-good-1", "jsonl-good-2"} <= stored.keys()
    assert any("too large: line 1" in r for r in reasons[f"{oversized}:1"])
    assert "after-big" in stored

    # What the good inputs became.
    mixed_article = store.get_article("mixed-encodings")
    assert mixed_article["title"] == "Deir ez-Zor – «truce» collapses"  # the UTF-8 line
    mixed = mixed_article["text"]  # the cp1252 line
    assert mixed.startswith("Le café") and "café du marché a été touché – “trois morts”" in mixed
    script = store.get_article("script")["text"]
    assert "third day in Velmar" in script and "LEAK" not in script and "alert" not in script
    assert "DEEP-TEXT: four people were killed" in store.get_article("deep")["text"]
    for name, text in NON_ENGLISH.items():  # stored as written (they yield few or no events: the model reads English)
        body = store.get_article(Path(name).stem)["text"]
        assert text.split("\n\n")[-1][:20] in body

    # Counts add up: every input is either an article read or a rejection.
    n_files = len(expected) + 1  # + the missing folder
    n_bad_files = sum(1 for r in expected.values() if r) + 1
    assert summary.read == good_lines + 1 + (n_files - n_bad_files) + 1  # jsonl, after-big, files, the URL page
    assert len(summary.skipped) == n_bad_files + broken_lines + 1 + sum(1 for r in URL_EXPECTED.values() if r)
    assert store.counts()["rejections"] == len(summary.skipped)

    # Nothing lost, nothing torn, nothing hung.
    assert {k: stored[k] for k in stored_before} == stored_before
    assert store.counts()["events"] >= events_before
    assert store.integrity_check() == []
    assert elapsed < 240


def test_rerunning_the_bad_inputs_changes_nothing(tmp_path, store):
    settings = Settings(paraphrase=False)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "good.txt").write_text(GOOD_TEXT.format(n=3), encoding="utf-8")
    (inbox / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (inbox / "deep.jsonl").write_bytes(b'{"id": "d", "text": ' + b"[" * 50_000 + b"]" * 50_000 + b"}\n")
    first = ingest_sources([str(inbox)], store, settings=settings)
    snapshot, events = _snapshot(store), store.list_articles(limit=100).items
    second = ingest_sources([str(inbox)], store, settings=settings)
    assert (first.new, second.new, second.unchanged) == (1, 0, 1)
    assert len(first.skipped) == len(second.skipped) == 2
    assert _snapshot(store) == snapshot and store.list_articles(limit=100).items == events
