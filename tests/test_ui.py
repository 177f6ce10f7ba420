"""The web UI in headless Chromium, the way a monitor meets it, on a desktop (1440 px) and a phone (390 px).

Item by item of issue 17: what changed (home), sources as a reader sees them, events an analyst
can work with, a map with context, timeline and contradictions, search, phone and keyboard, exports,
served like a web app. The store is the demo store of api_demo_data plus a few records written
here: an article with a hostile link and a server path, a story across two years whose events
disagree, one event placed only at country level and one a few kilometres from Aleppo.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from api_demo_data import (
    A1,
    A2,
    A3,
    EV_DEIR,
    STORY,
    TEXT2,
    LiveServer,
    build_store,
    ceasefire,
    events,
    span,
    story,
)

from sitroom.api import ApiSettings, create_app
from sitroom.model import (
    Actor,
    Article,
    ArticleAnalysis,
    Claim,
    Contradiction,
    Event,
    Figure,
    Location,
    Story,
    SummarySentence,
    Violation,
)

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
DESKTOP, PHONE = {"width": 1440, "height": 1000}, {"width": 390, "height": 844}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs /usr/bin/chromium: apt-get install -y chromium"),
]

A_LINK = "010_hostile_link"
TEXT_LINK = (
    "Shelling across the border\n\n"
    "Officials said 4 people were killed when shells fell on a market near Azaz on 20 December.\n\n"
    "The officials repeated on Friday that 4 had died.\n\n"
    "A spokesman for the army said 4 soldiers died; a local monitor counted 6 dead and a resident said 6 were buried.\n\n"
    "By 10 January the monitor said 11 people had been killed in the district since the shelling began."
)
STORY_YEARS = "sty_across_years"
EV_AZAZ, EV_AZAZ2, EV_COUNTRY, EV_NEAR = "evt_azaz_dec", "evt_azaz_jan", "evt_syria_country", "evt_aleppo_quarter"
EV_COUNTRY2, EV_DARAA = "evt_syria_country_2", "evt_daraa_protest"


def _extra_records():
    """An article with a javascript: link and a server path; a story across 2016-2017; a country-level event; a near-Aleppo one."""
    art = Article(A_LINK, TEXT_LINK, title="Shelling across the border", source="Border Monitor", url="javascript:alert(3)",
                  published=date(2017, 1, 10), origin="/home/analyst/private/reports/border.txt", content_hash="h10")
    s4 = span(A_LINK, TEXT_LINK, "4 people were killed")
    s4b = span(A_LINK, TEXT_LINK, "4 soldiers died")
    s6 = span(A_LINK, TEXT_LINK, "counted 6 dead")
    s6b = span(A_LINK, TEXT_LINK, "6 were buried")
    s4c = span(A_LINK, TEXT_LINK, "4 had died")  # the officials again, written another way: named once
    azaz = Location("Azaz", "SY", "Aleppo", 36.586, 37.044, 170017, "city")
    dec = Event(
        id=EV_AZAZ, story_id=STORY_YEARS, event_type="explosions_remote_violence", sub_event_type="shelling_artillery_missile_attack",
        date=date(2016, 12, 20), date_precision="day", location=azaz, actors=(Actor("Military Forces of Turkey", "actor1"),),
        fatalities=Figure(4, 4, 6),
        injured=Figure(),
        claims=(Claim("fatalities", 4, s4, attributed_to="Officials"), Claim("fatalities", 4, s4b, attributed_to="the army"),
                Claim("fatalities", 6, s6, attributed_to="a local monitor"), Claim("fatalities", 6, s6b, attributed_to="a resident"),
                Claim("fatalities", 4, s4c, attributed_to="the officials")),
        contradictions=(Contradiction("fatalities", (4, 4, 6, 6, 4), (0, 1, 2, 3, 4)),),
        sources=(s4,), summary="Shells hit a market near Azaz.", independent_sources=1,
    )
    jan = replace(dec, id=EV_AZAZ2, date=date(2017, 1, 10), fatalities=Figure(11, 11, 11),
                  claims=(Claim("fatalities", 11, span(A_LINK, TEXT_LINK, "11 people had been killed"), attributed_to="the monitor"),),
                  contradictions=(), summary="The monitor's count for the district.")
    country = Event(
        id=EV_COUNTRY, story_id=STORY, event_type="strategic_developments", sub_event_type="agreement", date=date(2016, 9, 9),
        date_precision="day", location=Location("Syria", "SY", None, 35.0, 38.0, 163843, "country"), actors=(),
        fatalities=Figure(), injured=Figure(), claims=(), contradictions=(), sources=(events()[1].sources[0],),
        summary="A nationwide truce was agreed.",
    )
    # Another country-level event of Syria whose centre another gazetteer entry put elsewhere: still one Syria on the map.
    country2 = replace(country, id=EV_COUNTRY2, date=date(2016, 9, 10), location=Location("Syria", "SY", None, 34.8, 38.99, None, "country"),
                       summary="The truce's monitoring centre opened.")
    # A protest in Daraa, south-west of every other place: where the map's legend sits.
    daraa = replace(country, id=EV_DARAA, event_type="protests", sub_event_type="peaceful_protest", date=date(2016, 9, 12),
                    location=Location("Daraa", "SY", "Daraa", 32.6189, 36.1021, None, "city"), summary="A protest in Daraa.")
    near = replace(events()[1], id=EV_NEAR, location=Location("Bustan al-Qasr", "SY", "Aleppo", 36.19, 37.14, None, "city"),
                   date=date(2016, 9, 18), fatalities=Figure(2, 2, 2), claims=(), summary="A shell hit a quarter of Aleppo.")
    years = Story(STORY_YEARS, "Shelling near Azaz through the winter",
                  (SummarySentence("Shelling near Azaz killed between 4 and 6 people in December.", (s4, s6)),), (A_LINK,), (EV_AZAZ, EV_AZAZ2))
    return art, [dec, jan, country, country2, daraa, near], years


@pytest.fixture(scope="module")
def ui_store(tmp_path_factory):
    store = build_store(tmp_path_factory.mktemp("ui") / "ui.db")
    art, extra, years = _extra_records()
    store.save_analyses([ArticleAnalysis(article=art, sentences=(), mentions=(), reports=())])
    base = events()
    main_story = replace(story(), event_ids=story().event_ids + (EV_COUNTRY, EV_COUNTRY2, EV_DARAA, EV_NEAR))
    # An allegation with no count: listed, but neither charted nor in a chart's legend.
    truce = replace(ceasefire(), violations=ceasefire().violations + (
        Violation("Syrian army", "rebel groups", None, None, span(A2, TEXT2, "Syria army declares end of truce")),))
    # A story no event came of: listed under Stories, not on the home page.
    quiet = replace(story(), id="story-council-budget", title="Council debates the water budget", event_ids=(), summary=())
    store.save_results(base + extra, [main_story, years, quiet], [], [truce])
    yield store
    store.close()


@pytest.fixture(scope="module")
def server(ui_store):
    with LiveServer(create_app(ui_store, ApiSettings())) as live:
        yield live


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"],
        )
        yield b
        b.close()


def expect(locator):
    """Playwright's retrying assertion (it waits for the page to settle)."""
    return pytest.importorskip("playwright.sync_api").expect(locator)


def _page(browser, server, viewport):
    ctx = browser.new_context(viewport=viewport)
    pg = ctx.new_page()
    pg.errors, pg.dialogs, pg.offsite, pg.requests = [], [], [], []
    pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))
    pg.on("console", lambda msg: pg.errors.append(msg.text) if msg.type == "error" else None)
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    pg.on("request", lambda r: (pg.requests.append(r.url), pg.offsite.append(r.url) if not r.url.startswith((server.url, "data:")) else None))
    return ctx, pg


@pytest.fixture
def page(browser, server):
    ctx, pg = _page(browser, server, DESKTOP)
    yield pg
    ctx.close()


@pytest.fixture(params=["desktop", "phone"])
def any_page(request, browser, server):
    ctx, pg = _page(browser, server, DESKTOP if request.param == "desktop" else PHONE)
    pg.kind = request.param
    yield pg
    ctx.close()


@pytest.fixture
def phone(browser, server):
    ctx, pg = _page(browser, server, PHONE)
    yield pg
    ctx.close()


def shot(pg, name: str, full: bool = True) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / name), full_page=full)


def no_sideways_scroll(pg) -> None:
    width = pg.viewport_size["width"]
    assert pg.evaluate("document.documentElement.scrollWidth") <= width, f"{pg.url} scrolls sideways at {width} px"


# -- 1. what changed ---------------------------------------------------------------------------


def test_ui_home_shows_what_changed_by_arrival(any_page, server):
    pg = any_page
    pg.goto(server.url + "/")
    pg.locator(".headline li").first.wait_for()
    lines = pg.locator(".headline li")
    assert 1 <= lines.count() <= 5
    for i in range(lines.count()):
        assert lines.nth(i).locator("a.cite").count() >= 1, "every top-line sentence cites its sources"
    # Each citation names its article by outlet and title, and the top line lists them by number, as the brief does.
    listed = pg.locator("ol.cited-sources li")
    assert listed.count() >= 1
    texts = listed.all_inner_texts()
    assert all(t.startswith(f"[{n}] ") and "unknown outlet" not in t for n, t in enumerate(texts, 1)), texts
    assert any("Reuters · US, Russia say Syria's truce not dead" in t and "· 2016-10-01" in t for t in texts), texts
    cites = pg.locator(".headline li a.cite")
    for i in range(cites.count()):
        n, label = int(cites.nth(i).inner_text().strip("[]")), cites.nth(i).get_attribute("aria-label")
        article = listed.nth(n - 1).locator(".source-line").get_attribute("data-article")
        assert cites.nth(i).get_attribute("href") == f"#/article/{article}" and label.startswith("source: ") and article not in label
    meta = pg.locator("main .meta").first.inner_text()
    assert "Reports that arrived" in meta and "new events" in meta
    assert pg.locator("#h-new").text_content().startswith("New events (")
    # New contradictions: each value once, with who claims it (never "4 vs 4 vs 6 vs 6").
    azaz = pg.locator("ul.contra li", has=pg.locator(f"a[href='#/event/{EV_AZAZ}']")).inner_text()
    assert "4 (Officials, the army)" in azaz and "6 (a local monitor, a resident)" in azaz and azaz.count("vs") == 1, azaz
    assert "Air/drone strike" in pg.locator("table.events").first.inner_text()  # ACLED's label, not air_drone_strike
    pg.wait_for_selector("#map .map-marker")
    no_sideways_scroll(pg)
    shot(pg, "home.png" if pg.kind == "desktop" else "mobile-home.png")
    pg.locator(".headline li a.cite").first.click()
    pg.wait_for_selector("main .article-text")
    assert not pg.errors, pg.errors


# -- 2. sources as a reader sees them -----------------------------------------------------------


def test_ui_sources_show_outlet_title_date_and_only_safe_links(any_page, server):
    page = any_page
    page.goto(f"{server.url}/#/event/{EV_DEIR}")
    page.wait_for_selector("text=Claims (3)")
    rows = page.locator("tbody tr[data-class]")
    assert rows.count() == 3
    first = rows.first.inner_text()
    assert "Reuters" in first and "US, Russia say Syria's truce not dead" in first and "2016-10-01" in first
    assert page.locator("tbody tr[data-class] a.original").first.get_attribute("href") == "https://example.org/a1"
    assert page.locator("[data-corroboration='contested']").count() >= 1
    # Its story by title, linked; its kind by ACLED's label.
    story_link = page.locator("dl.facts a.story-link")
    assert story_link.inner_text() == "Syria truce collapses after Deir ez-Zor strike" and story_link.get_attribute("href") == f"#/story/{STORY}"
    assert "Explosions/Remote violence › Air/drone strike" in page.locator("dl.facts").inner_text()
    # Filter the claims by the class of their source.
    page.select_option("select[name=source_class]", "monitor")
    assert rows.count() == 1 and "Syrian Observatory for Human Rights" in rows.first.inner_text()
    page.select_option("select[name=source_class]", "party")
    assert rows.count() == 2
    no_sideways_scroll(page)
    if page.kind == "desktop":
        shot(page, "event.png")
    # A javascript: URL is text, never a link; the server's path is never shown.
    page.goto(f"{server.url}/#/article/{A_LINK}")
    page.wait_for_selector("text=Shelling across the border")
    main = page.locator("main")
    assert "javascript:alert(3)" in main.inner_text()
    assert main.locator("a[href^='javascript']").count() == 0 and page.locator("a[href^='javascript']").count() == 0
    assert "/home/analyst" not in page.content() and "Border Monitor" in main.inner_text()
    # A story lists its articles, each with its outlet.
    page.goto(f"{server.url}/#/story/{STORY}")
    page.wait_for_selector("#h-articles")
    articles = page.locator("ul.articles li")
    assert articles.count() == 3 and "AFP" in articles.first.inner_text()
    assert page.dialogs == [] and not page.errors, page.errors


# -- 3. events an analyst can work with ----------------------------------------------------------


def test_ui_events_newest_first_filters_sorting_and_export(any_page, server):
    page = any_page
    page.goto(f"{server.url}/#/events")
    page.wait_for_selector("table.events tbody tr")
    dates = page.locator("table.events tbody tr td:first-child").all_inner_texts()
    dated = [d for d in dates if d != "undated"]
    assert dated == sorted(dated, reverse=True) and dates[-1] == "undated", dates  # newest first, undated last
    page.wait_for_selector("#map .map-marker")
    no_sideways_scroll(page)
    if page.kind == "desktop":
        shot(page, "events.png")
    # Killed, highest first, on a click of its header.
    page.locator("button.sort[data-sort=killed]").click()
    killed = [int(x.split()[0]) for x in page.locator("table.events tbody tr td:nth-child(6)").all_inner_texts() if x.strip()[0].isdigit()]
    assert killed == sorted(killed, reverse=True)
    # Filters: country by name, contested only, minimum killed, sub-type.
    page.fill("input[name=country]", "Syria")
    page.check("input[name=contested]")
    page.fill("input[name=min_fatalities]", "5")
    page.select_option("select[name=sub_type]", "air_drone_strike")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r".*contested=true.*"))
    expect(page.locator("table.events tbody tr")).to_have_count(1)
    assert page.locator(f"tr[data-event='{EV_DEIR}']").count() == 1
    href = page.locator("a[data-format=csv]").get_attribute("href")
    assert "country=Syria" in href and "contested=true" in href and "min_fatalities=5" in href and "sub_type=air_drone_strike" in href
    csv_text = page.request.get(server.url + href).text()
    assert [r["event_id_cnty"] for r in csv.DictReader(io.StringIO(csv_text))] == [EV_DEIR]  # the export is the filtered set
    api = page.request.get(server.url + href.replace("/api/export/events", "/api/events").replace("format=csv", "limit=100")).json()
    assert [e["id"] for e in api["items"]] == [EV_DEIR]
    # A story filter and a date range.
    page.goto(f"{server.url}/#/events?story={STORY_YEARS}&since=2017-01-01")
    expect(page.locator(f"tr[data-event='{EV_AZAZ2}']")).to_have_count(1)
    assert page.locator("table.events tbody tr").count() == 1
    assert not page.errors, page.errors


# -- 4. the map gives context ---------------------------------------------------------------------


def test_ui_map_has_labels_legend_country_shapes_clusters_and_names(page, server):
    page.goto(f"{server.url}/#/story/{STORY}")
    page.wait_for_selector("#map .map-marker")
    m = page.locator("#map")
    legend = page.locator("#map details.map-legend")
    assert legend.get_attribute("open") is not None and "Size: killed" in legend.inner_text()  # open on a desktop
    # No marker starts hidden under the legend: the view is fitted to the part of the map beside it.
    key = legend.bounding_box()
    boxes = page.locator("#map .map-marker").evaluate_all("ms => ms.map(m => m.getBoundingClientRect().toJSON())")
    under = [b for b in boxes if b["x"] < key["x"] + key["width"] and key["x"] < b["x"] + b["width"]
             and b["y"] < key["y"] + key["height"] and key["y"] < b["y"] + b["height"]]
    assert boxes and not under, (key, under)
    assert page.locator("#map .leaflet-tooltip.place-label").count() >= 2  # the busiest places are named
    # Syria itself, not a dot on Damascus; drawn once for its two country-level events, whatever their centroids.
    assert page.locator("#map path.country-level-shape").count() == 1
    assert float(page.locator("#map path.country-level-shape").get_attribute("fill-opacity")) <= 0.1  # a tint, not a blot
    # The country's mark: a small square, not a circle, never bigger than the smallest place marker.
    mark = page.locator("#map .country-mark")
    assert "(country level): 2 events" in mark.get_attribute("aria-label") and mark.locator("path, circle").count() == 0
    dots = [b["width"] for b in page.locator("#map path.map-marker").evaluate_all("ps => ps.map(p => p.getBoundingClientRect().toJSON())")]
    assert dots and mark.bounding_box()["width"] <= min(dots), (mark.bounding_box(), dots)
    names = [page.locator("#map .map-marker").nth(i).get_attribute("aria-label") for i in range(page.locator("#map .map-marker").count())]
    assert any(n and n.startswith("Deir ez-Zor") and "contested" in n for n in names), names
    # Aleppo and a quarter 2 km away are one numbered cluster until zoomed in.
    cluster = page.locator("#map .cluster")
    assert cluster.count() == 1 and cluster.inner_text() == "2"
    cluster.click()
    expect(cluster).to_have_count(0, timeout=5000)
    # Keyboard: Tab to a marker, Enter opens its popup.
    marker = page.locator("#map .map-marker[aria-label^='Deir ez-Zor']")
    marker.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-popup-content >> text=event details")
    # Opening the source panel narrows the map, and Leaflet redraws for the new width.
    before = int(m.get_attribute("data-width"))
    page.locator(f"tr[data-event='{EV_DEIR}'] button.fig[data-field=fatalities]").click()
    page.locator("#source-body mark").wait_for()
    after = int(m.get_attribute("data-width"))
    assert after < before and after == m.evaluate("n => n.clientWidth")
    # The view stays on the data: zooming out stops at the world.
    for _ in range(12):
        page.locator(".leaflet-control-zoom-out").click()
    assert float(m.get_attribute("data-zoom")) >= 1.5
    assert not page.errors, page.errors
    assert not page.offsite, f"the map fetched off-site: {page.offsite}"


def test_ui_map_draws_admin1_outlines_when_zoomed_in(page, server):
    page.goto(f"{server.url}/#/story/{STORY}")
    page.wait_for_selector('#map[data-admin1~="SY"]')  # Syria's provinces fetched (its events are there)
    outlines, map_node = page.locator("#map path.admin1"), page.locator("#map")
    zoom = float(map_node.get_attribute("data-zoom"))
    assert zoom >= 5 and outlines.count() > 0, "a story in one region opens zoomed in, provinces shown"
    for step in range(1, 4):
        page.locator(".leaflet-control-zoom-out").click()
        expect(map_node).to_have_attribute("data-zoom", f"{zoom - step:g}")
    expect(outlines).to_have_count(0)
    for step in range(2, -1, -1):
        page.locator(".leaflet-control-zoom-in").click()
        expect(map_node).to_have_attribute("data-zoom", f"{zoom - step:g}")
    expect(outlines.first).to_be_attached()
    assert outlines.count() >= 10, "Syria has 14 governorates: most should be outlined"
    assert not page.errors, page.errors


def test_ui_world_map_is_fetched_once(page, server):
    for hash_ in ("#/", f"#/story/{STORY}", "#/events", f"#/story/{STORY_YEARS}"):
        page.goto(f"{server.url}/{hash_}") if hash_ == "#/" else page.evaluate(f"location.hash = {hash_!r}")
        page.wait_for_selector("#map .map-marker")
    assert sum("countries-light.json" in u for u in page.requests) == 1, [u for u in page.requests if "countries" in u]


# -- 5. timeline and contradictions ------------------------------------------------------------------


def test_ui_timeline_and_contradictions(any_page, server):
    page = any_page
    page.goto(f"{server.url}/#/story/{STORY_YEARS}")
    page.wait_for_selector(".chart svg")
    assert page.locator("h1 .span-years").inner_text() == "2016–2017"
    assert "2017" in page.locator(".chart .year-label").all_text_contents()
    ticks = page.locator(".chart .axis text.tick").all_text_contents()
    assert any("2016" in t for t in ticks) and any("2017" in t for t in ticks), ticks
    item = page.locator("ul.contra li").first.inner_text()
    assert "4 (Officials, the army)" in item and "6 (a local monitor, a resident)" in item and item.count("vs") == 1, item
    page.goto(f"{server.url}/#/event/{EV_AZAZ}")
    page.wait_for_selector("text=Claims (5)")
    item = page.locator("ul.contra li").first.inner_text()
    assert "4 (Officials, the army)" in item and "6 (a local monitor, a resident)" in item and item.count("vs") == 1, item
    page.locator("ul.contra li button.fig", has_text="6").click()  # a value opens the sentences that state it
    page.locator("#source-body mark").wait_for()
    assert page.locator("#source-body .claims-list li").count() == 2
    page.keyboard.press("Escape")
    page.locator("ul.contra li button.fig", has_text="4").click()  # "the officials" named once, their sentence still there
    expect(page.locator("#source-body .claims-list li")).to_have_count(3)
    page.goto(f"{server.url}/#/story/{STORY}")
    dot = page.locator(f'circle.dot[data-event="{EV_DEIR}"]')
    dot.wait_for()
    dot.click()
    page.locator("#source-body mark").wait_for()
    assert "62" in page.locator("#source-body mark").inner_text()
    if page.kind == "desktop":
        shot(page, "story.png")
    # A running total and one day's count are not drawn on one axis.
    page.goto(f"{server.url}/#/ceasefires")
    page.wait_for_selector("text=September 2016 Syria ceasefire")
    titles = page.locator(".chart h3").all_inner_texts()
    assert titles == ["Violations alleged per report (a day or the span it names)", "Running totals alleged since the truce began"]
    assert page.locator(".chart svg").count() == 2
    # Each party keeps its colour on both charts (Russia's per-report count, the Rebels' running total).
    legends = page.locator(".chart .legend [data-party]")
    assert legends.evaluate_all("ls => ls.map(l => [l.dataset.party, l.querySelector('.swatch').className])") == [
        ["Russia", "swatch s0"], ["Rebels", "swatch s1"]]  # the Syrian army alleged no count: in the table only
    assert "Syrian army" in page.locator(".panel table").first.inner_text()
    fills = [page.locator(".chart svg").nth(i).locator("circle").first.get_attribute("fill") for i in range(2)]
    assert fills[0] != fills[1]
    # The y axes count in round steps: 0, 10, 20, 30, 40 for a count of 32 (not quarters of 50 shown as 13 and 38).
    for i in range(2):
        ys = [int(t) for t in page.locator(".chart svg").nth(i).locator(".axis text[text-anchor=end]").all_text_contents()]
        assert ys[0] == 0 and all(b - a == ys[1] for a, b in zip(ys, ys[1:])), ys
    assert [int(t) for t in page.locator(".chart svg").first.locator(".axis text[text-anchor=end]").all_text_contents()] == [0, 10, 20, 30, 40]
    page.get_by_role("button", name="199").click()
    page.locator("#source-body mark", has_text="violated the truce 199 times").wait_for()
    no_sideways_scroll(page)
    if page.kind == "desktop":
        shot(page, "ceasefires.png")
    assert not page.errors, page.errors


# -- 6. search that forgives spelling -------------------------------------------------------------


def test_ui_search_finds_other_spellings_with_date_and_place(any_page, server):
    pg = any_page
    pg.goto(f"{server.url}/#/search?q=Dayr%20az%20Zawr")
    pg.wait_for_selector("table.hits tr")
    event_row = pg.locator("table.hits tr[data-kind=event]").first
    assert "2016-09-17" in event_row.inner_text() and "Deir ez-Zor" in event_row.inner_text()
    no_sideways_scroll(pg)
    if pg.kind == "desktop":
        shot(pg, "search.png")
    pg.goto(f"{server.url}/#/search?q=cease-fire")
    pg.wait_for_selector("table.hits tr")
    assert pg.locator("table.hits tr").count() >= 1
    assert not pg.errors, pg.errors


# -- 7. phone and keyboard -------------------------------------------------------------------------


@pytest.mark.parametrize("hash_", ["#/", "#/stories", f"#/story/{STORY}", f"#/event/{EV_DEIR}", "#/events", "#/contradictions",
                                   "#/ceasefires", f"#/article/{A1}", "#/rejections", "#/about"])
def test_ui_phone_never_scrolls_sideways(phone, server, hash_):
    phone.goto(f"{server.url}/{hash_}")
    phone.wait_for_selector("main h1")
    phone.wait_for_timeout(300)
    no_sideways_scroll(phone)
    assert not phone.errors, phone.errors


def test_ui_phone_source_panel_is_a_bottom_sheet_and_charts_are_readable(phone, server):
    phone.goto(f"{server.url}/#/story/{STORY}")
    phone.wait_for_selector(".chart svg")
    sizes = phone.locator(".chart .axis text").evaluate_all(
        "ts => ts.map(t => { const m = t.getScreenCTM(); return parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b); })")
    assert min(sizes) >= 10, f"chart text shrinks to {min(sizes):.1f}px on a phone"
    shot(phone, "mobile-story.png")
    phone.locator(f"tr[data-event='{EV_DEIR}'] button.fig[data-field=fatalities]").click()
    phone.locator("#source-body mark").wait_for()
    box = phone.locator("#source").bounding_box()
    assert box["width"] == 390 and abs(box["y"] + box["height"] - 844) < 2 and box["height"] < 844 * 0.7  # a sheet at the bottom
    no_sideways_scroll(phone)
    shot(phone, "mobile-source.png", full=False)
    phone.locator("#source-close").click()
    assert phone.locator("#source").is_hidden()


def test_ui_phone_map_legend_folds_and_dates_stay_on_one_line(phone, server):
    phone.goto(f"{server.url}/#/events")
    phone.wait_for_selector("#map .map-marker")
    legend = phone.locator("#map details.map-legend")
    assert legend.get_attribute("open") is None and legend.bounding_box()["height"] < 30  # folded: the map stays visible
    legend.locator("summary").click()
    expect(legend).to_have_attribute("open", "")
    assert "Size: killed" in legend.inner_text()
    cells = phone.locator("table.events td.date")
    assert cells.count() >= 3
    lines = cells.evaluate_all("cs => cs.map(c => [getComputedStyle(c).whiteSpace, c.querySelector('a').getClientRects().length])")
    assert all(ws == "nowrap" and n == 1 for ws, n in lines), lines
    assert not phone.errors, phone.errors


def test_ui_skip_link_moves_focus_without_breaking_the_page(page, server):
    page.goto(f"{server.url}/#/events")
    page.wait_for_selector("table.events")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "view"
    assert page.url.endswith("#/events") and page.locator("table.events").count() == 1  # the page stays
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "none"  # no stray frame round the content
    page.keyboard.press("Tab")
    focused = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focused != "none", "the next control shows where the keyboard is"
    assert not page.errors, page.errors


# -- the basics: a figure to its sentence, hostile text, docs, about ----------------------------------


def test_ui_story_list_to_highlighted_source(page, server):
    page.goto(server.url + "/#/stories")
    link = page.get_by_role("link", name="Syria truce collapses after Deir ez-Zor strike")
    link.wait_for()
    shot(page, "stories.png", full=False)
    link.click()
    page.wait_for_selector(".leaflet-interactive")
    page.wait_for_selector("text=Contradictions (1)")
    page.locator(f'tr[data-event="{EV_DEIR}"] button.fig[data-field="fatalities"]').click()
    mark = page.locator("#source-body mark")
    mark.wait_for()
    assert mark.inner_text() == "at least 62 Syrian soldiers were killed"
    assert "Russia's military" in page.locator("#source-body").inner_text()
    assert "Reuters" in page.locator("#source-body .source-line").inner_text()
    shot(page, "source-highlight.png", full=False)
    page.get_by_role("button", name="fatalities: 90 — Syrian Observatory for Human Rights").click()
    page.locator("#source-body mark", has_text="90 soldiers were killed").wait_for()
    assert not page.errors, page.errors
    assert not page.offsite, f"the UI fetched off-site: {page.offsite}"


def test_ui_article_markup_shows_as_text(page, server):
    page.goto(f"{server.url}/#/article/{A3}")
    page.wait_for_selector("text=<img src=x onerror=alert(2)>")
    body = page.locator("main").inner_text()
    assert "<script>alert(1)</script>" in body
    assert page.locator("main script, main img").count() == 0
    page.goto(f"{server.url}/#/events")
    page.wait_for_selector("text=Rebel groups <script>")
    page.wait_for_timeout(300)
    assert page.dialogs == []
    assert not page.errors, page.errors


def test_ui_api_docs_render_offline(page, server):
    page.goto(server.url + "/docs")
    page.get_by_text("/api/events", exact=True).first.wait_for(timeout=15000)
    assert not page.offsite, f"/docs fetched off-site: {page.offsite}"
    assert not [e for e in page.errors if "Content Security Policy" in e], page.errors


def test_ui_about_page_credits_the_data(page, server):
    page.goto(f"{server.url}/#/about")
    text = page.locator("ul.attributions").inner_text()
    assert ("Place data: Who's On First (https://whosonfirst.org/, licence https://whosonfirst.org/docs/licenses/), including data "
            "from GeoNames (https://www.geonames.org/, CC BY 4.0).") in text
    assert "Actor dictionaries: Phoenix / PETRARCH2 (Open Event Data, MIT licence)." in text


def test_home_lists_only_stories_with_events_and_the_stories_page_lists_all(page, server):
    page.goto(server.url + "/#/")
    home = page.locator("section[aria-labelledby=h-stories]")
    home.locator("a.story-link").first.wait_for()
    assert "Syria truce collapses after Deir ez-Zor strike" in home.inner_text()
    assert "Council debates the water budget" not in home.inner_text()
    page.goto(server.url + "/#/stories")
    page.get_by_text("Council debates the water budget").wait_for()
