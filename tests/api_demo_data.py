"""A small real SQLite store of the September 2016 Syria truce collapse, built from model objects.

Shared by the API, server, export, brief and UI tests. Every claim's span is found in its
article's text, so highlighting and tracing are tested on real offsets.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sitroom.model import (
    Actor,
    ActorKind,
    Article,
    ArticleAnalysis,
    Ceasefire,
    Claim,
    Contradiction,
    DuplicateGroup,
    Event,
    Figure,
    Location,
    Rejection,
    SourceSpan,
    Story,
    SummarySentence,
    Violation,
)
from sitroom.store import open_store
from sitroom.store.base import Store

A1 = "000_dfa8b9e320b93668"
A2 = "002_5a31d23e92dabe35"
A3 = "004_hostile"
STORY = "sty_truce2016"
EV_DEIR = "evt_deir_airstrike"
EV_CONVOY = "evt_aleppo_convoy"
EV_UNDATED = "evt_idlib_clash"

TEXT1 = (
    "US, Russia say Syria's truce not dead; more meetings planned\n\n"
    "Russia's military has said that it was told by the Syrian army that at least 62 Syrian soldiers were killed "
    "in the Deir el-Zour air raid and more than 100 wounded.\n\n"
    "The UN on Tuesday suspended all aid convoy movements in Syria after 18 of its trucks were destroyed and an "
    "estimated 21 people were killed in an air attack near Aleppo.\n\n"
    "Russia said it had recorded 32 ceasefire violations by rebel groups on Sunday."
)
TEXT2 = (
    "Syria army declares end of truce\n\n"
    "The Syrian Observatory for Human Rights said 90 soldiers were killed in the coalition strikes near Deir ez-Zor "
    "airport on Saturday.\n\n"
    "Rebels said government forces had violated the truce 199 times since it began."
)
TEXT3 = (
    "Hostile page <script>alert(1)</script> test\n\n"
    "A report said <script>alert(1)</script> 3 people were killed in clashes near Idlib <img src=x onerror=alert(2)>."
)


def span(article_id: str, text: str, needle: str, sentence_of: str | None = None) -> SourceSpan:
    """The span of `needle` in `text`, with the paragraph holding it as the sentence."""
    start = text.index(needle)
    para_start = text.rfind("\n", 0, start) + 1
    para_end = text.find("\n", start)
    para_end = len(text) if para_end == -1 else para_end
    return SourceSpan(article_id, start, start + len(needle), text[para_start:para_end])


def articles() -> list[Article]:
    """The three articles: two real-looking reports and one carrying markup."""
    return [
        Article(A1, TEXT1, title="US, Russia say Syria's truce not dead; more meetings planned", source="Reuters",
                url="https://example.org/a1", published=date(2016, 10, 1), content_hash="h1"),
        Article(A2, TEXT2, title="Syria army declares end of truce", source="AFP", url="https://example.org/a2",
                published=date(2016, 9, 19), content_hash="h2"),
        Article(A3, TEXT3, title="Hostile page <script>alert(1)</script> test", source="Unknown <b>outlet</b>",
                published=date(2016, 9, 21), content_hash="h3"),
    ]


def events() -> list[Event]:
    """Three events: a contradicted air strike, the convoy attack, and an undated place-only clash."""
    c62 = Claim("fatalities", 62, span(A1, TEXT1, "at least 62 Syrian soldiers were killed"), qualifier="at least",
                attributed_to="Russia's military", text="at least 62")
    c100 = Claim("injured", 100, span(A1, TEXT1, "more than 100 wounded"), qualifier="more than",
                 attributed_to="Russia's military", text="more than 100")
    c90 = Claim("fatalities", 90, span(A2, TEXT2, "90 soldiers were killed"),
                attributed_to="Syrian Observatory for Human Rights", text="90")
    c21 = Claim("fatalities", 21, span(A1, TEXT1, "an estimated 21 people were killed"), qualifier="about",
                attributed_to="United Nations", text="an estimated 21")
    c3 = Claim("fatalities", 3, span(A3, TEXT3, "3 people were killed"), text="3")
    deir = Event(
        id=EV_DEIR, story_id=STORY, event_type="explosions_remote_violence", sub_event_type="air_drone_strike",
        date=date(2016, 9, 17), date_precision="day",
        location=Location("Deir ez-Zor", "SY", "Deir ez-Zor", 35.336, 40.141, 170794, "city"),
        actors=(Actor("Military Forces of the United States", "actor1", ("US-led coalition",)),
                Actor("Military Forces of Syria", "actor2", ("Syrian army", "Syrian soldiers"))),
        fatalities=Figure(62, 62, 90), injured=Figure(100, 100, None), claims=(c62, c100, c90),
        contradictions=(Contradiction("fatalities", (62, 90), (0, 2)),),
        sources=(c62.source, c90.source), summary="A US-led coalition air strike hit Syrian army positions near Deir ez-Zor.",
        independent_sources=2, single_source=False, ceasefire_id="cf_sep2016",
    )
    convoy = Event(
        id=EV_CONVOY, story_id=STORY, event_type="explosions_remote_violence", sub_event_type="air_drone_strike",
        date=date(2016, 9, 19), date_precision="day",
        location=Location("Aleppo", "SY", "Aleppo", 36.202, 37.155, 170063, "city"),
        actors=(Actor("Unidentified Military Forces", "actor1"), Actor("Civilians (Syria)", "actor2", ("aid workers",), ActorKind.CIVILIANS)),
        fatalities=Figure(21, 21, 21), injured=Figure(), claims=(c21,), contradictions=(),
        sources=(c21.source,), summary="An air attack destroyed 18 UN aid trucks near Aleppo.",
    )
    undated = Event(
        id=EV_UNDATED, story_id=STORY, event_type="battles", sub_event_type="armed_clash", date=None,
        date_precision=None, location=Location("Idlib", "SY", "Idlib", None, None, None, "admin1"),
        actors=(Actor("Rebel groups <script>", "actor1"),), fatalities=Figure(3, 3, 3), injured=Figure(),
        claims=(c3,), contradictions=(), sources=(c3.source,), summary="Clashes near Idlib <script>alert(1)</script>.",
    )
    return [deir, convoy, undated]


def story() -> Story:
    """The truce-collapse story with a cited two-sentence summary."""
    ev = events()
    return Story(
        id=STORY,
        title="Syria truce collapses after Deir ez-Zor strike",
        summary=(
            SummarySentence("A coalition air raid near Deir ez-Zor killed between 62 and 90 Syrian soldiers.",
                            (ev[0].claims[0].source, ev[0].claims[2].source)),
            SummarySentence("An air attack near Aleppo destroyed 18 UN aid trucks and killed about 21 people.",
                            (ev[1].claims[0].source,)),
        ),
        article_ids=(A1, A2, A3),
        event_ids=(EV_UNDATED, EV_CONVOY, EV_DEIR),
    )


def ceasefire() -> Ceasefire:
    """The September 2016 truce with violations alleged by each side."""
    return Ceasefire(
        id="cf_sep2016", name="September 2016 Syria ceasefire", parties=("Russia", "United States"),
        announced=date(2016, 9, 9), in_force_from=date(2016, 9, 12), ended=date(2016, 9, 19), ended_by="Syrian army",
        violations=(
            Violation("Russia", "rebel groups", 32, date(2016, 9, 18), span(A1, TEXT1, "32 ceasefire violations")),
            Violation("Rebels", "government forces", 199, date(2016, 9, 19), span(A2, TEXT2, "violated the truce 199 times")),
        ),
        sources=(span(A2, TEXT2, "Syria army declares end of truce"),),
        event_ids=(EV_DEIR,),
    )


def build_store(path: Path) -> Store:
    """A migrated SQLite store at `path` holding the demo articles and fused records."""
    store = open_store(str(path))
    analyses = [ArticleAnalysis(article=a, sentences=(), mentions=(), reports=()) for a in articles()]
    store.save_analyses(analyses, [Rejection("bad.bin", "undecodable", "binary file; convert it to text")])
    dup = DuplicateGroup("near", (SourceSpan(A1, 62, 100, "Russia's military has said …"), SourceSpan(A2, 33, 60, "SOHR said …")))
    store.save_results(events(), [story()], [dup], [ceasefire()])
    return store


class LiveServer:
    """A real uvicorn server for an app on 127.0.0.1 and a free port, run in a thread."""

    def __init__(self, app) -> None:
        import socket

        import uvicorn

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"))
        self.thread = None

    def __enter__(self) -> "LiveServer":
        import threading
        import time

        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start within 15 s")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
