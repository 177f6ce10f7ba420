"""The situation brief: a report an analyst can send as is, in Markdown or standalone HTML.

It lists the events of the window by date (place, type, actors, casualty figures with their
ranges and who claims each figure), the contradictions between sources, the state of each
ceasefire with the violations each party alleges, and the sources cited, numbered.

The window is measured back from the brief's "as of" date, which is the newest event date in
the selection (or `as_of` when given): a brief of an archive reads like the brief of that day.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Literal

from sitroom.export import country_name, sub_type_label, type_label
from sitroom.store.base import EventQuery, Store

_PAGE = 500


def _all_events(store: Store, query: EventQuery) -> list[dict]:
    out, offset = [], 0
    while True:
        page = store.query_events(replace(query, limit=_PAGE, offset=offset))
        out.extend(page.items)
        offset += len(page.items)
        if not page.items or offset >= page.total:
            return out


@dataclass
class _Citations:
    """Numbers the articles cited, in order of first citation."""

    store: Store
    numbers: dict[str, int] = field(default_factory=dict)

    def cite(self, article_id: str) -> int:
        if article_id not in self.numbers:
            self.numbers[article_id] = len(self.numbers) + 1
        return self.numbers[article_id]

    def listing(self) -> list[tuple[int, str, dict | None]]:
        return [(n, aid, self.store.get_article(aid)) for aid, n in self.numbers.items()]


def _figure(fig: dict | None) -> str | None:
    """`62 (range 62–90)` for a fused figure, or None when nothing was reported."""
    if not fig or fig.get("best") is None:
        return None
    best, low, high = fig.get("best"), fig.get("low"), fig.get("high")
    if high is not None and low is not None and low != high:
        return f"{best} (reports range {low}–{high})"
    if high is None and low is not None and low != best:
        return f"{best} (at least {low})"
    return str(best)


def _claim_text(claim: dict) -> str:
    """`at least 62, per Russia's military` for one claim."""
    value = claim.get("text") or " ".join(x for x in (claim.get("qualifier"), str(claim["value"])) if x)
    if claim.get("high") is not None and not claim.get("text"):
        value = f"{claim.get('low', claim['value'])}–{claim['high']}"
    who = claim.get("attributed_to")
    return f"{value}, per {who}" if who else f"{value}, unattributed"


def _place(event: dict) -> str:
    loc = event.get("location") or {}
    if not loc:
        return "place not reported"
    parts = [loc.get("name")]
    if loc.get("admin1") and loc.get("admin1") != loc.get("name"):
        parts.append(loc["admin1"])
    if loc.get("country"):
        parts.append(country_name(loc["country"]))
    return ", ".join(p for p in parts if p)


def _actors(event: dict) -> str | None:
    by_role: dict[str, list[str]] = {}
    for actor in event.get("actors") or ():
        by_role.setdefault(actor.get("role", "actor1"), []).append(actor["name"])
    side1 = by_role.get("actor1", []) + by_role.get("assoc_actor_1", [])
    side2 = by_role.get("actor2", []) + by_role.get("assoc_actor_2", [])
    if not side1 and not side2:
        return None
    if side1 and side2:
        return f"{', '.join(side1)} against {', '.join(side2)}"
    return ", ".join(side1 or side2)


@dataclass
class _Doc:
    """A tiny document builder with one Markdown and one HTML rendering."""

    fmt: Literal["md", "html"]
    parts: list[str] = field(default_factory=list)

    def esc(self, text: str) -> str:
        # Markdown passes raw HTML through, so article-borne angle brackets are backslash-escaped there.
        if self.fmt == "html":
            return html.escape(text, quote=True)
        return text.replace("\\", "\\\\").replace("<", "\\<").replace(">", "\\>")

    def heading(self, level: int, text: str) -> None:
        if self.fmt == "md":
            self.parts.append(f"{'#' * level} {self.esc(text)}\n")
        else:
            self.parts.append(f"<h{level}>{self.esc(text)}</h{level}>")

    def para(self, text: str) -> None:
        self.parts.append(f"{self.esc(text)}\n" if self.fmt == "md" else f"<p>{self.esc(text)}</p>")

    def items(self, rows: Iterable[tuple[str, list[str]]]) -> None:
        """Bullets, each with optional sub-bullets."""
        if self.fmt == "md":
            for head, subs in rows:
                self.parts.append(f"- {self.esc(head)}")
                self.parts.extend(f"  - {self.esc(s)}" for s in subs)
            self.parts.append("")
            return
        out = ["<ul>"]
        for head, subs in rows:
            inner = "".join(f"<li>{self.esc(s)}</li>" for s in subs)
            out.append(f"<li>{self.esc(head)}" + (f"<ul>{inner}</ul>" if subs else "") + "</li>")
        out.append("</ul>")
        self.parts.append("".join(out))

    def render(self, title: str) -> str:
        if self.fmt == "md":
            return "\n".join(self.parts).rstrip() + "\n"
        return (
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title><style>{_BRIEF_CSS}</style></head><body>"
            + "\n".join(self.parts)
            + "</body></html>\n"
        )


_BRIEF_CSS = (
    "body{font:14px/1.45 -apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;max-width:52em;margin:2em auto;"
    "color:#1b1f24;padding:0 1em}h1{font-size:1.5em;border-bottom:2px solid #1b1f24;padding-bottom:.2em}"
    "h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ccd}h3{font-size:1em;margin-bottom:.2em}"
    "ul{padding-left:1.3em}li{margin:.15em 0}p.meta{color:#555}"
)


def make_brief(
    store: Store,
    since: timedelta | None = None,
    story_id: str | None = None,
    fmt: Literal["md", "html"] = "md",
    *,
    as_of: date | None = None,
) -> str:
    """A situation brief over the store (one story, or all), optionally only the last `since` of events."""
    if fmt not in ("md", "html"):
        raise ValueError(f"unknown brief format {fmt!r}: use 'md' or 'html'")
    story = store.get_story(story_id) if story_id else None
    events = _all_events(store, EventQuery(story_id=story_id))
    dated = [e["date"] for e in events if e.get("date")]
    end = as_of or (date.fromisoformat(max(dated)) if dated else None)
    if since is not None and end is not None:
        start = end - since
        events = [e for e in events if e.get("date") and start < date.fromisoformat(e["date"]) <= end]
    else:
        start = None
    cites = _Citations(store)
    doc = _Doc(fmt)
    title = f"Situation brief: {story['title']}" if story else "Situation brief"
    doc.heading(1, title)
    window = f"{start.isoformat()} to {end.isoformat()}" if start and end else "all dates"
    n_articles = len({a for e in events for a in e.get("article_ids") or [s["article_id"] for s in e.get("sources") or ()]})
    doc.parts.append(
        (f"_As of {end.isoformat() if end else 'undated'} · window: {window} · {len(events)} events from {n_articles} articles_\n")
        if fmt == "md"
        else f"<p class=\"meta\">As of {html.escape(end.isoformat() if end else 'undated')} · window: {html.escape(window)} · "
        f"{len(events)} events from {n_articles} articles</p>"
    )

    if story and story.get("summary"):
        doc.heading(2, "Summary")
        rows = []
        for item in story["summary"]:
            refs = "".join(f"[{cites.cite(s['article_id'])}]" for s in item.get("sources") or ())
            rows.append((f"{item['sentence']} {refs}".strip(), []))
        doc.items(rows)

    doc.heading(2, "Events")
    if not events:
        doc.para("No events in this window.")
    by_day: dict[str | None, list[dict]] = {}
    for event in events:
        by_day.setdefault(event.get("date"), []).append(event)
    for day in sorted(by_day, key=lambda d: (d is None, d or "")):
        doc.heading(3, day or "Date not reported")
        rows = []
        for e in by_day[day]:
            head = f"{sub_type_label(e.get('sub_event_type'))} ({type_label(e.get('event_type'))}) in {_place(e)}"
            if e.get("date_precision") and e["date_precision"] != "day":
                head += f" (date known to the {e['date_precision']})"
            subs = []
            if actors := _actors(e):
                subs.append(f"Actors: {actors}")
            for label, key in (("Fatalities", "fatalities"), ("Injured", "injured")):
                figure = _figure(e.get(key))
                if figure is None:
                    continue
                claims = [c for c in e.get("claims") or () if c.get("field") == key]
                claimed = "; ".join(f"{_claim_text(c)} [{cites.cite(c['source']['article_id'])}]" for c in claims)
                subs.append(f"{label}: {figure}" + (f" — {claimed}" if claimed else ""))
            if not any(s.startswith(("Fatalities", "Injured")) for s in subs):
                subs.append("Casualties: none reported")
            if e.get("summary"):
                subs.append(e["summary"])
            srcs = sorted({cites.cite(s["article_id"]) for s in e.get("sources") or ()})
            n_src = e.get("independent_sources") or len(srcs)
            subs.append(
                f"Sources: {' '.join(f'[{n}]' for n in srcs) or 'none'}"
                + (" (single source, unconfirmed)" if e.get("single_source") and n_src <= 1 else f" ({n_src} independent)")
            )
            rows.append((head, subs))
        doc.items(rows)

    contradictions = []
    for e in events:
        claims = e.get("claims") or []
        for c in e.get("contradictions") or ():
            picked = [claims[i] for i in c.get("claims") or () if 0 <= i < len(claims)]
            if picked:
                versus = " vs ".join(
                    f"{cl['value']} ({cl.get('attributed_to') or 'unattributed'}) [{cites.cite(cl['source']['article_id'])}]"
                    for cl in picked
                )
            else:
                versus = " vs ".join(str(v) for v in c.get("values") or ())
            for st in c.get("statements") or ():
                versus += f"; {st.get('kind')} by {st.get('by') or 'unknown'} [{cites.cite(st['source']['article_id'])}]"
            contradictions.append((f"{e.get('date') or 'undated'}, {_place(e)}: {c['field']}: {versus}", []))
    doc.heading(2, "Contradictions")
    if contradictions:
        doc.items(contradictions)
    else:
        doc.para("No contradictions between sources in this window.")

    ceasefires = store.list_ceasefires()
    if story:
        members = set(story.get("event_ids") or ()) | {e["id"] for e in events}
        ceasefires = [c for c in ceasefires if not c.get("event_ids") or members & set(c.get("event_ids") or ())]
    doc.heading(2, "Ceasefires")
    if not ceasefires:
        doc.para("No ceasefire on record.")
    rows = []
    for c in ceasefires:
        state = "collapsed" if c.get("ended") else "in force" if c.get("in_force_from") else "announced"
        head = f"{c.get('name')}: {state}"
        subs = []
        if c.get("parties"):
            subs.append("Parties: " + ", ".join(c["parties"]))
        life = [f"announced {c['announced']}" if c.get("announced") else None,
                f"in force from {c['in_force_from']}" if c.get("in_force_from") else None,
                f"ended {c['ended']}" + (f" by {c['ended_by']}" if c.get("ended_by") else "") if c.get("ended") else None]
        if any(life):
            subs.append("Lifecycle: " + "; ".join(x for x in life if x))
        for v in sorted(c.get("violations") or (), key=lambda v: (v.get("date") or "", v.get("alleged_by") or "")):
            count = f"{v['count']} violations" if v.get("count") is not None else "violations"
            subs.append(
                f"{v.get('date') or 'undated'}: {count} by {v.get('against') or 'an unnamed party'},"
                f" alleged by {v.get('alleged_by') or 'an unnamed party'} [{cites.cite(v['source']['article_id'])}]"
            )
        rows.append((head, subs))
    if rows:
        doc.items(rows)

    doc.heading(2, "Sources")
    listing = []
    for n, aid, article in cites.listing():
        bits = [f"[{n}] {aid}"]
        if article:
            bits += [x for x in (article.get("title"), article.get("source"), article.get("published"), article.get("url")) if x]
        listing.append((" · ".join(bits), []))
    if listing:
        doc.items(listing)
    else:
        doc.para("No sources cited.")
    return doc.render(title)
